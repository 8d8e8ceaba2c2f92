// Cron expressions (the five fields of crontab(5), Vixie cron's reading):
// parsing, and the next matching minute in the process's local time zone, for
// schedules (core/schedule.h). Pure apart from reading TZ.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace core {

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

}  // namespace core
