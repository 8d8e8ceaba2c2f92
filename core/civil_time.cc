#include "core/civil_time.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "core/ascii.h"

namespace core {
namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kMsPerDay = kSecondsPerDay * kMsPerSecond;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A cursor over a timestamp; every Read* consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  // Consumes `c` when it is next.
  bool Char(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  // Returns the next character without consuming it, or '\0' at the end.
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void Skip() { ++i_; }
  // Reads exactly `n` digits.
  bool Digits(size_t n, int* out) {
    if (s_.size() - i_ < n) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      if (!IsDigit(s_[i_ + k])) return false;
      v = v * 10 + (s_[i_ + k] - '0');
    }
    i_ += n;
    *out = v;
    return true;
  }
  // Reads one or two digits.
  bool Digits12(int* out) { return Digits(2, out) || Digits(1, out); }
  // Reads a run of ASCII letters (possibly empty).
  std::string_view Letters() {
    const size_t start = i_;
    while (i_ < s_.size() && ((s_[i_] >= 'a' && s_[i_] <= 'z') ||
                              (s_[i_] >= 'A' && s_[i_] <= 'Z'))) {
      ++i_;
    }
    return s_.substr(start, i_ - start);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// ---- HTTP-date names (RFC 9110 5.6.7: day-name, month, case-insensitive) --

bool IsDayName(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kNames = {
      "mon",      "tue",    "wed",      "thu",     "fri",
      "sat",      "sun",    "monday",   "tuesday", "wednesday",
      "thursday", "friday", "saturday", "sunday"};
  return std::ranges::any_of(kNames, [word](std::string_view name) {
    return AsciiEqualsIgnoreCase(word, name);
  });
}

// Returns 1..12, or 0 when `word` is no month name.
int MonthNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (AsciiEqualsIgnoreCase(word, kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

// time-of-day = hour ":" minute ":" second (2DIGIT each).
bool ReadHttpTime(Cursor& c, int* h, int* m, int* s) {
  return c.Digits(2, h) && c.Char(':') && c.Digits(2, m) && c.Char(':') &&
         c.Digits(2, s);
}

// RFC 9110 5.6.7: a two-digit year more than 50 years in the future is the
// most recent past year with those last two digits. So the year is the one
// with those digits in (now - 50, now + 50]: from 2080, "10" is 2110, not
// 2010 (a year more than 50 years in the past would never be written so).
int64_t FullYearOf(int two_digits, int64_t now_ms) {
  const int64_t now_year = CivilFromDays(FloorDiv(now_ms, kMsPerDay)).year;
  int64_t full = now_year - (now_year % 100 + 100) % 100 + two_digits;
  if (full > now_year + 50) {
    full -= 100;
  } else if (full <= now_year - 50) {
    full += 100;
  }
  return full;
}

// ---- ISO 8601 pieces ----

// Reads the digits of a fraction of a second (at least one): milliseconds
// kept, later digits ignored.
bool ReadFractionMs(Cursor& c, int64_t* millis) {
  int64_t scale = 100;
  size_t digits = 0;
  while (IsDigit(c.Peek())) {
    *millis += (c.Peek() - '0') * scale;
    scale /= 10;
    c.Skip();
    ++digits;
  }
  return digits > 0;
}

// Returns the decimal digits of `value` (>= 0), zero-padded to `width`.
std::string ZeroPadded(int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

}  // namespace

int DaysInMonth(int64_t year, int month) {
  static constexpr std::array<int, 13> kDays = {0,  31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[static_cast<size_t>(month)];
}

int64_t DaysFromCivil(int64_t year, int month, int day) {
  if (month <= 2) --year;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  date.year = year_of_era + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

int WeekdayFromDays(int64_t days) {
  return static_cast<int>(((days % 7) + 7 + 4) % 7);
}

std::optional<int64_t> UtcToUnixMs(int64_t year, int month, int day, int hour,
                                   int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60 * kMsPerSecond +
         int64_t{second} * kMsPerSecond;
}

std::optional<int64_t> ParseHttpDateMs(std::string_view text, int64_t now_ms) {
  Cursor c(text);
  if (!IsDayName(c.Letters())) return std::nullopt;
  int day = 0;
  int month = 0;
  int64_t year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (c.Char(',')) {
    // IMF-fixdate or rfc850-date.
    if (!c.Char(' ') || !c.Digits12(&day)) return std::nullopt;
    if (c.Char(' ')) {
      // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
      month = MonthNumber(c.Letters());
      int yyyy = 0;
      if (month == 0 || !c.Char(' ') || !c.Digits(4, &yyyy)) {
        return std::nullopt;
      }
      year = yyyy;
    } else if (c.Char('-')) {
      // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT".
      month = MonthNumber(c.Letters());
      int yy = 0;
      if (month == 0 || !c.Char('-') || !c.Digits(2, &yy)) {
        return std::nullopt;
      }
      year = FullYearOf(yy, now_ms);
    } else {
      return std::nullopt;
    }
    if (!c.Char(' ') || !ReadHttpTime(c, &hour, &minute, &second) ||
        !c.Char(' ')) {
      return std::nullopt;
    }
    if (!AsciiEqualsIgnoreCase(c.Letters(), "gmt") || !c.done()) {
      return std::nullopt;
    }
  } else {
    // asctime-date: "Sun Nov  6 08:49:37 1994".
    if (!c.Char(' ')) return std::nullopt;
    month = MonthNumber(c.Letters());
    if (month == 0 || !c.Char(' ')) return std::nullopt;
    c.Char(' ');  // a single-digit day is padded with a space
    int yyyy = 0;
    if (!c.Digits12(&day) || !c.Char(' ') ||
        !ReadHttpTime(c, &hour, &minute, &second) || !c.Char(' ') ||
        !c.Digits(4, &yyyy) || !c.done()) {
      return std::nullopt;
    }
    year = yyyy;
  }
  return UtcToUnixMs(year, month, day, hour, minute, second);
}

std::optional<int64_t> ParseIso8601Ms(std::string_view text) {
  Cursor c(text);
  int year = 0;
  int month = 0;
  int day = 0;
  if (!c.Digits(4, &year) || !c.Char('-') || !c.Digits(2, &month) ||
      !c.Char('-') || !c.Digits(2, &day)) {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t millis = 0;
  int64_t offset_s = 0;  // east of UTC
  if (!c.done()) {
    if (!c.Char('T') && !c.Char('t') && !c.Char(' ')) return std::nullopt;
    if (!c.Digits(2, &hour) || !c.Char(':') || !c.Digits(2, &minute)) {
      return std::nullopt;
    }
    if (c.Char(':')) {
      if (!c.Digits(2, &second)) return std::nullopt;
      if ((c.Char('.') || c.Char(',')) && !ReadFractionMs(c, &millis)) {
        return std::nullopt;
      }
    }
    if (c.Char('Z') || c.Char('z')) {
      // UTC
    } else if (c.Peek() == '+' || c.Peek() == '-') {
      const int sign = c.Peek() == '+' ? 1 : -1;
      c.Skip();
      int offset_h = 0;
      int offset_m = 0;
      if (!c.Digits(2, &offset_h)) return std::nullopt;
      c.Char(':');
      if (!c.Digits(2, &offset_m) || offset_h > 23 || offset_m > 59) {
        return std::nullopt;
      }
      offset_s = sign * (int64_t{offset_h} * 3600 + int64_t{offset_m} * 60);
    }
  }
  if (!c.done()) return std::nullopt;
  const std::optional<int64_t> ms =
      UtcToUnixMs(year, month, day, hour, minute, second);
  if (!ms) return std::nullopt;
  return *ms - offset_s * kMsPerSecond + millis;
}

std::string FormatIso8601Ms(int64_t ms) {
  const int64_t seconds = ms / kMsPerSecond;  // toward zero, as ms / 1000
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t of_day = seconds - days * kSecondsPerDay;
  const CivilDate date = CivilFromDays(days);
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive,
  // PR 105651) on "literal" + std::string in a Release build.
  std::string out;
  if (date.year < 0) out += '-';
  out += ZeroPadded(date.year < 0 ? -date.year : date.year, 4);
  for (const auto& [separator, value] :
       {std::pair<char, int64_t>{'-', date.month},
        {'-', date.day},
        {'T', of_day / 3600},
        {':', of_day / 60 % 60},
        {':', of_day % 60}}) {
    out += separator;
    out += ZeroPadded(value, 2);
  }
  out += 'Z';
  return out;
}

}  // namespace core
