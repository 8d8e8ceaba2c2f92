// Civil (proleptic Gregorian, UTC) calendar arithmetic and the two textual
// time formats podcrawl reads and writes: HTTP-date (RFC 9110 5.6.7, e.g. in
// Retry-After) and ISO 8601 / RFC 3339 timestamps (command-line arguments and
// output). No time zone database and no timegm(): every function is pure,
// thread-safe and independent of TZ and the C locale.
//
// Day counts follow Howard Hinnant's "chrono-Compatible Low-Level Date
// Algorithms" (days_from_civil / civil_from_days), exact for any int64 year
// that does not overflow.
//
// HTTP-dates are parsed here and not with libcurl's curl_getdate(): that
// function is written for cookie dates and accepts what RFC 9110 does not (no
// zone or zones other than GMT, "Feb 31", trailing text, a one-digit day),
// reads RFC 850 two-digit years by its own rule instead of 5.6.7's "more than
// 50 years in the future" rule, and returns -1 both for errors and for
// 1969-12-31T23:59:59Z (and 0 for anything earlier).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace core {

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Returns whether `year` is a Gregorian leap year.
constexpr bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// Returns the number of days of `month` (1..12) in `year`; 0 for a month
// outside 1..12.
int DaysInMonth(int64_t year, int month);

// Returns the days since 1970-01-01 of a date (negative before it). The
// month must be 1..12; the day is not checked against the month (day 0 is the
// last day of the month before).
int64_t DaysFromCivil(int64_t year, int month, int day);

// Returns the date `days` days after 1970-01-01 (the inverse of
// DaysFromCivil).
CivilDate CivilFromDays(int64_t days);

// Returns the weekday of a day count since 1970-01-01: 0 = Sunday .. 6 =
// Saturday (1970-01-01 was a Thursday, 4).
int WeekdayFromDays(int64_t days);

// Returns floor(a / b) for b > 0 (C++ division truncates toward zero).
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Returns the Unix milliseconds of a UTC date and time, or nullopt when a
// field is out of range (month 1..12, day within the month, hour 0..23,
// minute 0..59, second 0..60). A leap second (":60") is read as the first
// second of the next minute, as most parsers do.
std::optional<int64_t> UtcToUnixMs(int64_t year, int month, int day, int hour,
                                   int minute, int second);

// Parses an HTTP-date (RFC 9110 5.6.7) in any of its three forms:
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
// ("Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year is the year with those
// digits that is at most 50 years after and less than 50 years before
// `now_ms`, so one more than 50 years ahead is the most recent past one) and
// asctime ("Sun Nov  6 08:49:37 1994"). Day and month names and "GMT" are
// matched case-insensitively; the day name is not checked against the date.
// Anything else (another zone, a missing field, a date that does not exist,
// trailing text, surrounding whitespace) is nullopt. Returns Unix milliseconds.
std::optional<int64_t> ParseHttpDateMs(std::string_view text, int64_t now_ms);

// Parses an ISO 8601 / RFC 3339 date or timestamp: "YYYY-MM-DD", optionally
// followed by "T" (or "t" or a space) and "hh:mm", "hh:mm:ss" or
// "hh:mm:ss.fff" (any number of fraction digits, "," allowed; milliseconds
// kept), and then an optional offset "Z", "+hh:mm", "-hh:mm", "+hhmm" (none
// means UTC). Returns Unix milliseconds, or nullopt when the text is not such
// a timestamp or names a time that does not exist (Feb 30, 24:00).
std::optional<int64_t> ParseIso8601Ms(std::string_view text);

// Formats Unix milliseconds as an ISO 8601 UTC timestamp to the second
// ("2026-11-28T15:00:00Z"), the milliseconds truncated toward zero (as
// `ms / 1000`). Years below 1000 are zero-padded to four digits.
std::string FormatIso8601Ms(int64_t ms);

}  // namespace core
