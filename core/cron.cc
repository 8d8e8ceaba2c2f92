#include "core/cron.h"

#include <array>
#include <ctime>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/civil_time.h"
#include "core/parse_util.h"

namespace core {
namespace {

constexpr int64_t kSecondMs = 1000;

Error InvalidArgument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
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
  if (AllAsciiDigits(text)) {
    const int64_t value = ReadDigitsSaturating(text, 1'000'000);
    if (value < field.low || value > field.high) {
      const std::string shown =
          text.size() <= 12 ? std::string(text) : QuoteInput(text);
      return FieldError(field, shown + " is out of range " +
                                   std::to_string(field.low) + "-" +
                                   std::to_string(field.high));
    }
    return static_cast<int>(value);
  }
  if (field.names != nullptr && text.size() == 3) {
    const std::string lower = AsciiLower(text);
    for (size_t i = 0; i < field.name_count; ++i) {
      if (field.names[i] == lower) {
        return field.low + static_cast<int>(i);
      }
    }
  }
  if (field.names != nullptr) {
    return FieldError(field, QuoteInput(text) + " is not a number or " +
                                 std::string(field.name_hint));
  }
  return FieldError(field, QuoteInput(text) + " is not a number");
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
    if (!AllAsciiDigits(step_text) ||
        ReadDigitsSaturating(step_text, 1'000'000) == 0) {
      return FieldError(
          field, "step " + QuoteInput(step_text) + " is not a positive number");
    }
    step = static_cast<int>(ReadDigitsSaturating(step_text, 1'000'000));
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
            field, QuoteInput(item) + ": a step needs * or a range (e.g. \"*/" +
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
        return FieldError(field,
                          "range " + QuoteInput(range) + " goes backwards");
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
      return FieldError(field, "empty item in list " + QuoteInput(text));
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

// ---- Local time
// ---------------------------------------------------------------

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

// ---- Cron -------------------------------------------------------------------

Result<CronSpec> CronSpec::Parse(std::string_view text) {
  const std::string_view trimmed = Trim(text, kSpaceTabCrLf);
  std::string_view expression = trimmed;
  if (!trimmed.empty() && trimmed.front() == '@') {
    const std::string macro = AsciiLower(trimmed);
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
          "unknown macro " + QuoteInput(trimmed) +
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
    const bool dow = days_of_week_[static_cast<size_t>(WeekdayFromDays(days))];
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

}  // namespace core
