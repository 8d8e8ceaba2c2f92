// Tests for core/cron.h: cron expressions (Vixie cron semantics,
// crontab(5)). Cron is read in local time, so every cron test pins TZ (POSIX
// TZ strings need no tzdata) and restores it afterwards.
#include "core/cron.h"

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

// Central European time without tzdata: CET (UTC+1), CEST (UTC+2) from the
// last Sunday of March 02:00 to the last Sunday of October 03:00.
constexpr const char* kParisPosix = "CET-1CEST,M3.5.0,M10.5.0/3";

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

std::string CronError(std::string_view text) {
  Result<CronSpec> spec = CronSpec::Parse(text);
  if (spec) return "(parsed)";
  EXPECT_EQ(spec.error().code, ErrorCode::kInvalidArgument);
  return spec.error().message;
}

// Reference matcher for the cross-check below: crontab(5) read literally,
// minute by minute, in UTC.
bool BruteForceMatches(const std::vector<int>& minutes,
                       const std::vector<int>& hours,
                       const std::vector<int>& days,
                       const std::vector<int>& months,
                       const std::vector<int>& weekdays, bool dom_star,
                       bool dow_star, int64_t ms) {
  const time_t s = ms / 1000;
  struct tm t {};
  gmtime_r(&s, &t);
  const auto has = [](const std::vector<int>& v, int x) {
    return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
  };
  const bool dom = has(days, t.tm_mday);
  const bool dow = has(weekdays, t.tm_wday);
  const bool day = (dom_star || dow_star) ? (dom && dow) : (dom || dow);
  return has(minutes, t.tm_min) && has(hours, t.tm_hour) &&
         has(months, t.tm_mon + 1) && day;
}

// ---- CronSpec::Parse ------------------------------------------------------

TEST(CronParseTest, RequiresFiveFields) {
  EXPECT_EQ(CronError("* * * *"),
            "expected 5 fields (minute hour day-of-month month day-of-week), "
            "got 4");
  EXPECT_EQ(CronError("0 * * * * *"),
            "expected 5 fields (minute hour day-of-month month day-of-week), "
            "got 6");
  EXPECT_EQ(CronError(""),
            "expected 5 fields (minute hour day-of-month month day-of-week), "
            "got 0");
  EXPECT_EQ(CronError("   "),
            "expected 5 fields (minute hour day-of-month month day-of-week), "
            "got 0");
}

TEST(CronParseTest, NamesTheFieldOutOfRange) {
  EXPECT_EQ(CronError("60 * * * *"), "minute: 60 is out of range 0-59");
  EXPECT_EQ(CronError("0 24 * * *"), "hour: 24 is out of range 0-23");
  EXPECT_EQ(CronError("0 0 0 * *"), "day-of-month: 0 is out of range 1-31");
  EXPECT_EQ(CronError("0 0 32 * *"), "day-of-month: 32 is out of range 1-31");
  EXPECT_EQ(CronError("0 0 * 0 *"), "month: 0 is out of range 1-12");
  EXPECT_EQ(CronError("0 0 * 13 *"), "month: 13 is out of range 1-12");
  EXPECT_EQ(CronError("0 0 * * 8"), "day-of-week: 8 is out of range 0-7");
  EXPECT_EQ(CronError("0 1-24 * * *"), "hour: 24 is out of range 0-23");
  EXPECT_EQ(CronError("0 0 * * 1,9"), "day-of-week: 9 is out of range 0-7");
  EXPECT_EQ(CronError("99999999999999999999 * * * *").substr(0, 8), "minute: ");
}

