// ScheduleStore on the SQLite tables `schedule_runs` and `frontier` (schema:
// storage/schema.cc).
//
// Every query walks an index: the rounds of a schedule through
// schedule_runs(schedule, started_ms) (newest first, ties by id, which the
// index holds as its last column), the 'running' rounds through the partial
// index schedule_runs(schedule) WHERE outcome = 'running', and the frontier's
// due pages through frontier_by_due (schedule, state, next_fetch_ms, ...),
// one range per state.
#include "storage/schedule_store.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/frontier_store.h"
#include "storage/sqlite.h"

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

// A process that died left its rounds 'running': a new round of the schedule
// marks them interrupted (ended_ms stays NULL: when it died is unknown).
constexpr std::string_view kInterruptRuns = R"sql(
UPDATE schedule_runs SET outcome = 'interrupted'
WHERE schedule = ?1 AND outcome = 'running'
)sql";

constexpr std::string_view kStartRun = R"sql(
INSERT INTO schedule_runs (schedule, started_ms, outcome, seeds_due)
VALUES (?1, ?2, 'running', ?3)
)sql";

constexpr std::string_view kFinishRun = R"sql(
UPDATE schedule_runs SET
  ended_ms     = ?2,
  outcome      = ?3,
  pages        = ?4,
  changed      = ?5,
  not_modified = ?6,
  failed       = ?7,
  message      = ?8
WHERE id = ?1
)sql";

constexpr std::string_view kRuns = R"sql(
SELECT id, schedule, started_ms, ended_ms, outcome, seeds_due, pages, changed,
       not_modified, failed, message
FROM schedule_runs WHERE schedule = ?1
ORDER BY started_ms DESC, id DESC LIMIT ?2
)sql";

// The done and failed URLs whose recrawl time came, one range of
// frontier_by_due per state.
constexpr std::string_view kRequeueDuePages = R"sql(
UPDATE frontier SET state = 'queued', next_fetch_ms = ?2, attempts = 0
WHERE schedule = ?1 AND state IN ('done', 'failed') AND next_fetch_ms <= ?2
)sql";

// The earliest next_fetch_ms of each state below ?2 (kNeverDueMs): four
// seeks into frontier_by_due.
constexpr std::string_view kNextPageDue = R"sql(
SELECT (SELECT next_fetch_ms FROM frontier
        WHERE schedule = ?1 AND state = 'queued' AND next_fetch_ms < ?2
        ORDER BY next_fetch_ms LIMIT 1),
       (SELECT next_fetch_ms FROM frontier
        WHERE schedule = ?1 AND state = 'in_flight' AND next_fetch_ms < ?2
        ORDER BY next_fetch_ms LIMIT 1),
       (SELECT next_fetch_ms FROM frontier
        WHERE schedule = ?1 AND state = 'done' AND next_fetch_ms < ?2
        ORDER BY next_fetch_ms LIMIT 1),
       (SELECT next_fetch_ms FROM frontier
        WHERE schedule = ?1 AND state = 'failed' AND next_fetch_ms < ?2
        ORDER BY next_fetch_ms LIMIT 1)
)sql";

// The per-state counts kept by triggers: four rows at most.
constexpr std::string_view kPartitionSize = R"sql(
SELECT coalesce(sum(n), 0) FROM frontier_counts WHERE schedule = ?1
)sql";

constexpr std::array kOutcomes = {RunOutcome::kRunning, RunOutcome::kOk,
                                  RunOutcome::kStopped, RunOutcome::kFailed,
                                  RunOutcome::kInterrupted};

std::optional<RunOutcome> RunOutcomeFromName(std::string_view name) {
  for (RunOutcome outcome : kOutcomes) {
    if (RunOutcomeName(outcome) == name) return outcome;
  }
  return std::nullopt;
}

