// Tests for core/civil_time.h: the proleptic Gregorian calendar (checked
// against glibc's timegm), HTTP-date (RFC 9110 5.6.7) and ISO 8601 / RFC 3339
// timestamps.
#include "core/civil_time.h"

#include <gtest/gtest.h>

#include <ctime>
#include <optional>
#include <string>

namespace core {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// Epoch milliseconds computed with Python's calendar.timegm.
constexpr int64_t k1994Nov06 = 784'111'777'000;    // 1994-11-06T08:49:37Z
constexpr int64_t k2026Jan01 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t k2030Jan01 = 1'893'456'000'000;  // 2030-01-01T00:00:00Z

// The reference: glibc's timegm, in days.
int64_t TimegmDays(int year, int month, int day) {
  struct tm t {};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  return int64_t{timegm(&t)} / 86'400;
}

// ---- Calendar ----

TEST(CivilCalendarTest, EpochAndNeighbours) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1970, 1, 2), 1);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(CivilFromDays(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(CivilFromDays(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11'017);
}

// Gregorian leap years: every 4th, except centuries, except every 400th.
TEST(CivilCalendarTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(1600));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_FALSE(IsLeapYear(2025));
  EXPECT_TRUE(IsLeapYear(0));   // 1 BC, proleptic
  EXPECT_TRUE(IsLeapYear(-4));  // 5 BC
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2100, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 4), 30);
  EXPECT_EQ(DaysInMonth(2026, 12), 31);
  EXPECT_EQ(DaysInMonth(2026, 0), 0);
  EXPECT_EQ(DaysInMonth(2026, 13), 0);
  // Feb 29 is followed by Mar 1, across century years too.
  EXPECT_EQ(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28), 2);
  EXPECT_EQ(DaysFromCivil(1900, 3, 1) - DaysFromCivil(1900, 2, 28), 1);
  EXPECT_EQ(DaysFromCivil(2100, 3, 1) - DaysFromCivil(2100, 2, 28), 1);
}

// Every day from 1600 to 2400 against timegm, and back.
TEST(CivilCalendarTest, AgreesWithTimegmAndRoundTrips) {
  int64_t expected = DaysFromCivil(1600, 1, 1);
  EXPECT_EQ(expected, TimegmDays(1600, 1, 1));
  for (int year = 1600; year < 2400; ++year) {
    for (int month = 1; month <= 12; ++month) {
      ASSERT_EQ(DaysFromCivil(year, month, 1), TimegmDays(year, month, 1))
          << year << "-" << month;
      for (int day = 1; day <= DaysInMonth(year, month); ++day) {
        ASSERT_EQ(DaysFromCivil(year, month, day), expected);
        ASSERT_EQ(CivilFromDays(expected), (CivilDate{year, month, day}));
        ++expected;
      }
    }
  }
}

TEST(CivilCalendarTest, FarYearsRoundTrip) {
  for (int64_t year : {int64_t{-1'000'000}, int64_t{-1}, int64_t{0},
                       int64_t{9999}, int64_t{1'000'000}}) {
    EXPECT_EQ(CivilFromDays(DaysFromCivil(year, 2, 29)).day,
              IsLeapYear(year) ? 29 : 1)
        << year;
    EXPECT_EQ(CivilFromDays(DaysFromCivil(year, 12, 31)),
              (CivilDate{year, 12, 31}));
  }
}

TEST(CivilCalendarTest, WeekdaysAndFloorDivision) {
  EXPECT_EQ(WeekdayFromDays(0), 4);                           // Thursday
  EXPECT_EQ(WeekdayFromDays(-1), 3);                          // Wednesday
  EXPECT_EQ(WeekdayFromDays(DaysFromCivil(1994, 11, 6)), 0);  // Sunday
  EXPECT_EQ(WeekdayFromDays(DaysFromCivil(2026, 12, 3)), 4);  // Thursday
  EXPECT_EQ(WeekdayFromDays(DaysFromCivil(1900, 1, 1)), 1);   // Monday
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(-8, 2), -4);
  EXPECT_EQ(FloorDiv(0, 5), 0);
  EXPECT_EQ(FloorDiv(-1, 1000), -1);
}