TEST(CronParseTest, RejectsBadValues) {
  EXPECT_EQ(CronError("x * * * *"), "minute: \"x\" is not a number");
  EXPECT_EQ(CronError("-1 * * * *"), "minute: \"-1\" is not a number");
  EXPECT_EQ(CronError("0 mon * * *"), "hour: \"mon\" is not a number");
  EXPECT_EQ(CronError("0 0 * foo *"),
            "month: \"foo\" is not a number or a month name (jan-dec)");
  EXPECT_EQ(CronError("0 0 * january *"),
            "month: \"january\" is not a number or a month name (jan-dec)");
  EXPECT_EQ(CronError("0 0 * * funday"),
            "day-of-week: \"funday\" is not a number or a day name (sun-sat)");
  // Names belong to their own field only.
  EXPECT_EQ(CronError("0 0 * mon *"),
            "month: \"mon\" is not a number or a month name (jan-dec)");
  EXPECT_EQ(CronError("0 0 * * jan"),
            "day-of-week: \"jan\" is not a number or a day name (sun-sat)");
}

TEST(CronParseTest, RejectsBadListsRangesAndSteps) {
  EXPECT_EQ(CronError("1,,2 * * * *"), "minute: empty item in list \"1,,2\"");
  EXPECT_EQ(CronError("1, * * * *"), "minute: empty item in list \"1,\"");
  EXPECT_EQ(CronError("0 20-4 * * *"), "hour: range \"20-4\" goes backwards");
  EXPECT_EQ(CronError("*/0 * * * *"),
            "minute: step \"0\" is not a positive number");
  EXPECT_EQ(CronError("*/x * * * *"),
            "minute: step \"x\" is not a positive number");
  EXPECT_EQ(CronError("*/ * * * *"),
            "minute: step \"\" is not a positive number");
  EXPECT_EQ(CronError("0 1-2-3 * * *"), "hour: \"2-3\" is not a number");
  // Vixie cron refuses "5/15"; the message says what to write instead.
  EXPECT_EQ(CronError("5/15 * * * *"),
            "minute: \"5/15\": a step needs * or a range (e.g. \"*/15\" or "
            "\"5-59/15\")");
}

TEST(CronParseTest, RejectsUnknownMacros) {
  EXPECT_EQ(CronError("@reboot"),
            "unknown macro \"@reboot\" (expected @yearly, @annually, "
            "@monthly, @weekly, @daily, @midnight or @hourly)");
  EXPECT_NE(CronError("@daily 0").find("unknown macro"), std::string::npos);
}

TEST(CronParseTest, KeepsTheTextAsGiven) {
  EXPECT_EQ(Cron("0 */6 * * *").text(), "0 */6 * * *");
  EXPECT_EQ(Cron("  @daily ").text(), "@daily");
  EXPECT_EQ(Cron("0\t0  * * MON-fri").text(), "0\t0  * * MON-fri");
}

// ---- CronSpec::NextAfter in UTC -------------------------------------------

TEST(CronNextTest, IsStrictlyAfterAtMinuteResolution) {
  ScopedTz tz("UTC0");
  const CronSpec every_minute = Cron("* * * * *");
  EXPECT_EQ(every_minute.NextAfter(Utc(2026, 5, 1, 12, 0)),
            Utc(2026, 5, 1, 12, 1));
  EXPECT_EQ(every_minute.NextAfter(Utc(2026, 5, 1, 12, 0, 30)),
            Utc(2026, 5, 1, 12, 1));
  EXPECT_EQ(every_minute.NextAfter(Utc(2026, 5, 1, 12, 0) - 1),
            Utc(2026, 5, 1, 12, 0));
  EXPECT_EQ(every_minute.NextAfter(Utc(2026, 5, 1, 12, 0, 59) + 999),
            Utc(2026, 5, 1, 12, 1));
}

