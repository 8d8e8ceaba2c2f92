#include "cli/schedule_output.h"

#include <fmt/format.h>

#include <string>

#include "app/rounds.h"
#include "cli/output.h"

namespace cli {
namespace {

// RunOutcomeName, except a 'running' round nobody holds the lock for: its
// process died.
std::string OutcomeName(const storage::ScheduleRun& run,
                        std::optional<int64_t> lock_holder) {
  if (run.outcome == storage::RunOutcome::kRunning && !lock_holder)
    return "interrupted";
  return std::string(storage::RunOutcomeName(run.outcome));
}

}  // namespace

nlohmann::ordered_json RoundJson(const storage::ScheduleRun& run,
                                 std::optional<int64_t> lock_holder) {
  nlohmann::ordered_json j;
  j["schedule"] = run.schedule;
  j["started"] = FormatTimeMs(run.started_ms);
  j["ended"] = TimeOrNull(run.ended_ms);
  j["duration_s"] =
      run.ended_ms
          ? nlohmann::json(static_cast<double>(*run.ended_ms - run.started_ms) /
                           1000.0)
          : nlohmann::json(nullptr);
  j["outcome"] = OutcomeName(run, lock_holder);
  j["seeds_due"] = run.seeds_due;
  j["pages"] = run.pages;
  j["changed"] = run.changed;
  j["not_modified"] = run.not_modified;
  j["failed"] = run.failed;
  j["message"] = run.message ? nlohmann::json(*run.message) : nullptr;
  return j;
}

void PrintRoundTable(const std::vector<storage::ScheduleRun>& runs,
                     std::optional<int64_t> lock_holder, std::ostream& out) {
  if (runs.empty()) {
    out << "no rounds yet\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(runs.size());
  for (const storage::ScheduleRun& run : runs) {
    const std::string duration =
        run.ended_ms
            ? fmt::format(
                  "{:.1f} s",
                  static_cast<double>(*run.ended_ms - run.started_ms) / 1000.0)
            : "-";
    app::ScheduleStatus status;
    status.last = run;
    rows.push_back({FormatTimeMs(run.started_ms), duration,
                    run.seeds_due ? "seeds" : "pages due",
                    app::LastOutcomeText(status, lock_holder)});
  }
  PrintTable({{"STARTED"}, {"DURATION"}, {"ROUND"}, {"OUTCOME"}}, rows, out);
}

}  // namespace cli