TEST(CivilCalendarTest, UtcToUnixMsChecksEveryField) {
  EXPECT_EQ(UtcToUnixMs(1994, 11, 6, 8, 49, 37), k1994Nov06);
  EXPECT_EQ(UtcToUnixMs(1969, 12, 31, 23, 59, 59), -1000);
  // A leap second is the next minute's first second.
  EXPECT_EQ(UtcToUnixMs(2016, 12, 31, 23, 59, 60),
            UtcToUnixMs(2017, 1, 1, 0, 0, 0));
  EXPECT_EQ(UtcToUnixMs(2025, 2, 29, 0, 0, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2024, 2, 29, 0, 0, 0), 1'709'164'800'000);
  EXPECT_EQ(UtcToUnixMs(2026, 4, 31, 0, 0, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 0, 1, 0, 0, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 13, 1, 0, 0, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 1, 0, 0, 0, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 1, 1, 24, 0, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 1, 1, 0, 60, 0), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 1, 1, 0, 0, 61), std::nullopt);
  EXPECT_EQ(UtcToUnixMs(2026, 1, 1, -1, 0, 0), std::nullopt);
}

// ---- HTTP-date (RFC 9110 5.6.7) ----

TEST(HttpDateTest, ThreeForms) {
  EXPECT_EQ(ParseHttpDateMs("Sun, 06 Nov 1994 08:49:37 GMT", 0), k1994Nov06);
  EXPECT_EQ(ParseHttpDateMs("Sunday, 06-Nov-94 08:49:37 GMT", 0), k1994Nov06);
  EXPECT_EQ(ParseHttpDateMs("Sun Nov  6 08:49:37 1994", 0), k1994Nov06);
  EXPECT_EQ(ParseHttpDateMs("Sun Nov 06 08:49:37 1994", 0), k1994Nov06);
  // Names in any case.
  EXPECT_EQ(ParseHttpDateMs("SUN, 06 nov 1994 08:49:37 gmt", 0), k1994Nov06);
  // Before the epoch, and a leap day.
  EXPECT_EQ(ParseHttpDateMs("Wed, 31 Dec 1969 23:59:59 GMT", 0), -1000);
  EXPECT_EQ(ParseHttpDateMs("Thu, 29 Feb 2024 12:00:00 GMT", 0),
            1'709'208'000'000);
}

// RFC 9110 5.6.7: "Recipients of a timestamp value in rfc850-date format,
// which uses a two-digit year, MUST interpret a timestamp that appears to be
// more than 50 years in the future as representing the most recent year in
// the past that had the same last two digits."
TEST(HttpDateTest, Rfc850CenturyFollowsNow) {
  EXPECT_EQ(ParseHttpDateMs("Tuesday, 01-Jan-30 00:00:00 GMT", k2026Jan01),
            k2030Jan01);
  // From 2026, "76" is 2076 (exactly 50 years ahead) and "77" is 1977.
  EXPECT_EQ(ParseHttpDateMs("Sunday, 01-Jan-76 00:00:00 GMT", k2026Jan01),
            UtcToUnixMs(2076, 1, 1, 0, 0, 0));
  EXPECT_EQ(ParseHttpDateMs("Saturday, 01-Jan-77 00:00:00 GMT", k2026Jan01),
            UtcToUnixMs(1977, 1, 1, 0, 0, 0));
  // From 1990, "94" is 1994 and "30" is 2030.
  const int64_t k1990 = DaysFromCivil(1990, 1, 1) * kDayMs;
  EXPECT_EQ(ParseHttpDateMs("Sunday, 06-Nov-94 08:49:37 GMT", k1990),
            k1994Nov06);
  EXPECT_EQ(ParseHttpDateMs("Tuesday, 01-Jan-30 00:00:00 GMT", k1990),
            k2030Jan01);
  // From 2080, "10" is 2110 (30 years ahead), not 2010 (70 years ago).
  const int64_t k2080 = DaysFromCivil(2080, 1, 1) * kDayMs;
  EXPECT_EQ(ParseHttpDateMs("Monday, 01-Jan-10 00:00:00 GMT", k2080),
            UtcToUnixMs(2110, 1, 1, 0, 0, 0));
}