TEST(CronNextTest, StepsRangesAndLists) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("*/15 * * * *").NextAfter(Utc(2026, 5, 1, 12, 7)),
            Utc(2026, 5, 1, 12, 15));
  EXPECT_EQ(Cron("*/15 * * * *").NextAfter(Utc(2026, 5, 1, 12, 45)),
            Utc(2026, 5, 1, 13, 0));
  EXPECT_EQ(Cron("0 */6 * * *").NextAfter(Utc(2026, 5, 1, 5, 59)),
            Utc(2026, 5, 1, 6, 0));
  EXPECT_EQ(Cron("0 */6 * * *").NextAfter(Utc(2026, 5, 1, 18, 0)),
            Utc(2026, 5, 2, 0, 0));
  EXPECT_EQ(Cron("5,10,50 * * * *").NextAfter(Utc(2026, 5, 1, 12, 10)),
            Utc(2026, 5, 1, 12, 50));
  EXPECT_EQ(Cron("10-12 * * * *").NextAfter(Utc(2026, 5, 1, 12, 12)),
            Utc(2026, 5, 1, 13, 10));
  EXPECT_EQ(Cron("10-30/10 * * * *").NextAfter(Utc(2026, 5, 1, 12, 20)),
            Utc(2026, 5, 1, 12, 30));
  EXPECT_EQ(Cron("10-30/10 * * * *").NextAfter(Utc(2026, 5, 1, 12, 30)),
            Utc(2026, 5, 1, 13, 10));
  EXPECT_EQ(Cron("0 9-17/4 * * *").NextAfter(Utc(2026, 5, 1, 13, 0)),
            Utc(2026, 5, 1, 17, 0));
  EXPECT_EQ(Cron("0 1,3-4,22-23/1 * * *").NextAfter(Utc(2026, 5, 1, 4, 0)),
            Utc(2026, 5, 1, 22, 0));
  // A step larger than the range keeps only its start.
  EXPECT_EQ(Cron("*/90 * * * *").NextAfter(Utc(2026, 5, 1, 12, 0)),
            Utc(2026, 5, 1, 13, 0));
}

TEST(CronNextTest, RollsOverMonthsAndYears) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("0 0 1 * *").NextAfter(Utc(2026, 1, 31, 8, 0)),
            Utc(2026, 2, 1));
  EXPECT_EQ(Cron("0 0 1 1 *").NextAfter(Utc(2026, 6, 1)), Utc(2027, 1, 1));
  EXPECT_EQ(Cron("* * * * *").NextAfter(Utc(2026, 12, 31, 23, 59)),
            Utc(2027, 1, 1));
  EXPECT_EQ(Cron("59 23 31 12 *").NextAfter(Utc(2026, 12, 31, 23, 59)),
            Utc(2027, 12, 31, 23, 59));
  // The 31st skips months that have none.
  EXPECT_EQ(Cron("0 0 31 * *").NextAfter(Utc(2026, 1, 31)), Utc(2026, 3, 31));
  EXPECT_EQ(Cron("0 0 31 * *").NextAfter(Utc(2026, 4, 1)), Utc(2026, 5, 31));
  EXPECT_EQ(Cron("30 6 * 2 *").NextAfter(Utc(2026, 2, 28, 7, 0)),
            Utc(2027, 2, 1, 6, 30));
}

TEST(CronNextTest, FindsLeapDaysIncludingAcrossCenturyYears) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("0 12 29 2 *").NextAfter(Utc(2025, 3, 1)),
            Utc(2028, 2, 29, 12, 0));
  EXPECT_EQ(Cron("0 12 29 2 *").NextAfter(Utc(2028, 2, 29, 12, 0)),
            Utc(2032, 2, 29, 12, 0));
  // 2100 is not a leap year: eight years from 2096 to 2104.
  EXPECT_EQ(Cron("0 12 29 2 *").NextAfter(Utc(2096, 3, 1)),
            Utc(2104, 2, 29, 12, 0));
  // 2000 was (divisible by 400).
  EXPECT_EQ(Cron("0 0 29 2 *").NextAfter(Utc(1997, 1, 1)), Utc(2000, 2, 29));
  // By month name.
  EXPECT_EQ(Cron("0 0 29 feb *").NextAfter(Utc(2026, 1, 1)), Utc(2028, 2, 29));
}

