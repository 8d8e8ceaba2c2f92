#include "app/time_text.h"

#include <array>
#include <cctype>
#include <ctime>

namespace app {
namespace {

// Reads digits at text[*pos..] (exactly `width` of them when width > 0).
bool ReadNumber(const std::string& text, size_t* pos, size_t width,
                int* value) {
  size_t start = *pos;
  int v = 0;
  while (*pos < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[*pos])) != 0 &&
         (width == 0 || *pos - start < width)) {
    v = v * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start || (width > 0 && *pos - start != width)) return false;
  *value = v;
  return true;
}

struct TimeParts {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t millis = 0;
  int64_t offset_s = 0;  // east of UTC
};

bool Expect(const std::string& text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// YYYY-MM-DD
bool ParseDate(const std::string& text, size_t* pos, TimeParts* t) {
  return ReadNumber(text, pos, 4, &t->year) && Expect(text, pos, '-') &&
         ReadNumber(text, pos, 2, &t->month) && Expect(text, pos, '-') &&
         ReadNumber(text, pos, 2, &t->day);
}

// .fff (any number of digits; milliseconds kept)
bool ParseFraction(const std::string& text, size_t* pos, TimeParts* t) {
  int64_t scale = 100;
  size_t digits = 0;
  while (*pos < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[*pos])) != 0) {
    t->millis += (text[*pos] - '0') * scale;
    scale /= 10;
    ++*pos;
    ++digits;
  }
  return digits > 0;
}

// hh:mm[:ss[.fff]]
bool ParseClock(const std::string& text, size_t* pos, TimeParts* t) {
  if (!ReadNumber(text, pos, 2, &t->hour) || !Expect(text, pos, ':') ||
      !ReadNumber(text, pos, 2, &t->minute)) {
    return false;
  }
  if (*pos >= text.size() || text[*pos] != ':') return true;
  ++*pos;
  if (!ReadNumber(text, pos, 2, &t->second)) return false;
  if (*pos < text.size() && (text[*pos] == '.' || text[*pos] == ',')) {
    ++*pos;
    return ParseFraction(text, pos, t);
  }
  return true;
}

// Z, +hh:mm, -hhmm, or nothing (UTC).
bool ParseOffset(const std::string& text, size_t* pos, TimeParts* t) {
  if (*pos >= text.size()) return true;
  const char sign = text[*pos];
  ++*pos;
  if (sign == 'Z' || sign == 'z') return true;
  if (sign != '+' && sign != '-') return false;
  int hours = 0;
  int minutes = 0;
  if (!ReadNumber(text, pos, 2, &hours)) return false;
  if (*pos < text.size() && text[*pos] == ':') ++*pos;
  if (!ReadNumber(text, pos, 2, &minutes)) return false;
  if (hours > 23 || minutes > 59) return false;
  t->offset_s = (sign == '+' ? 1 : -1) *
                (static_cast<int64_t>(hours) * 3600 + int64_t{minutes} * 60);
  return true;
}

bool InRange(const TimeParts& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 &&
         t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}

}  // namespace

std::optional<int64_t> ParseTimeArgument(const std::string& text) {
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text)
    all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
  if (all_digits) {
    if (text.size() > 12) return std::nullopt;
    return static_cast<int64_t>(std::stoll(text)) * 1000;
  }
  size_t pos = 0;
  TimeParts t;
  if (!ParseDate(text, &pos, &t)) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')
      return std::nullopt;
    ++pos;
    if (!ParseClock(text, &pos, &t) || !ParseOffset(text, &pos, &t))
      return std::nullopt;
  }
  if (pos != text.size() || !InRange(t)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.month - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.minute;
  tm.tm_sec = t.second;
  const time_t seconds = timegm(&tm);
  if (tm.tm_mday != t.day) return std::nullopt;  // e.g. February 30
  return (static_cast<int64_t>(seconds) - t.offset_s) * 1000 + t.millis;
}

std::string FormatTimeMs(int64_t ms) {
  const auto t = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

}  // namespace app
