// Tests for core/schedule.h: durations, due times (cron specs from
// core/cron.h, tested in cron_test.cc) and adaptive recrawl intervals.
#include "core/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/scoped_tz.h"

namespace core {
namespace {

using testsupport::ScopedTz;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Unix milliseconds of a UTC civil time.
int64_t Utc(int year, int month, int day, int hour = 0, int minute = 0,
            int second = 0) {
  struct tm t {};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return int64_t{timegm(&t)} * 1000;
}

CronSpec Cron(std::string_view text) {
  Result<CronSpec> spec = CronSpec::Parse(text);
  EXPECT_TRUE(spec) << text << ": " << (spec ? "" : spec.error().message);
  return spec ? *spec : CronSpec();
}

std::string DurationError(std::string_view text) {
  Result<int64_t> ms = ParseDurationMs(text);
  if (ms) return "(parsed)";
  EXPECT_EQ(ms.error().code, ErrorCode::kInvalidArgument);
  return ms.error().message;
}

// ---- ParseDurationMs / FormatDurationMs ----------------------------------

TEST(DurationTest, ParsesEachUnit) {
  EXPECT_EQ(*ParseDurationMs("90s"), 90'000);
  EXPECT_EQ(*ParseDurationMs("15m"), 15 * kMinute);
  EXPECT_EQ(*ParseDurationMs("6h"), 6 * kHour);
  EXPECT_EQ(*ParseDurationMs("7d"), 7 * kDay);
  EXPECT_EQ(*ParseDurationMs("1s"), 1'000);
  EXPECT_EQ(*ParseDurationMs("2s"), 2'000);
  EXPECT_EQ(*ParseDurationMs("06h"), 6 * kHour);
}

// The upper bound is 3650 days, in any unit.
TEST(DurationTest, AcceptsUpToTenYears) {
  EXPECT_EQ(*ParseDurationMs("3650d"), 3650 * kDay);
  EXPECT_EQ(*ParseDurationMs("87600h"), 3650 * kDay);
  EXPECT_EQ(*ParseDurationMs("315360000s"), 3650 * kDay);
  EXPECT_EQ(DurationError("3651d"),
            "\"3651d\": longer than the maximum of 3650d");
  EXPECT_EQ(DurationError("87601h"),
            "\"87601h\": longer than the maximum of 3650d");
  EXPECT_EQ(DurationError("5256001m"),
            "\"5256001m\": longer than the maximum of 3650d");
  // Far past int64: no overflow, same message.
  EXPECT_EQ(
      DurationError("99999999999999999999999999d"),
      "\"99999999999999999999999999d\": longer than the maximum of 3650d");
}

TEST(DurationTest, RejectsMalformedText) {
  const std::string expected =
      ": expected a number followed by ms, s, m, h or d (e.g. \"6h\", "
      "\"500ms\")";
  EXPECT_EQ(DurationError("6x"), "\"6x\"" + expected);
  EXPECT_EQ(DurationError(""), "\"\"" + expected);
  for (const char* text :
       {"h", "-1h", "+1h", "1.5h", "6 h", " 6h", "6h ", "6hh", "6mss", "ms",
        "6u", "6x", "1h30m", "1e3s", "0x10s", "six hours", "h6"}) {
    EXPECT_EQ(DurationError(text), "\"" + std::string(text) + "\"" + expected)
        << text;
  }
}

// Units are lowercase only, as systemd.time(7) reads them ("6H" is not 6h).
TEST(DurationTest, RejectsUppercaseUnitsWithAHint) {
  EXPECT_EQ(DurationError("6H"),
            "\"6H\": units are lowercase: ms, s, m, h or d (e.g. \"6h\")");
  EXPECT_NE(DurationError("7D").find("lowercase"), std::string::npos);
}

// Milliseconds ("500ms"), and a bare number other than 0 refused with a hint
// to give a unit (it used to mean milliseconds in flags such as --delay).
TEST(DurationTest, ReadsMillisecondsAndHintsAtABareNumber) {
  EXPECT_EQ(*ParseDurationMs("500ms"), 500);
  EXPECT_EQ(*ParseDurationMs("1ms"), 1);
  EXPECT_EQ(*ParseDurationMs("315360000000ms"), 3650 * kDay);
  EXPECT_EQ(DurationError("315360000001ms"),
            "\"315360000001ms\": longer than the maximum of 3650d");
  EXPECT_EQ(DurationError("6"),
            "\"6\": give a unit: 6ms, 6s, ... (ms, s, m, h or d)");
  EXPECT_EQ(DurationError("0ms"), "\"0ms\": must be more than 0");
  EXPECT_EQ(*ParseDurationOrZeroMs("0ms"), 0);
  EXPECT_EQ(*ParseDurationOrZeroMs("0s"), 0);
  EXPECT_EQ(*ParseDurationOrZeroMs("2m"), 2 * 60'000);
  EXPECT_EQ(*ParseDurationOrZeroMs("0"), 0);  // zero needs no unit
  EXPECT_EQ(DurationError("0"), "\"0\": must be more than 0");
}

TEST(DurationTest, RejectsZero) {
  EXPECT_EQ(DurationError("0s"), "\"0s\": must be more than 0");
  EXPECT_EQ(DurationError("000h"), "\"000h\": must be more than 0");
}

TEST(DurationTest, QuotesLongInputShort) {
  const std::string junk(10'000, '7');
  const std::string message = DurationError(junk);
  EXPECT_LT(message.size(), 200U);
  EXPECT_NE(message.find("...\""), std::string::npos);
}

TEST(DurationTest, FormatsWithTheLargestExactUnit) {
  EXPECT_EQ(FormatDurationMs(6 * kHour), "6h");
  EXPECT_EQ(FormatDurationMs(90'000), "90s");
  EXPECT_EQ(FormatDurationMs(1'500), "1500ms");
  EXPECT_EQ(FormatDurationMs(7 * kDay), "7d");
  EXPECT_EQ(FormatDurationMs(25 * kHour), "25h");
  EXPECT_EQ(FormatDurationMs(90 * kMinute), "90m");
  EXPECT_EQ(FormatDurationMs(1), "1ms");
  EXPECT_EQ(FormatDurationMs(0), "0s");
  EXPECT_EQ(FormatDurationMs(-2 * kHour), "-2h");
  EXPECT_EQ(FormatDurationMs(std::numeric_limits<int64_t>::min()),
            "-9223372036854775808ms");
  EXPECT_EQ(FormatDurationMs(std::numeric_limits<int64_t>::max()),
            "9223372036854775807ms");
}

TEST(DurationTest, FormatThenParseRoundTrips) {
  for (int64_t ms : {int64_t{1'000}, int64_t{59'000}, kMinute, 61 * kMinute,
                     kHour, 23 * kHour, kDay, 3650 * kDay, 6 * kHour + 1'000}) {
    Result<int64_t> back = ParseDurationMs(FormatDurationMs(ms));
    ASSERT_TRUE(back) << ms;
    EXPECT_EQ(*back, ms);
  }
}

// ---- ScheduleTiming / ScheduleDueMs ---------------------------------------

TEST(ScheduleTimingTest, Describes) {
  ScheduleTiming every;
  every.every_ms = 6 * kHour;
  EXPECT_EQ(every.Describe(), "every 6h");
  every.every_ms = 90'000;
  EXPECT_EQ(every.Describe(), "every 90s");
  ScheduleTiming cron;
  cron.cron = Cron("0 */6 * * *");
  EXPECT_EQ(cron.Describe(), "cron 0 */6 * * *");
  ScheduleTiming none;
  EXPECT_EQ(none.Describe(), "never");
}

TEST(ScheduleDueTest, NeverRunIsDueNow) {
  ScopedTz tz("UTC0");
  ScheduleTiming every;
  every.every_ms = 6 * kHour;
  EXPECT_EQ(ScheduleDueMs(every, std::nullopt, 12345), 12345);
  ScheduleTiming cron;
  cron.cron = Cron("0 0 1 1 *");
  EXPECT_EQ(ScheduleDueMs(cron, std::nullopt, 12345), 12345);
  EXPECT_EQ(ScheduleDueMs(ScheduleTiming(), std::nullopt, 12345), std::nullopt);
}

TEST(ScheduleDueTest, EveryCountsFromTheLastStart) {
  ScheduleTiming timing;
  timing.every_ms = 2'000;
  EXPECT_EQ(ScheduleDueMs(timing, 10'000, 10'500), 12'000);
  EXPECT_EQ(ScheduleDueMs(timing, 10'000, 50'000), 12'000);  // overdue
  timing.every_ms = kDay;
  EXPECT_EQ(ScheduleDueMs(timing, std::numeric_limits<int64_t>::max() - 5, 0),
            std::numeric_limits<int64_t>::max());
}

TEST(ScheduleDueTest, CronMissedRoundsAreDueOnce) {
  ScopedTz tz("UTC0");
  ScheduleTiming timing;
  timing.cron = Cron("0 */6 * * *");
  // Last ran Monday 00:00; podcrawl was down until Wednesday 13:00.
  const int64_t last = Utc(2026, 3, 2);
  const int64_t now = Utc(2026, 3, 4, 13, 0);
  const std::optional<int64_t> due = ScheduleDueMs(timing, last, now);
  EXPECT_EQ(due, Utc(2026, 3, 2, 6, 0));
  ASSERT_TRUE(due);
  EXPECT_LE(*due, now);
  // Running now moves the next due time past now: no catching up.
  EXPECT_EQ(ScheduleDueMs(timing, now, now), Utc(2026, 3, 4, 18, 0));
  timing.cron = Cron("0 0 31 2 *");
  EXPECT_EQ(ScheduleDueMs(timing, last, now), std::nullopt);
}

// Simulated week, one minute at a time: run whenever due, as run --due from
// cron(8) every minute would.
TEST(ScheduleDueTest, SixHourScheduleRunsTwentyEightTimesAWeek) {
  ScopedTz tz("UTC0");
  ScheduleTiming every;
  every.every_ms = *ParseDurationMs("6h");
  ScheduleTiming cron;
  cron.cron = Cron("0 */6 * * *");
  for (const ScheduleTiming& timing : {every, cron}) {
    const int64_t start = Utc(2026, 3, 2, 0, 0);
    std::optional<int64_t> last;
    int runs = 0;
    for (int64_t now = start; now < start + 7 * kDay; now += kMinute) {
      const std::optional<int64_t> due = ScheduleDueMs(timing, last, now);
      if (due && *due <= now) {
        last = now;
        ++runs;
      }
    }
    EXPECT_EQ(runs, 28) << timing.Describe();
  }
  // Starting off the cron grid, the first round runs at once and the rest
  // keep to the grid: 01:00, then 06:00 ... 18:00 for 7 days, and 00:00 on
  // day 8 (before 01:00): 29.
  const int64_t start = Utc(2026, 3, 2, 1, 0);
  std::optional<int64_t> last;
  std::vector<int64_t> starts;
  for (int64_t now = start; now < start + 7 * kDay; now += kMinute) {
    const std::optional<int64_t> due = ScheduleDueMs(cron, last, now);
    if (due && *due <= now) {
      last = now;
      starts.push_back(now);
    }
  }
  ASSERT_EQ(starts.size(), 29U);
  EXPECT_EQ(starts[0], start);
  EXPECT_EQ(starts[1], Utc(2026, 3, 2, 6, 0));
  EXPECT_EQ(starts.back(), Utc(2026, 3, 9, 0, 0));
}

// ---- ScheduleNextDueMs ---------------------------------------------------

// The earlier of the schedule's own due time and its earliest due page.
TEST(ScheduleNextDueTest, EarlierOfScheduleAndPages) {
  ScheduleTiming timing;
  timing.every_ms = 6 * kHour;
  const int64_t last = 10 * kDay;
  // No page due: the schedule's own time.
  EXPECT_EQ(ScheduleNextDueMs(timing, last, std::nullopt, last),
            last + 6 * kHour);
  // A page due before it wins, one due after it does not.
  EXPECT_EQ(ScheduleNextDueMs(timing, last, last + kHour, last), last + kHour);
  EXPECT_EQ(ScheduleNextDueMs(timing, last, last + kDay, last),
            last + 6 * kHour);
  // Equal times: that time.
  EXPECT_EQ(ScheduleNextDueMs(timing, last, last + 6 * kHour, last),
            last + 6 * kHour);
  // Never run: due now, unless a page was due even earlier.
  EXPECT_EQ(ScheduleNextDueMs(timing, std::nullopt, std::nullopt, 500), 500);
  EXPECT_EQ(ScheduleNextDueMs(timing, std::nullopt, 100, 500), 100);
}

// A schedule that never matches again still has its pages' due times; with
// neither, nothing is ever due.
TEST(ScheduleNextDueTest, PagesOfAScheduleThatNeverMatches) {
  ScopedTz tz("UTC0");
  ScheduleTiming never;
  never.cron = Cron("0 0 31 2 *");  // February 31st
  EXPECT_EQ(
      ScheduleNextDueMs(never, Utc(2026, 1, 1), std::nullopt, Utc(2026, 1, 1)),
      std::nullopt);
  EXPECT_EQ(ScheduleNextDueMs(never, Utc(2026, 1, 1), Utc(2026, 3, 1),
                              Utc(2026, 1, 1)),
            Utc(2026, 3, 1));
  EXPECT_EQ(ScheduleNextDueMs(ScheduleTiming(), std::nullopt, std::nullopt, 0),
            std::nullopt);
  EXPECT_EQ(ScheduleNextDueMs(ScheduleTiming(), std::nullopt, 7, 0), 7);
}

// ---- Recrawl intervals ----------------------------------------------------

TEST(RecrawlTest, BaseIntervalPerKind) {
  const RecrawlPolicy policy;
  EXPECT_EQ(BaseRecrawlIntervalMs(policy, PageKind::kShow), 6 * kHour);
  EXPECT_EQ(BaseRecrawlIntervalMs(policy, PageKind::kEpisode), 7 * kDay);
  EXPECT_EQ(BaseRecrawlIntervalMs(policy, PageKind::kUnknown), kDay);
  // The first fetch starts at the base.
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, std::nullopt, true),
            6 * kHour);
  EXPECT_EQ(
      NextRecrawlIntervalMs(policy, PageKind::kEpisode, std::nullopt, false),
      7 * kDay);
}

TEST(RecrawlTest, BaseIsClampedToBounds) {
  RecrawlPolicy policy;
  policy.show_ms = 10 * kMinute;
  policy.episode_ms = 60 * kDay;
  EXPECT_EQ(BaseRecrawlIntervalMs(policy, PageKind::kShow), kHour);
  EXPECT_EQ(BaseRecrawlIntervalMs(policy, PageKind::kEpisode), 30 * kDay);
}

TEST(RecrawlTest, ShorterAfterAChangeLongerAfterNone) {
  const RecrawlPolicy policy;
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, 4 * kHour, true),
            2 * kHour);
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, 4 * kHour, false),
            6 * kHour);
  // Clamped at both ends.
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, 90 * kMinute, true),
            kHour);
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, 25 * kDay, false),
            30 * kDay);
  // A previous interval outside the bounds (the policy changed) comes back in.
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, 1'000, false),
            kHour);
  // Nonsense previous intervals start again from the base.
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, 0, false),
            6 * kHour);
  EXPECT_EQ(NextRecrawlIntervalMs(policy, PageKind::kShow, -5, true),
            6 * kHour);
}

TEST(RecrawlTest, ConvergesToTheBoundsAndStays) {
  const RecrawlPolicy policy;
  int64_t interval = BaseRecrawlIntervalMs(policy, PageKind::kShow);
  for (int i = 0; i < 50; ++i) {
    const int64_t next =
        NextRecrawlIntervalMs(policy, PageKind::kShow, interval, false);
    EXPECT_GE(next, interval);
    interval = next;
  }
  EXPECT_EQ(interval, policy.max_ms);
  for (int i = 0; i < 50; ++i) {
    const int64_t next =
        NextRecrawlIntervalMs(policy, PageKind::kShow, interval, true);
    EXPECT_LE(next, interval);
    interval = next;
  }
  EXPECT_EQ(interval, policy.min_ms);
}

TEST(RecrawlTest, NeverOverflowsNorDropsBelowOneMs) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  RecrawlPolicy wide;
  wide.min_ms = 0;
  wide.max_ms = kMax;
  wide.unchanged_factor = 100;
  EXPECT_EQ(NextRecrawlIntervalMs(wide, PageKind::kShow, kMax, false), kMax);
  EXPECT_EQ(NextRecrawlIntervalMs(wide, PageKind::kShow, kMax / 2, false),
            kMax);
  EXPECT_EQ(
      NextRecrawlIntervalMs(RecrawlPolicy(), PageKind::kShow, kMax, false),
      30 * kDay);
  wide.changed_factor = 0.01;
  EXPECT_EQ(NextRecrawlIntervalMs(wide, PageKind::kShow, 1, true), 1);
  EXPECT_EQ(NextRecrawlIntervalMs(wide, PageKind::kShow, 10, true), 1);
  // An unvalidated policy still gives a usable interval.
  RecrawlPolicy broken;
  broken.min_ms = 0;
  broken.max_ms = -10;
  broken.show_ms = -3;
  broken.changed_factor = std::nan("");
  EXPECT_EQ(BaseRecrawlIntervalMs(broken, PageKind::kShow), 1);
  EXPECT_EQ(NextRecrawlIntervalMs(broken, PageKind::kShow, kHour, true), 1);
  RecrawlPolicy nan_factor;
  nan_factor.unchanged_factor = std::nan("");
  const int64_t next =
      NextRecrawlIntervalMs(nan_factor, PageKind::kShow, 2 * kHour, false);
  EXPECT_GE(next, nan_factor.min_ms);
  EXPECT_LE(next, nan_factor.max_ms);
}

