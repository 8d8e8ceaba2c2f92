#include "crawler/scheduler.h"

#include <algorithm>
#include <tuple>

namespace crawler {

std::vector<DueRound> PlanDueRounds(const std::vector<ScheduleState>& schedules,
                                    int64_t now_ms) {
  std::vector<DueRound> rounds;
  for (const ScheduleState& schedule : schedules) {
    // Due when the earlier of the two is: due_ms is that one.
    const std::optional<int64_t> due =
        core::ScheduleNextDueMs(schedule.timing, schedule.last_start_ms,
                                schedule.next_page_due_ms, now_ms);
    if (!due || *due > now_ms) continue;
    const std::optional<int64_t> schedule_due =
        core::ScheduleDueMs(schedule.timing, schedule.last_start_ms, now_ms);
    DueRound round;
    round.name = schedule.name;
    round.seeds_due = schedule_due && *schedule_due <= now_ms;
    round.due_ms = *due;
    rounds.push_back(std::move(round));
  }
  // Earliest first, then by name; stable so that two entries with one name
  // (a config error caught elsewhere) keep the caller's order.
  std::stable_sort(
      rounds.begin(), rounds.end(), [](const DueRound& a, const DueRound& b) {
        return std::tie(a.due_ms, a.name) < std::tie(b.due_ms, b.name);
      });
  return rounds;
}

std::optional<int64_t> NextWakeMs(const std::vector<ScheduleState>& schedules,
                                  int64_t now_ms) {
  std::optional<int64_t> wake;
  for (const ScheduleState& schedule : schedules) {
    const std::optional<int64_t> due =
        core::ScheduleNextDueMs(schedule.timing, schedule.last_start_ms,
                                schedule.next_page_due_ms, now_ms);
    if (due && (!wake || *due < *wake)) wake = due;
  }
  return wake;
}

}  // namespace crawler
