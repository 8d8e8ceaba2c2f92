#include "app/time_text.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/civil_time.h"
#include "core/clock.h"
#include "core/schedule.h"

namespace app {

std::optional<int64_t> ParseTimeArgument(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (std::ranges::all_of(text, core::IsAsciiDigit)) {
    if (text.size() > 12) return std::nullopt;
    return static_cast<int64_t>(std::stoll(text)) * 1000;
  }
  return core::ParseIso8601Ms(text);
}

std::optional<int64_t> ParseSinceArgument(const std::string& text,
                                          int64_t now_ms) {
  if (std::optional<int64_t> time = ParseTimeArgument(text)) return time;
  core::Result<int64_t> duration = core::ParseDurationMs(text);
  if (!duration) return std::nullopt;
  return core::SaturatingAdd(now_ms, -*duration);
}

std::string FormatTimeMs(int64_t ms) { return core::FormatIso8601Ms(ms); }

}  // namespace app