TEST(RecrawlPolicyTest, DefaultsAreValid) {
  EXPECT_TRUE(ValidateRecrawlPolicy(RecrawlPolicy()));
  RecrawlPolicy edges;
  edges.changed_factor = 1;
  edges.unchanged_factor = 100;
  edges.min_ms = edges.max_ms = 1'000;
  edges.show_ms = edges.episode_ms = edges.other_ms = edges.failed_ms = 1'000;
  EXPECT_TRUE(ValidateRecrawlPolicy(edges));
  edges.unchanged_factor = 1;
  EXPECT_TRUE(ValidateRecrawlPolicy(edges));
}

std::string PolicyError(const RecrawlPolicy& policy) {
  const Status status = ValidateRecrawlPolicy(policy);
  if (status) return "(valid)";
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  return status.error().message;
}

TEST(RecrawlPolicyTest, NamesTheBadField) {
  RecrawlPolicy p;
  p.show_ms = 500;
  EXPECT_EQ(PolicyError(p), "show: 500ms is shorter than 1s");
  p = RecrawlPolicy();
  p.episode_ms = 0;
  EXPECT_EQ(PolicyError(p), "episode: 0s is shorter than 1s");
  p = RecrawlPolicy();
  p.other_ms = -kHour;
  EXPECT_EQ(PolicyError(p), "other: -1h is shorter than 1s");
  p = RecrawlPolicy();
  p.failed_ms = 999;
  EXPECT_EQ(PolicyError(p), "failed: 999ms is shorter than 1s");
  p = RecrawlPolicy();
  p.min_ms = 10;
  EXPECT_EQ(PolicyError(p), "min: 10ms is shorter than 1s");
  p = RecrawlPolicy();
  p.max_ms = 10;
  EXPECT_EQ(PolicyError(p), "max: 10ms is shorter than 1s");
  p = RecrawlPolicy();
  p.min_ms = 2 * kDay;
  p.max_ms = kDay;
  EXPECT_EQ(PolicyError(p), "min: 2d is longer than max (1d)");
}

TEST(RecrawlPolicyTest, NamesTheBadFactor) {
  RecrawlPolicy p;
  for (double bad : {0.0, -0.5, 1.5, std::nan("")}) {
    p.changed_factor = bad;
    EXPECT_EQ(PolicyError(p).substr(0, 16), "changed_factor: ") << bad;
  }
  p.changed_factor = 1.5;
  EXPECT_EQ(PolicyError(p), "changed_factor: 1.5 is not in (0, 1]");
  p = RecrawlPolicy();
  for (double bad : {0.9, 100.5, std::nan("")}) {
    p.unchanged_factor = bad;
    EXPECT_EQ(PolicyError(p).substr(0, 18), "unchanged_factor: ") << bad;
  }
  p.unchanged_factor = 0.9;
  EXPECT_EQ(PolicyError(p), "unchanged_factor: 0.9 is not in [1, 100]");
}

}  // namespace
}  // namespace core
