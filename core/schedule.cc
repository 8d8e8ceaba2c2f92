#include "core/schedule.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <utility>
#include <vector>

namespace core {
namespace {

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kMinuteMs = 60 * kSecondMs;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int64_t kMaxDurationDays = 3650;
constexpr int64_t kMaxDurationMs = kMaxDurationDays * kDayMs;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

Error InvalidArgument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}

// Quotes user input for an error message, cut short so a megabyte of junk
// does not become a megabyte of message.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  if (text.size() <= kMaxShown) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(text.substr(0, kMaxShown)) + "...\"";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

// Reads a string of digits (AllDigits) as a number, saturating at `cap` so
// that no input overflows; the caller reports anything above its range.
int64_t ReadDigits(std::string_view digits, int64_t cap) {
  int64_t value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > cap) return cap;
  }
  return value;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (b > 0 && a > kInt64Max - b) return kInt64Max;
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) {
    return std::numeric_limits<int64_t>::min();
  }
  return a + b;
}

std::string FormatFactor(double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%g", value);
  return buffer.data();
}

// ---- Cron fields ----------------------------------------------------------

constexpr std::array<std::string_view, 12> kMonthNames = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct CronField {
  std::string_view name;
  int low;
  int high;
  const std::string_view* names;  // names[i] stands for low + i, or null
  size_t name_count;
  std::string_view name_hint;  // "a month name (jan-dec)"
};

constexpr CronField kMinuteField = {"minute", 0, 59, nullptr, 0, ""};
constexpr CronField kHourField = {"hour", 0, 23, nullptr, 0, ""};
constexpr CronField kDayOfMonthField = {"day-of-month", 1, 31, nullptr, 0, ""};
constexpr CronField kMonthField = {"month",
                                   1,
                                   12,
                                   kMonthNames.data(),
                                   kMonthNames.size(),
                                   "a month name (jan-dec)"};
// Day-of-week reads 0-7: 7 is Sunday again, folded into 0 after parsing.
constexpr CronField kDayOfWeekField = {
    "day-of-week",         0, 7, kDayNames.data(), kDayNames.size(),
    "a day name (sun-sat)"};

Error FieldError(const CronField& field, const std::string& what) {
  return InvalidArgument(std::string(field.name) + ": " + what);
}

// Reads one value of a field: a number or, where the field has them, a
// three-letter name in any case.
Result<int> ParseCronValue(const CronField& field, std::string_view text) {
  if (AllDigits(text)) {
    const int64_t value = ReadDigits(text, 1'000'000);
    if (value < field.low || value > field.high) {
      const std::string shown =
          text.size() <= 12 ? std::string(text) : Quote(text);
      return FieldError(field, shown + " is out of range " +
                                   std::to_string(field.low) + "-" +
                                   std::to_string(field.high));
    }
    return static_cast<int>(value);
  }
  if (field.names != nullptr && text.size() == 3) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), ToLower);
    for (size_t i = 0; i < field.name_count; ++i) {
      if (field.names[i] == lower) {
        return field.low + static_cast<int>(i);
      }
    }
  }
  if (field.names != nullptr) {
    return FieldError(field, Quote(text) + " is not a number or " +
                                 std::string(field.name_hint));
  }
  return FieldError(field, Quote(text) + " is not a number");
}

