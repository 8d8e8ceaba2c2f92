// Schedules and recrawl intervals (DESIGN.md "scheduled crawls"): the value
// types and pure functions that config/ (to validate), crawler/ (to plan
// rounds) and storage/ (to compute a page's next due time) share. Nothing here
// reads the clock: every function takes the time it works at, so tests pass
// any time they like (core/clock.h gives the real one).
//
// Times are Unix milliseconds (UTC). Cron expressions (core/cron.h) are read
// in the local time zone of the process (TZ), as cron(8) and systemd timers
// do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/cron.h"
#include "core/record.h"
#include "core/result.h"

namespace core {

// Parses a duration: a positive integer followed by one unit, `ms`, `s`, `m`,
// `h` or `d` ("500ms", "90s", "15m", "6h", "7d"), at most 3650 days. Units are
// lowercase only ("6H" is refused with a hint); no sign, fraction, space or
// compound ("1h30m" is written "90m"); a bare number is refused with a hint
// to give a unit. Returns kInvalidArgument with a message that quotes the
// text and says what is accepted.
Result<int64_t> ParseDurationMs(std::string_view text);

// ParseDurationMs, zero allowed ("0s", "0ms"): a delay or a cap that may be
// off.
Result<int64_t> ParseDurationOrZeroMs(std::string_view text);

// Formats a duration the way ParseDurationMs reads it, with the largest unit
// that divides it exactly ("6h", "90s", "1500ms" for a non-whole second).
std::string FormatDurationMs(int64_t ms);

// When a schedule runs: every `every_ms`, or at the times of `cron`. Exactly
// one is set in a valid schedule.
struct ScheduleTiming {
  std::optional<int64_t> every_ms;
  std::optional<CronSpec> cron;

  // "every 6h" or "cron 0 */6 * * *".
  std::string Describe() const;
};

// Returns when a schedule is next due, given the start of its last round
// (nullopt: it never ran, so it is due at once: `now_ms`). `every`: last start
// + every. `cron`: the first cron time after the last start (a round missed
// while podcrawl was not running is due at once, but only once). nullopt when
// a cron spec never matches again.
std::optional<int64_t> ScheduleDueMs(const ScheduleTiming& timing,
                                     std::optional<int64_t> last_start_ms,
                                     int64_t now_ms);

// Returns when a schedule next has work: the earlier of ScheduleDueMs (its
// seeds are due again) and `next_page_due_ms` (the earliest due URL of its
// frontier, if any); nullopt when neither will ever be due. At or before
// `now_ms` means due now. The one place this is decided, for `run --due`,
// the daemon's sleep and `schedule list`.
std::optional<int64_t> ScheduleNextDueMs(
    const ScheduleTiming& timing, std::optional<int64_t> last_start_ms,
    std::optional<int64_t> next_page_due_ms, int64_t now_ms);

// How often a page found by a schedule is fetched again (DESIGN.md: shows
// change more often than episodes). The interval starts at the kind's base and
// adapts: a fetch that found the page changed multiplies it by
// `changed_factor` (< 1: sooner), an unchanged one (304, same content) by
// `unchanged_factor` (> 1: later), always within [min_ms, max_ms].
struct RecrawlPolicy {
  int64_t show_ms = int64_t{6} * 3'600'000;      // 6h
  int64_t episode_ms = int64_t{7} * 86'400'000;  // 7d
  int64_t other_ms = int64_t{1} * 86'400'000;    // 1d, pages of unknown kind
  int64_t failed_ms = int64_t{1} * 86'400'000;   // a page that failed for good
  int64_t min_ms = int64_t{1} * 3'600'000;       // 1h
  int64_t max_ms = int64_t{30} * 86'400'000;     // 30d
  double changed_factor = 0.5;
  double unchanged_factor = 1.5;
};

// Returns the kind's base interval, clamped to [min_ms, max_ms].
int64_t BaseRecrawlIntervalMs(const RecrawlPolicy& policy, PageKind kind);

// Returns the interval until the next fetch of a page of `kind` just fetched:
// from `previous_ms` (the interval that led to this fetch; nullopt on the
// first fetch, which returns the base interval) adapted by `changed`, clamped
// to [min_ms, max_ms]. Never overflows; never below 1 ms.
int64_t NextRecrawlIntervalMs(const RecrawlPolicy& policy, PageKind kind,
                              std::optional<int64_t> previous_ms, bool changed);

// Checks the policy's ranges (intervals >= 1s, min <= max, 0 <
// changed_factor <= 1 <= unchanged_factor <= 100). Returns kInvalidArgument
// naming the field ("min", "changed_factor", ...).
Status ValidateRecrawlPolicy(const RecrawlPolicy& policy);

}  // namespace core