TEST(CronNextTest, ReturnsNulloptWhenNothingEverMatches) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("0 0 31 2 *").NextAfter(Utc(2026, 1, 1)), std::nullopt);
  EXPECT_EQ(Cron("0 0 30 2 *").NextAfter(Utc(2026, 1, 1)), std::nullopt);
  EXPECT_EQ(Cron("0 0 31 4,6,9,11 *").NextAfter(Utc(2026, 1, 1)), std::nullopt);
  // A default-constructed spec matches nothing.
  EXPECT_EQ(CronSpec().NextAfter(Utc(2026, 1, 1)), std::nullopt);
}

TEST(CronNextTest, DayOfWeekNamesAndSevenIsSunday) {
  ScopedTz tz("UTC0");
  // 2026-01-01 is a Thursday; 2026-01-04 a Sunday, 2026-01-05 a Monday.
  EXPECT_EQ(Cron("0 9 * * mon").NextAfter(Utc(2026, 1, 1)),
            Utc(2026, 1, 5, 9, 0));
  EXPECT_EQ(Cron("0 9 * * 1").NextAfter(Utc(2026, 1, 1)),
            Utc(2026, 1, 5, 9, 0));
  for (const char* sunday : {"0 0 * * 0", "0 0 * * 7", "0 0 * * sun",
                             "0 0 * * SUN", "0 0 * * Sun"}) {
    EXPECT_EQ(Cron(sunday).NextAfter(Utc(2026, 1, 1)), Utc(2026, 1, 4))
        << sunday;
  }
  // 5-7: Friday, Saturday, Sunday.
  const CronSpec weekend = Cron("0 0 * * 5-7");
  EXPECT_EQ(weekend.NextAfter(Utc(2026, 1, 1)), Utc(2026, 1, 2));
  EXPECT_EQ(weekend.NextAfter(Utc(2026, 1, 2)), Utc(2026, 1, 3));
  EXPECT_EQ(weekend.NextAfter(Utc(2026, 1, 3)), Utc(2026, 1, 4));
  EXPECT_EQ(weekend.NextAfter(Utc(2026, 1, 4)), Utc(2026, 1, 9));
  // Name ranges, any case.
  const CronSpec workdays = Cron("0 8 * * Mon-FRI");
  EXPECT_EQ(workdays.NextAfter(Utc(2026, 1, 2, 8, 0)), Utc(2026, 1, 5, 8, 0));
}

TEST(CronNextTest, MonthNames) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("0 0 1 jun *").NextAfter(Utc(2026, 1, 1)), Utc(2026, 6, 1));
  EXPECT_EQ(Cron("0 0 1 JUN,Dec *").NextAfter(Utc(2026, 6, 1)),
            Utc(2026, 12, 1));
  EXPECT_EQ(Cron("0 0 1 nov-dec *").NextAfter(Utc(2026, 2, 1)),
            Utc(2026, 11, 1));
  // No wrap-around ranges, as in Vixie cron.
  EXPECT_EQ(CronError("0 0 1 nov-feb *"),
            "month: range \"nov-feb\" goes backwards");
}

// crontab(5): "If both fields are restricted (i.e., don't start with *), the
// command will be run when either field matches the current time."
TEST(CronNextTest, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  ScopedTz tz("UTC0");
  // January 2026: Fridays 2, 9, 16, ...; the 13th is a Tuesday.
  const CronSpec spec = Cron("0 0 13 * fri");
  std::vector<int64_t> runs;
  int64_t t = Utc(2026, 1, 1);
  for (int i = 0; i < 5; ++i) {
    t = *spec.NextAfter(t);
    runs.push_back(t);
  }
  EXPECT_EQ(runs, (std::vector<int64_t>{Utc(2026, 1, 2), Utc(2026, 1, 9),
                                        Utc(2026, 1, 13), Utc(2026, 1, 16),
                                        Utc(2026, 1, 23)}));
}

