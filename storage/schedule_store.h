// ScheduleStore: what podcrawl remembers about its schedules' rounds, and the
// schedule-wide frontier queries a round needs (DESIGN.md "scheduled crawls").
// Tables `schedule_runs` and `frontier` (documented at the top of
// storage/schema.cc); its own connection, like the frontier store.
//
// A round of a schedule: StartRun (a 'running' row; earlier 'running' rows of
// the schedule, left by a process that died, become 'interrupted'), the crawl
// of the schedule's frontier partition, then FinishRun with the outcome. The
// start of the last round is what the schedule's next due time counts from
// (core::ScheduleDueMs).
//
// Every query walks an index (schedule_runs by (schedule, started_ms), the
// frontier by frontier_by_due), so a daemon that ran a schedule every few
// seconds for a year still finds its last round in one seek.
//
// Thread-safety: every method may be called from several threads; calls are
// serialised on the store's one connection.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/schema.h"
#include "storage/sqlite.h"

namespace storage {

enum class RunOutcome {
  kRunning,      // under way (or its process died: see kInterrupted)
  kOk,           // the round crawled everything it had
  kStopped,      // stopped by a signal; the rest is done by the next round
  kFailed,       // ended by an error (storage, ...), in `message`
  kInterrupted,  // its process died; found by a later StartRun
};

// "running", "ok", "stopped", "failed", "interrupted".
std::string_view RunOutcomeName(RunOutcome outcome);

struct ScheduleRun {
  int64_t id = 0;
  std::string schedule;
  int64_t started_ms = 0;
  std::optional<int64_t> ended_ms;
  RunOutcome outcome = RunOutcome::kRunning;
  bool seeds_due = false;    // the schedule was due (its seeds were queued)
  int64_t pages = 0;         // pages stored (parsed and saved)
  int64_t changed = 0;       // of those, pages whose content changed
  int64_t not_modified = 0;  // 304 answers
  int64_t failed = 0;        // URLs failed for good
  // The error of a kFailed round; for another, a note (URLs left waiting for
  // a paused host).
  std::optional<std::string> message;
};

class ScheduleStore {
 public:
  // Opens (creating and migrating if needed) the database at `path`.
  // `options.read_only` opens it for LastRun, Runs, NextPageDueMs and
  // PartitionSize only (`podcrawl schedule list`); writes then fail with
  // kStorage. Fails with kStorage naming the path.
  static core::Result<std::unique_ptr<ScheduleStore>> Open(
      const std::string& path, const StoreOptions& options = {});

  // Makes a schedule store on `db`, opened by OpenDatabase. Not copyable or
  // movable (it holds a mutex): callers share it by pointer.
  explicit ScheduleStore(Connection db) : db_(std::move(db)) {}

  // Starts a round: marks the schedule's 'running' rows 'interrupted' (their
  // ended_ms stays NULL), inserts a 'running' row started at `now_ms`, in one
  // transaction, and returns its id.
  core::Result<int64_t> StartRun(const std::string& schedule, int64_t now_ms,
                                 bool seeds_due);

  // Ends the round `run.id`: sets ended_ms = `now_ms`, the outcome, counts and
  // message from `run` (its schedule, started_ms and seeds_due are not
  // written). kInvalidArgument when no such row.
  core::Status FinishRun(const ScheduleRun& run, int64_t now_ms);

  // Returns the schedule's latest round (by started_ms, then id), if any.
  core::Result<std::optional<ScheduleRun>> LastRun(const std::string& schedule);

  // Returns the schedule's rounds, newest first (by started_ms, then id), at
  // most `limit` (none for limit <= 0).
  core::Result<std::vector<ScheduleRun>> Runs(const std::string& schedule,
                                              int64_t limit);

  // Queues again the schedule's done and failed URLs whose next_fetch_ms <=
  // `now_ms` (their recrawl time came): state 'queued', next_fetch_ms = now,
  // attempts 0 (validators, kind and interval kept). Returns how many.
  core::Result<int64_t> RequeueDuePages(const std::string& schedule,
                                        int64_t now_ms);

  // Returns the earliest time any URL of the schedule's partition is due:
  // the min next_fetch_ms over its queued, in-flight, done and failed rows,
  // leaving out kNeverDueMs; nullopt when none.
  core::Result<std::optional<int64_t>> NextPageDueMs(
      const std::string& schedule);

  // Returns the number of frontier rows of the schedule (all states), from
  // the counts kept in frontier_counts.
  core::Result<int64_t> PartitionSize(const std::string& schedule);

 private:
  std::mutex mutex_;
  Connection db_;
};

// Returns the SQL of the statements the schedule store prepares, for tests
// that check with EXPLAIN QUERY PLAN that each one walks an index.
std::vector<std::string_view> ScheduleStatementsForTesting();

}  // namespace storage
