// How the schedule commands print rounds for a person or a script: a round
// (a schedule_runs row) as JSON, for `run --due --json`, `schedule run --json`
// and `schedule history --json`, and the history table. Times are ISO 8601
// UTC (app/time_text.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "storage/schedule_store.h"

namespace cli {

// Returns `run` as one JSON object: schedule, started, ended (null while
// running or when interrupted), duration_s, outcome ("ok", "stopped",
// "failed", "running", "interrupted"; a "running" round whose process died
// (no `lock_holder`) is "interrupted"), seeds_due, pages, changed,
// not_modified, failed, message.
nlohmann::ordered_json RoundJson(const storage::ScheduleRun& run,
                                 std::optional<int64_t> lock_holder);

// Writes `runs` as a table (STARTED, DURATION, ROUND, OUTCOME), in the order
// given, or "no rounds yet" when there are none.
void PrintRoundTable(const std::vector<storage::ScheduleRun>& runs,
                     std::optional<int64_t> lock_holder, std::ostream& out);

}  // namespace cli