// Vixie cron: a field starting with '*' (even "*/2") is "unrestricted", so the
// two day fields are ANDed.
TEST(CronNextTest, DayFieldsAndedWhenOneStartsWithStar) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("0 0 * * fri").NextAfter(Utc(2026, 1, 2)), Utc(2026, 1, 9));
  // Odd days that are Fridays: Jan 2 is even, Jan 9 odd.
  EXPECT_EQ(Cron("0 0 */2 * fri").NextAfter(Utc(2026, 1, 1)), Utc(2026, 1, 9));
  // Day-of-week "*/1" counts as unrestricted: the 13th of each month.
  EXPECT_EQ(Cron("0 0 13 * */1").NextAfter(Utc(2026, 1, 1)), Utc(2026, 1, 13));
  EXPECT_EQ(Cron("0 0 13 * *").NextAfter(Utc(2026, 1, 13)), Utc(2026, 2, 13));
}

TEST(CronNextTest, MacrosMatchTheirExpansions) {
  ScopedTz tz("UTC0");
  const std::vector<std::pair<const char*, const char*>> macros = {
      {"@yearly", "0 0 1 1 *"},  {"@annually", "0 0 1 1 *"},
      {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},  {"@DAILY", "0 0 * * *"}};
  for (const auto& [macro, expansion] : macros) {
    const CronSpec a = Cron(macro);
    const CronSpec b = Cron(expansion);
    for (int64_t t : {Utc(2026, 1, 1), Utc(2026, 2, 28, 23, 59),
                      Utc(2026, 12, 31, 12, 0), Utc(2028, 2, 29, 0, 30)}) {
      EXPECT_EQ(a.NextAfter(t), b.NextAfter(t)) << macro;
    }
  }
  EXPECT_EQ(Cron("@weekly").NextAfter(Utc(2026, 1, 1)), Utc(2026, 1, 4));
}