// Parses one item of a field's list (`*`, `n`, `a-b`, `*/s` or `a-b/s`) into
// a bit mask over [field.low, field.high].
Result<uint64_t> ParseCronItem(const CronField& field, std::string_view item) {
  std::string_view range = item;
  int step = 1;
  const size_t slash = item.find('/');
  if (slash != std::string_view::npos) {
    range = item.substr(0, slash);
    const std::string_view step_text = item.substr(slash + 1);
    if (!AllDigits(step_text) || ReadDigits(step_text, 1'000'000) == 0) {
      return FieldError(
          field, "step " + Quote(step_text) + " is not a positive number");
    }
    step = static_cast<int>(ReadDigits(step_text, 1'000'000));
  }
  int low = field.low;
  int high = field.high;
  if (range != "*") {
    // A leading '-' is not a range separator: "-1" is a (bad) value.
    const size_t dash = range.find('-', 1);
    if (dash == std::string_view::npos) {
      if (slash != std::string_view::npos) {
        // Vixie cron rejects "5/15"; other crons read it differently
        // (5-59/15, or 5 alone). Refuse, and say how to write it.
        return FieldError(
            field, Quote(item) + ": a step needs * or a range (e.g. \"*/" +
                       std::to_string(step) + "\" or \"" + std::string(range) +
                       "-" + std::to_string(field.high) + "/" +
                       std::to_string(step) + "\")");
      }
      Result<int> value = ParseCronValue(field, range);
      if (!value) return value.error();
      low = high = *value;
    } else {
      Result<int> first = ParseCronValue(field, range.substr(0, dash));
      if (!first) return first.error();
      Result<int> last = ParseCronValue(field, range.substr(dash + 1));
      if (!last) return last.error();
      if (*first > *last) {
        return FieldError(field, "range " + Quote(range) + " goes backwards");
      }
      low = *first;
      high = *last;
    }
  }
  uint64_t bits = 0;
  for (int v = low; v <= high; v += step) bits |= uint64_t{1} << v;
  return bits;
}

// Parses one field, a comma-separated list of items, into a bit mask.
Result<uint64_t> ParseCronField(const CronField& field, std::string_view text) {
  uint64_t bits = 0;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos
                                               : comma - start);
    if (item.empty()) {
      return FieldError(field, "empty item in list " + Quote(text));
    }
    Result<uint64_t> item_bits = ParseCronItem(field, item);
    if (!item_bits) return item_bits.error();
    bits |= *item_bits;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return bits;
}

template <size_t N>
std::bitset<N> ToBitset(uint64_t bits) {
  return std::bitset<N>(bits &
                        ((N >= 64) ? ~uint64_t{0} : ((uint64_t{1} << N) - 1)));
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const size_t begin = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > begin) parts.push_back(text.substr(begin, i - begin));
  }
  return parts;
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// ---- Civil calendar (proleptic Gregorian), for walking local dates --------

// Days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", days_from_civil).
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

bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int DaysInMonth(int64_t year, int month) {
  static constexpr std::array<int, 13> kDays = {0,  31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[static_cast<size_t>(month)];
}

// 0 = Sunday; 1970-01-01 was a Thursday.
int Weekday(int64_t days_since_epoch) {
  return static_cast<int>(((days_since_epoch % 7) + 7 + 4) % 7);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The UTC offset (seconds east) in effect at `instant_s`, per TZ.
std::optional<int64_t> OffsetAt(int64_t instant_s) {
  const time_t t = instant_s;
  struct tm local {};
  if (localtime_r(&t, &local) == nullptr) return std::nullopt;
  return int64_t{local.tm_gmtoff};
}

// Returns the earliest instant whose local wall-clock time is `wall_s`
// (seconds since 1970-01-01 00:00 on the local clock), or nullopt when a
// clock change skips that wall time. Offsets are probed a day and a half on
// either side, so one transition near `wall_s` yields both the offset before
// and the one after; each candidate instant is kept only if the offset in
// effect at it is the one that produced it.
std::optional<int64_t> EarliestInstantOfWallTime(int64_t wall_s) {
  constexpr int64_t kProbeS = int64_t{36} * 3600;
  const std::array<std::optional<int64_t>, 3> offsets = {
      OffsetAt(wall_s - kProbeS), OffsetAt(wall_s), OffsetAt(wall_s + kProbeS)};
  std::optional<int64_t> best;
  for (const std::optional<int64_t>& offset : offsets) {
    if (!offset) continue;
    const int64_t instant = wall_s - *offset;
    if (OffsetAt(instant) != offset) continue;
    if (!best || instant < *best) best = instant;
  }
  return best;
}

}  // namespace

// ---- Durations --------------------------------------------------------------

Result<int64_t> ParseDurationMs(std::string_view text) {
  const std::string accepted =
      "expected a number followed by s, m, h or d (e.g. \"6h\")";
  if (text.size() < 2 || !AllDigits(text.substr(0, text.size() - 1))) {
    return InvalidArgument(Quote(text) + ": " + accepted);
  }
  int64_t unit_ms = 0;
  switch (text.back()) {
    case 's':
      unit_ms = kSecondMs;
      break;
    case 'm':
      unit_ms = kMinuteMs;
      break;
    case 'h':
      unit_ms = kHourMs;
      break;
    case 'd':
      unit_ms = kDayMs;
      break;
    case 'S':
    case 'M':
    case 'H':
    case 'D':
      return InvalidArgument(
          Quote(text) + ": units are lowercase: s, m, h or d (e.g. \"6h\")");
    default:
      return InvalidArgument(Quote(text) + ": " + accepted);
  }
  const int64_t limit = kMaxDurationMs / unit_ms;
  const int64_t count = ReadDigits(text.substr(0, text.size() - 1), limit + 1);
  if (count == 0) return InvalidArgument(Quote(text) + ": must be more than 0");
  if (count > limit) {
    return InvalidArgument(Quote(text) + ": longer than the maximum of " +
                           std::to_string(kMaxDurationDays) + "d");
  }
  return count * unit_ms;
}

std::string FormatDurationMs(int64_t ms) {
  if (ms == 0) return "0s";
  const std::string sign = ms < 0 ? "-" : "";
  // Unsigned, so that INT64_MIN has a magnitude too.
  const uint64_t magnitude = ms < 0 ? uint64_t{0} - static_cast<uint64_t>(ms)
                                    : static_cast<uint64_t>(ms);
  static constexpr std::array<std::pair<uint64_t, const char*>, 4> kUnits = {{
      {static_cast<uint64_t>(kDayMs), "d"},
      {static_cast<uint64_t>(kHourMs), "h"},
      {static_cast<uint64_t>(kMinuteMs), "m"},
      {static_cast<uint64_t>(kSecondMs), "s"},
  }};
  for (const auto& [unit, suffix] : kUnits) {
    if (magnitude % unit == 0) {
      return sign + std::to_string(magnitude / unit) + suffix;
    }
  }
  return sign + std::to_string(magnitude) + "ms";
}

// ---- Cron -------------------------------------------------------------------

Result<CronSpec> CronSpec::Parse(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  std::string_view expression = trimmed;
  if (!trimmed.empty() && trimmed.front() == '@') {
    std::string macro(trimmed);
    std::transform(macro.begin(), macro.end(), macro.begin(), ToLower);
    if (macro == "@yearly" || macro == "@annually") {
      expression = "0 0 1 1 *";
    } else if (macro == "@monthly") {
      expression = "0 0 1 * *";
    } else if (macro == "@weekly") {
      expression = "0 0 * * 0";
    } else if (macro == "@daily" || macro == "@midnight") {
      expression = "0 0 * * *";
    } else if (macro == "@hourly") {
      expression = "0 * * * *";
    } else {
      return InvalidArgument(
          "unknown macro " + Quote(trimmed) +
          " (expected @yearly, @annually, @monthly, @weekly, @daily, "
          "@midnight or @hourly)");
    }
  }
  const std::vector<std::string_view> fields = SplitWhitespace(expression);
  if (fields.size() != 5) {
    return InvalidArgument(
        "expected 5 fields (minute hour day-of-month month day-of-week), got " +
        std::to_string(fields.size()));
  }
  Result<uint64_t> minutes = ParseCronField(kMinuteField, fields[0]);
  if (!minutes) return minutes.error();
  Result<uint64_t> hours = ParseCronField(kHourField, fields[1]);
  if (!hours) return hours.error();
  Result<uint64_t> days = ParseCronField(kDayOfMonthField, fields[2]);
  if (!days) return days.error();
  Result<uint64_t> months = ParseCronField(kMonthField, fields[3]);
  if (!months) return months.error();
  Result<uint64_t> weekdays = ParseCronField(kDayOfWeekField, fields[4]);
  if (!weekdays) return weekdays.error();

  CronSpec spec;
  spec.text_ = std::string(trimmed);
  spec.minutes_ = ToBitset<60>(*minutes);
  spec.hours_ = ToBitset<24>(*hours);
  spec.days_of_month_ = ToBitset<32>(*days);
  spec.months_ = ToBitset<13>(*months);
  // 7 is Sunday, like 0.
  const uint64_t sunday_too = (*weekdays >> 7) & 1;
  spec.days_of_week_ = ToBitset<7>(*weekdays | sunday_too);
  // Vixie cron's rule: a field "starting with *" (even "*/2") counts as
  // unrestricted for the day-of-month / day-of-week OR.
  spec.day_of_month_star_ = fields[2].front() == '*';
  spec.day_of_week_star_ = fields[4].front() == '*';
  return spec;
}

std::optional<int64_t> CronSpec::NextAfter(int64_t after_ms) const {
  // Years 0 to 9999 (UTC): enough for any schedule, and far from overflow in
  // the arithmetic below.
  constexpr int64_t kMinMs = -62'167'219'200'000;
  constexpr int64_t kMaxMs = 253'402'300'799'999;
  if (after_ms < kMinMs || after_ms > kMaxMs) return std::nullopt;
  if (minutes_.none() || hours_.none() || days_of_month_.none() ||
      months_.none()) {
    return std::nullopt;  // a default-constructed spec matches nothing
  }
  // Follow TZ changes made with setenv (localtime_r need not re-read TZ).
  tzset();
  const time_t after_s = FloorDiv(after_ms, kSecondMs);
  struct tm local {};
  if (localtime_r(&after_s, &local) == nullptr) return std::nullopt;

  // Walk the local calendar from the minute after `after_ms`, skipping whole
  // months, days and hours that cannot match, so a yearly spec costs a few
  // hundred steps rather than half a million minutes.
  int64_t year = int64_t{local.tm_year} + 1900;
  int month = local.tm_mon + 1;
  int day = local.tm_mday;
  int hour = local.tm_hour;
  int minute = local.tm_min + 1;
  const int64_t last_year = year + 8;
  const auto next_month = [&] {
    if (++month > 12) {
      month = 1;
      ++year;
    }
    day = 1;
    hour = 0;
    minute = 0;
  };
  while (year <= last_year) {
    if (!months_[static_cast<size_t>(month)]) {
      next_month();
      continue;
    }
    if (day > DaysInMonth(year, month)) {
      next_month();
      continue;
    }
    const int64_t days = DaysFromCivil(year, month, day);
    const bool dom = days_of_month_[static_cast<size_t>(day)];
    const bool dow = days_of_week_[static_cast<size_t>(Weekday(days))];
    const bool day_matches =
        (day_of_month_star_ || day_of_week_star_) ? (dom && dow) : (dom || dow);
    if (!day_matches || hour > 23) {
      ++day;
      hour = 0;
      minute = 0;
      continue;
    }
    if (!hours_[static_cast<size_t>(hour)] || minute > 59) {
      ++hour;
      minute = 0;
      continue;
    }
    if (!minutes_[static_cast<size_t>(minute)]) {
      ++minute;
      continue;
    }
    const int64_t wall_s =
        days * 86'400 + int64_t{hour} * 3'600 + int64_t{minute} * 60;
    // A wall time skipped by a DST change has no instant; a repeated one
    // counts at its first instant only, so if that one is not after
    // `after_ms` the wall time has had its match already.
    const std::optional<int64_t> instant = EarliestInstantOfWallTime(wall_s);
    if (instant && *instant * kSecondMs > after_ms) {
      return *instant * kSecondMs;
    }
    ++minute;
  }
  return std::nullopt;
}

// ---- Timing -----------------------------------------------------------------

std::string ScheduleTiming::Describe() const {
  if (every_ms) return "every " + FormatDurationMs(*every_ms);
  if (cron) return "cron " + cron->text();
  return "never";
}

std::optional<int64_t> ScheduleDueMs(const ScheduleTiming& timing,
                                     std::optional<int64_t> last_start_ms,
                                     int64_t now_ms) {
  if (!timing.every_ms && !timing.cron) return std::nullopt;
  if (!last_start_ms) return now_ms;
  std::optional<int64_t> due;
  if (timing.every_ms) {
    // A non-positive interval (never valid) still moves forward.
    due = SaturatingAdd(*last_start_ms, std::max<int64_t>(*timing.every_ms, 1));
  }
  if (timing.cron) {
    // The first cron time after the last start: however many were missed
    // since, that is one round due now.
    const std::optional<int64_t> cron_due =
        timing.cron->NextAfter(*last_start_ms);
    if (cron_due && (!due || *cron_due < *due)) due = cron_due;
  }
  return due;
}

// ---- Recrawl ----------------------------------------------------------------

namespace {

// Clamps to [min_ms, max_ms] and to at least 1 ms, whatever the policy (an
// unvalidated policy may have min > max or non-positive bounds).
int64_t ClampInterval(const RecrawlPolicy& policy, int64_t ms) {
  ms = std::min(ms, policy.max_ms);
  ms = std::max(ms, policy.min_ms);
  return std::max<int64_t>(ms, 1);
}

int64_t KindBaseMs(const RecrawlPolicy& policy, PageKind kind) {
  switch (kind) {
    case PageKind::kShow:
      return policy.show_ms;
    case PageKind::kEpisode:
      return policy.episode_ms;
    case PageKind::kUnknown:
      return policy.other_ms;
  }
  return policy.other_ms;
}

}  // namespace

int64_t BaseRecrawlIntervalMs(const RecrawlPolicy& policy, PageKind kind) {
  return ClampInterval(policy, KindBaseMs(policy, kind));
}

int64_t NextRecrawlIntervalMs(const RecrawlPolicy& policy, PageKind kind,
                              std::optional<int64_t> previous_ms,
                              bool changed) {
  if (!previous_ms || *previous_ms <= 0) {
    return BaseRecrawlIntervalMs(policy, kind);
  }
  const double factor =
      changed ? policy.changed_factor : policy.unchanged_factor;
  const double scaled = std::round(static_cast<double>(*previous_ms) * factor);
  int64_t next = 0;
  if (std::isnan(scaled)) {
    return BaseRecrawlIntervalMs(policy, kind);
  }
  // 2^63 as a double; anything at or above it saturates.
  constexpr double kLimit = 9223372036854775808.0;
  if (scaled >= kLimit) {
    next = kInt64Max;
  } else if (scaled <= 0) {
    next = 0;
  } else {
    next = static_cast<int64_t>(scaled);
  }
  return ClampInterval(policy, next);
}

Status ValidateRecrawlPolicy(const RecrawlPolicy& policy) {
  const std::array<std::pair<const char*, int64_t>, 6> intervals = {{
      {"show", policy.show_ms},
      {"episode", policy.episode_ms},
      {"other", policy.other_ms},
      {"failed", policy.failed_ms},
      {"min", policy.min_ms},
      {"max", policy.max_ms},
  }};
  for (const auto& [name, ms] : intervals) {
    if (ms < kSecondMs) {
      return InvalidArgument(std::string(name) + ": " + FormatDurationMs(ms) +
                             " is shorter than 1s");
    }
  }
  if (policy.min_ms > policy.max_ms) {
    return InvalidArgument("min: " + FormatDurationMs(policy.min_ms) +
                           " is longer than max (" +
                           FormatDurationMs(policy.max_ms) + ")");
  }
  // Written so that NaN fails too.
  if (!(policy.changed_factor > 0 && policy.changed_factor <= 1)) {
    return InvalidArgument(
        "changed_factor: " + FormatFactor(policy.changed_factor) +
        " is not in (0, 1]");
  }
  if (!(policy.unchanged_factor >= 1 && policy.unchanged_factor <= 100)) {
    return InvalidArgument(
        "unchanged_factor: " + FormatFactor(policy.unchanged_factor) +
        " is not in [1, 100]");
  }
  return {};
}

}  // namespace core
