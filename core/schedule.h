// Schedules and recrawl intervals (DESIGN.md "scheduled crawls"): the value
// types and pure functions that config/ (to validate), crawler/ (to plan
// rounds) and storage/ (to compute a page's next due time) share. Nothing here
// reads the clock: every function takes the time it works at, so tests pass
// any time they like (core/clock.h gives the real one).
//
// Times are Unix milliseconds (UTC). Cron expressions are read in the local
// time zone of the process (TZ), as cron(8) and systemd timers do.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/record.h"
#include "core/result.h"

namespace core {

// Parses a duration: a positive integer followed by one unit, `s`, `m`, `h` or
// `d` ("90s", "15m", "6h", "7d"), at most 3650 days. Units are lowercase only
// ("6H" is refused with a hint); no sign, fraction, space or compound ("1h30m"
// is written "90m"). Returns kInvalidArgument with a message that quotes the
// text and says what is accepted.
Result<int64_t> ParseDurationMs(std::string_view text);

// Formats a duration the way ParseDurationMs reads it, with the largest unit
// that divides it exactly ("6h", "90s", "1500ms" for a non-whole second).
std::string FormatDurationMs(int64_t ms);

// A five-field cron expression: minute hour day-of-month month day-of-week.
// Each field takes `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, and
// comma-separated lists of those; months take jan..dec and days sun..sat
// (case-insensitive), and day-of-week 7 is Sunday too. As in Vixie cron, when
// both day-of-month and day-of-week are restricted (neither starts with `*`), a
// day matches if either does. The macros @yearly (@annually), @monthly,
// @weekly, @daily (@midnight) and @hourly are accepted. Also as in Vixie cron,
// a step needs `*` or a range ("5/15" is refused: write "5-59/15") and ranges
// do not wrap ("nov-feb" is refused: write "nov-dec,jan-feb").
class CronSpec {
 public:
  // Returns kInvalidArgument naming the field and what is wrong with it.
  static Result<CronSpec> Parse(std::string_view text);

  // Returns the first minute strictly after `after_ms` that matches, in the
  // local time zone (a time skipped by a DST change is not matched; a repeated
  // one matches once). Searches up to 8 years ahead (Feb 29 recurs within
  // that span, century years included); returns nullopt when nothing matches
  // in it (e.g. "0 0 31 2 *"), for a default-constructed spec, and outside
  // the years 0-9999. Re-reads TZ (tzset) on each call; thread-safe as long
  // as nobody changes TZ meanwhile.
  std::optional<int64_t> NextAfter(int64_t after_ms) const;

  // The expression as given.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1..31
  std::bitset<13> months_;         // 1..12
  std::bitset<7> days_of_week_;    // 0 = Sunday
  bool day_of_month_star_ = true;
  bool day_of_week_star_ = true;
};

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