TEST(CronNextTest, WorksBeforeTheEpoch) {
  ScopedTz tz("UTC0");
  EXPECT_EQ(Cron("0 0 1 1 *").NextAfter(-1), 0);
  EXPECT_EQ(Cron("* * * * *").NextAfter(-90'000), -60'000);
  EXPECT_EQ(Cron("0 0 * * *").NextAfter(Utc(1969, 7, 20, 20, 17)),
            Utc(1969, 7, 21));
}

TEST(CronNextTest, SixHourlyOverAWeekRunsTwentyEightTimes) {
  ScopedTz tz("UTC0");
  const CronSpec spec = Cron("0 */6 * * *");
  const int64_t start = Utc(2026, 3, 2) - 1;  // just before Monday midnight
  int runs = 0;
  for (std::optional<int64_t> t = spec.NextAfter(start);
       t && *t < start + 7 * kDay; t = spec.NextAfter(*t)) {
    EXPECT_EQ(*t % (6 * kHour), 0);
    ++runs;
  }
  EXPECT_EQ(runs, 28);
}

// Cross-check against a literal minute-by-minute reading of crontab(5).
TEST(CronNextTest, AgreesWithBruteForce) {
  ScopedTz tz("UTC0");
  struct Case {
    const char* text;
    std::vector<int> minutes, hours, days, months, weekdays;
    bool dom_star, dow_star;
  };
  const std::vector<Case> cases = {
      {"*/7 * * * *",
       {0, 7, 14, 21, 28, 35, 42, 49, 56},
       {},
       {},
       {},
       {},
       true,
       true},
      {"15 3,15 * * *", {15}, {3, 15}, {}, {}, {}, true, true},
      {"0 0 10,20 * 2", {0}, {0}, {10, 20}, {}, {2}, false, false},
      {"30 12 * * 6,0", {30}, {12}, {}, {}, {6, 0}, true, false},
      {"0 22 1-7 * 1", {0}, {22}, {1, 2, 3, 4, 5, 6, 7}, {}, {1}, false, false},
      {"45 23 28-31 * *", {45}, {23}, {28, 29, 30, 31}, {}, {}, false, true},
      {"0 6 * 1,3 mon-wed", {0}, {6}, {}, {1, 3}, {1, 2, 3}, true, false},
  };
  for (const Case& c : cases) {
    const CronSpec spec = Cron(c.text);
    for (int64_t start : {Utc(2026, 1, 30, 23, 50), Utc(2027, 2, 27, 5, 3),
                          Utc(2028, 2, 28, 22, 59, 30)}) {
      const std::optional<int64_t> got = spec.NextAfter(start);
      std::optional<int64_t> want;
      for (int64_t t = (start / kMinute + 1) * kMinute; t < start + 70 * kDay;
           t += kMinute) {
        if (BruteForceMatches(c.minutes, c.hours, c.days, c.months, c.weekdays,
                              c.dom_star, c.dow_star, t)) {
          want = t;
          break;
        }
      }
      ASSERT_TRUE(want) << c.text;
      EXPECT_EQ(got, want) << c.text << " after " << start;
    }
  }
}

// ---- CronSpec::NextAfter in local time ------------------------------------

TEST(CronLocalTimeTest, ReadsTheLocalZone) {
  {
    ScopedTz tz("EST5EDT,M3.2.0,M11.1.0");
    EXPECT_EQ(Cron("0 0 * * *").NextAfter(Utc(2026, 1, 10, 12, 0)),
              Utc(2026, 1, 11, 5, 0));
    EXPECT_EQ(Cron("0 0 * * *").NextAfter(Utc(2026, 7, 10, 12, 0)),
              Utc(2026, 7, 11, 4, 0));
  }
  {
    ScopedTz tz("IST-5:30");
    EXPECT_EQ(Cron("0 0 * * *").NextAfter(Utc(2026, 1, 10, 12, 0)),
              Utc(2026, 1, 10, 18, 30));
    // The local date decides the day fields: Jan 11 local starts at 18:30Z.
    EXPECT_EQ(Cron("0 0 11 * *").NextAfter(Utc(2026, 1, 1)),
              Utc(2026, 1, 10, 18, 30));
  }
}

// Spring forward (2026-03-29, 02:00 CET -> 03:00 CEST, at 01:00Z): the wall
// times 02:00-02:59 do not exist that day and are not matched.
TEST(CronLocalTimeTest, SkipsWallTimesInTheSpringGap) {
  ScopedTz tz(kParisPosix);
  EXPECT_EQ(Cron("30 2 * * *").NextAfter(Utc(2026, 3, 28, 2, 0)),
            Utc(2026, 3, 30, 0, 30));  // 02:30 CEST on the 30th
  // Before the gap: 01:30 CET = 00:30Z.
  EXPECT_EQ(Cron("30 1 * * *").NextAfter(Utc(2026, 3, 28, 23, 0)),
            Utc(2026, 3, 29, 0, 30));
  // Half-hourly across the gap: 01:30 CET, then 03:00 CEST.
  const CronSpec half_hourly = Cron("*/30 * * * *");
  EXPECT_EQ(half_hourly.NextAfter(Utc(2026, 3, 29, 0, 0)),
            Utc(2026, 3, 29, 0, 30));
  EXPECT_EQ(half_hourly.NextAfter(Utc(2026, 3, 29, 0, 30)),
            Utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(half_hourly.NextAfter(Utc(2026, 3, 29, 1, 0)),
            Utc(2026, 3, 29, 1, 30));
  // 02:00 on March 29 does not exist in 2026; in 2027 it is 02:00 CEST.
  EXPECT_EQ(Cron("0 2 29 3 *").NextAfter(Utc(2026, 3, 1)),
            Utc(2027, 3, 29, 0, 0));
}

// Fall back (2026-10-25, 03:00 CEST -> 02:00 CET, at 01:00Z): the wall times
// 02:00-02:59 happen twice and match the first time only.
TEST(CronLocalTimeTest, MatchesARepeatedWallTimeOnce) {
  ScopedTz tz(kParisPosix);
  const CronSpec spec = Cron("30 2 * * *");
  const std::optional<int64_t> first = spec.NextAfter(Utc(2026, 10, 24, 12, 0));
  EXPECT_EQ(first, Utc(2026, 10, 25, 0, 30));  // 02:30 CEST
  ASSERT_TRUE(first);
  EXPECT_EQ(spec.NextAfter(*first), Utc(2026, 10, 26, 1, 30));  // 02:30 CET
  // Asked from inside the second pass: that wall time had its turn already.
  EXPECT_EQ(Cron("45 2 * * *").NextAfter(Utc(2026, 10, 25, 1, 15)),
            Utc(2026, 10, 26, 1, 45));
  // Asked from inside the first pass: later minutes of the first pass match.
  EXPECT_EQ(Cron("45 2 * * *").NextAfter(Utc(2026, 10, 25, 0, 20)),
            Utc(2026, 10, 25, 0, 45));
  // Half-hourly: 02:00 and 02:30 CEST, then nothing until 03:00 CET.
  const CronSpec half_hourly = Cron("*/30 * * * *");
  std::vector<int64_t> runs;
  int64_t t = Utc(2026, 10, 24, 23, 45);
  for (int i = 0; i < 4; ++i) {
    t = *half_hourly.NextAfter(t);
    runs.push_back(t);
  }
  EXPECT_EQ(runs, (std::vector<int64_t>{
                      Utc(2026, 10, 25, 0, 0), Utc(2026, 10, 25, 0, 30),
                      Utc(2026, 10, 25, 2, 0), Utc(2026, 10, 25, 2, 30)}));
}

// A daily job across both changes runs once a day, every day of the year.
TEST(CronLocalTimeTest, DailyRunsOncePerLocalDayAllYear) {
  ScopedTz tz(kParisPosix);
  for (const char* text : {"0 0 * * *", "30 2 * * *", "59 23 * * *"}) {
    const CronSpec spec = Cron(text);
    int runs = 0;
    int64_t t = Utc(2025, 12, 31, 23, 30);  // 00:30 local, Jan 1 2026
    for (std::optional<int64_t> next = spec.NextAfter(t);
         next && *next < Utc(2026, 12, 31, 23, 30); next = spec.NextAfter(t)) {
      t = *next;
      ++runs;
    }
    // 02:30 does not exist on March 29.
    EXPECT_EQ(runs, std::string(text) == "30 2 * * *" ? 364 : 365) << text;
  }
}

TEST(CronLocalTimeTest, NamedZoneWhenTzdataIsInstalled) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Paris")) {
    GTEST_SKIP() << "tzdata is not installed";
  }
  ScopedTz tz("Europe/Paris");
  EXPECT_EQ(Cron("30 2 * * *").NextAfter(Utc(2026, 3, 28, 2, 0)),
            Utc(2026, 3, 30, 0, 30));
  EXPECT_EQ(Cron("30 2 * * *").NextAfter(Utc(2026, 10, 25, 0, 30)),
            Utc(2026, 10, 26, 1, 30));
  EXPECT_EQ(Cron("0 12 * * *").NextAfter(Utc(2026, 7, 1)),
            Utc(2026, 7, 1, 10, 0));
}

TEST(CronLocalTimeTest, YearlyLookupIsFast) {
  ScopedTz tz(kParisPosix);
  // Each call walks years of calendar; a minute-by-minute search would take
  // seconds for these.
  const CronSpec never = Cron("0 0 31 2 *");
  const CronSpec leap = Cron("59 23 29 2 *");
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(never.NextAfter(Utc(2026, 1, 1) + i * kDay));
    EXPECT_TRUE(leap.NextAfter(Utc(2028, 3, 1) + i * kDay));
  }
}

}  // namespace
}  // namespace core