// What libcurl's curl_getdate() would accept and RFC 9110 does not.
TEST(HttpDateTest, RejectsWhatTheGrammarDoesNot) {
  for (const char* text :
       {"", "Sun", " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ", "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37 GMT x",
        "Sun, 6 Nov 94 08:49:37 GMT", "Foo, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 31 Feb 2026 00:00:00 GMT",
        "Sun, 29 Feb 2025 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov  6 08:49:37", "Sun Nov  6 08:49:37 94", "2026-01-01T00:00:00Z",
        "120"}) {
    EXPECT_EQ(ParseHttpDateMs(text, 0), std::nullopt) << text;
  }
}

// ---- ISO 8601 ----

TEST(Iso8601Test, DatesTimesFractionsAndOffsets) {
  EXPECT_EQ(ParseIso8601Ms("1970-01-01"), 0);
  EXPECT_EQ(ParseIso8601Ms("2026-01-01"), k2026Jan01);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T08:49:37Z"), k1994Nov06);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06t08:49:37z"), k1994Nov06);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06 08:49:37"), k1994Nov06);  // UTC
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T08:49Z"), k1994Nov06 - 37'000);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T08:49:37.5Z"), k1994Nov06 + 500);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T08:49:37,250Z"), k1994Nov06 + 250);
  // Digits past the millisecond are dropped, not rounded.
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T08:49:37.123999Z"), k1994Nov06 + 123);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T09:49:37+01:00"), k1994Nov06);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T09:49:37+0100"), k1994Nov06);
  EXPECT_EQ(ParseIso8601Ms("1994-11-06T03:19:37-05:30"), k1994Nov06);
  // An offset can move the instant to another day.
  EXPECT_EQ(ParseIso8601Ms("2026-01-01T00:30:00+01:00"),
            k2026Jan01 - int64_t{30} * 60'000);
  EXPECT_EQ(ParseIso8601Ms("2024-02-29T00:00:00Z"), 1'709'164'800'000);
  EXPECT_EQ(ParseIso8601Ms("1969-12-31T23:59:59Z"), -1000);
}

TEST(Iso8601Test, RejectsMalformedAndImpossible) {
  for (const char* text : {"",
                           "2026",
                           "2026-1-01",
                           "2026-01-1",
                           "26-01-01",
                           "2026/01/01",
                           "2026-01-01T",
                           "2026-01-01T10",
                           "2026-01-01T10:0",
                           "2026-01-01T1:00",
                           "2026-01-01T10:00:",
                           "2026-01-01T10:00:00.",
                           "2026-01-01T10:00:00Zx",
                           "2026-01-01T10:00:00+1",
                           "2026-01-01T10:00:00+24:00",
                           "2026-01-01T10:00:00+01:60",
                           "2026-01-01X10:00",
                           "2026-02-30",
                           "2025-02-29",
                           "2026-13-01",
                           "2026-00-10",
                           "2026-01-01T24:00",
                           "2026-01-01T23:60",
                           " 2026-01-01",
                           "2026-01-01 ",
                           "1732800000"}) {
    EXPECT_EQ(ParseIso8601Ms(text), std::nullopt) << text;
  }
}

TEST(Iso8601Test, FormatsUtcToTheSecond) {
  EXPECT_EQ(FormatIso8601Ms(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601Ms(k1994Nov06), "1994-11-06T08:49:37Z");
  EXPECT_EQ(FormatIso8601Ms(k1994Nov06 + 999), "1994-11-06T08:49:37Z");
  EXPECT_EQ(FormatIso8601Ms(-1000), "1969-12-31T23:59:59Z");
  // Milliseconds truncate toward zero, as `ms / 1000` does.
  EXPECT_EQ(FormatIso8601Ms(-1), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601Ms(-1001), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIso8601Ms(*UtcToUnixMs(9999, 12, 31, 23, 59, 59)),
            "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatIso8601Ms(*UtcToUnixMs(999, 1, 2, 3, 4, 5)),
            "0999-01-02T03:04:05Z");
}

TEST(Iso8601Test, FormatThenParseRoundTrips) {
  for (int64_t ms = -3 * kDayMs; ms < 3 * kDayMs; ms += 3'599'000) {
    EXPECT_EQ(ParseIso8601Ms(FormatIso8601Ms(ms)), ms) << ms;
  }
  for (int64_t ms : {k1994Nov06, k2026Jan01, k2030Jan01}) {
    EXPECT_EQ(ParseIso8601Ms(FormatIso8601Ms(ms)), ms);
  }
}

}  // namespace
}  // namespace core
