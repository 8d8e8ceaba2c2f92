// Scheduler: which schedules have a round due, and when the next one will be
// (DESIGN.md "scheduled crawls"; `podcrawl run --due` and `podcrawl daemon`).
// Pure planning over plain values: the caller reads the schedules' state from
// storage and the time from a core::Clock, so tests plan days of rounds
// without waiting.
//
// A schedule has a round due at `now` when the schedule itself is due
// (core::ScheduleDueMs from the start of its last round: its seeds are queued
// again), or when some URL of its frontier is due (a page whose recrawl
// interval passed, or work left by an interrupted round).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/schedule.h"

namespace crawler {

struct ScheduleState {
  std::string name;
  core::ScheduleTiming timing;
  std::optional<int64_t> last_start_ms;     // start of its last round, if any
  std::optional<int64_t> next_page_due_ms;  // earliest due URL of its frontier
};

struct DueRound {
  std::string name;
  bool seeds_due = false;  // the schedule is due: queue its seeds again
  int64_t due_ms = 0;      // when it became due (the earlier of the two)
};

// Returns the rounds due at `now_ms`, earliest due first (then by name).
std::vector<DueRound> PlanDueRounds(const std::vector<ScheduleState>& schedules,
                                    int64_t now_ms);

// Returns when the earliest schedule or page becomes due after the rounds
// due now have run (the time a daemon sleeps until); `now_ms` or earlier when
// something is due already; nullopt when nothing ever will be.
std::optional<int64_t> NextWakeMs(const std::vector<ScheduleState>& schedules,
                                  int64_t now_ms);

}  // namespace crawler