// Reads a row of kRuns. The CHECK constraint rules out an unknown outcome; a
// hand-edited database might not have it, so it is an error, not a guess.
Result<ScheduleRun> ReadRun(const Statement& s) {
  const std::string outcome = s.ColumnText(4);
  std::optional<RunOutcome> parsed = RunOutcomeFromName(outcome);
  if (!parsed) {
    return core::Error(ErrorCode::kStorage,
                       "schedule_runs row " + std::to_string(s.ColumnInt64(0)) +
                           " has an unknown outcome \"" + outcome + "\"");
  }
  return ScheduleRun{s.ColumnInt64(0),   s.ColumnText(1),   s.ColumnInt64(2),
                     s.OptionalInt64(3), *parsed,           s.Column<bool>(5),
                     s.ColumnInt64(6),   s.ColumnInt64(7),  s.ColumnInt64(8),
                     s.ColumnInt64(9),   s.OptionalText(10)};
}

}  // namespace

std::string_view RunOutcomeName(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kRunning:
      return "running";
    case RunOutcome::kOk:
      return "ok";
    case RunOutcome::kStopped:
      return "stopped";
    case RunOutcome::kFailed:
      return "failed";
    case RunOutcome::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

std::vector<std::string_view> ScheduleStatementsForTesting() {
  return {kInterruptRuns,   kStartRun,    kFinishRun,    kRuns,
          kRequeueDuePages, kNextPageDue, kPartitionSize};
}

Result<std::unique_ptr<ScheduleStore>> ScheduleStore::Open(
    const std::string& path, const StoreOptions& options) {
  Result<Connection> db = OpenDatabase(path, options);
  if (!db) return db.error();
  return std::make_unique<ScheduleStore>(std::move(db).value());
}

Result<int64_t> ScheduleStore::StartRun(const std::string& schedule,
                                        int64_t now_ms, bool seeds_due) {
  std::lock_guard<std::mutex> lock(mutex_);
  return InTransaction(db_, [&]() -> Result<int64_t> {
    Status status = db_.Exec(kInterruptRuns, schedule);
    if (status) status = db_.Exec(kStartRun, schedule, now_ms, seeds_due);
    if (!status) return status.error();
    return db_.LastInsertRowId();
  });
}

Status ScheduleStore::FinishRun(const ScheduleRun& run, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  Status status = db_.Exec(kFinishRun, run.id, now_ms,
                           RunOutcomeName(run.outcome), run.pages, run.changed,
                           run.not_modified, run.failed, run.message);
  if (!status) return status;
  if (db_.Changes() == 0) {
    return core::Error(
        ErrorCode::kInvalidArgument,
        "FinishRun: no schedule round with id " + std::to_string(run.id));
  }
  return {};
}

Result<std::optional<ScheduleRun>> ScheduleStore::LastRun(
    const std::string& schedule) {
  Result<std::vector<ScheduleRun>> runs = Runs(schedule, 1);
  if (!runs) return runs.error();
  if (runs->empty()) return std::optional<ScheduleRun>();
  return std::optional<ScheduleRun>(std::move(runs->front()));
}

Result<std::vector<ScheduleRun>> ScheduleStore::Runs(
    const std::string& schedule, int64_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ScheduleRun> runs;
  if (limit <= 0) return runs;
  Result<std::vector<Result<ScheduleRun>>> rows =
      db_.QueryAll(kRuns, ReadRun, schedule, limit);
  if (!rows) return rows.error();
  for (Result<ScheduleRun>& run : *rows) {
    if (!run) return run.error();
    runs.push_back(std::move(run).value());
  }
  return runs;
}

Result<int64_t> ScheduleStore::RequeueDuePages(const std::string& schedule,
                                               int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status status = db_.Exec(kRequeueDuePages, schedule, now_ms); !status)
    return status.error();
  return db_.Changes();
}

Result<std::optional<int64_t>> ScheduleStore::NextPageDueMs(
    const std::string& schedule) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = db_.QueryOne(
      kNextPageDue,
      [](const Statement& s) {
        std::optional<int64_t> earliest;
        for (int column = 0; column < 4; ++column) {
          std::optional<int64_t> due = s.OptionalInt64(column);
          if (due && (!earliest || *due < *earliest)) earliest = due;
        }
        return earliest;
      },
      schedule, kNeverDueMs);
  if (!row) return row.error();
  return row->value_or(std::nullopt);
}

Result<int64_t> ScheduleStore::PartitionSize(const std::string& schedule) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<std::optional<int64_t>> size =
      db_.QueryOne(kPartitionSize, ReadColumns<int64_t>, schedule);
  if (!size) return size.error();
  return size->value_or(0);
}

}  // namespace storage
