#include "core/schedule.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/parse_util.h"

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

std::string FormatFactor(double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%g", value);
  return buffer.data();
}

}  // namespace

// ---- Durations --------------------------------------------------------------

Result<int64_t> ParseDurationOrZeroMs(std::string_view text) {
  const std::string accepted =
      "expected a number followed by ms, s, m, h or d (e.g. \"6h\", "
      "\"500ms\")";
  const bool millis = text.ends_with("ms");
  const std::string_view digits =
      text.substr(0, text.size() - (millis ? 2 : 1));
  if (!text.empty() && text.find_first_not_of('0') == std::string_view::npos) {
    return int64_t{0};  // zero needs no unit
  }
  if (AllAsciiDigits(text)) {
    const std::string n(text.size() <= 12 ? text : "6");
    return InvalidArgument(QuoteInput(text) + ": give a unit: " + n + "ms, " +
                           n + "s, ... (ms, s, m, h or d)");
  }
  if (text.size() < 2 || !AllAsciiDigits(digits)) {
    return InvalidArgument(QuoteInput(text) + ": " + accepted);
  }
  int64_t unit_ms = 1;  // "ms"
  if (!millis) {
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
            QuoteInput(text) +
            ": units are lowercase: ms, s, m, h or d (e.g. \"6h\")");
      default:
        return InvalidArgument(QuoteInput(text) + ": " + accepted);
    }
  }
  const int64_t limit = kMaxDurationMs / unit_ms;
  const int64_t count = ReadDigitsSaturating(digits, limit + 1);
  if (count > limit) {
    return InvalidArgument(QuoteInput(text) + ": longer than the maximum of " +
                           std::to_string(kMaxDurationDays) + "d");
  }
  return count * unit_ms;
}

Result<int64_t> ParseDurationMs(std::string_view text) {
  Result<int64_t> ms = ParseDurationOrZeroMs(text);
  if (ms && *ms == 0)
    return InvalidArgument(QuoteInput(text) + ": must be more than 0");
  return ms;
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

std::optional<int64_t> ScheduleNextDueMs(
    const ScheduleTiming& timing, std::optional<int64_t> last_start_ms,
    std::optional<int64_t> next_page_due_ms, int64_t now_ms) {
  std::optional<int64_t> due = ScheduleDueMs(timing, last_start_ms, now_ms);
  if (next_page_due_ms && (!due || *next_page_due_ms < *due)) {
    due = next_page_due_ms;
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
    case PageKind::kSitemap:  // a list of pages, like a show's
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
