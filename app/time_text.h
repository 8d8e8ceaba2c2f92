// Times as podcrawl reads and writes them on the command line and in its notes:
// ISO 8601 in UTC ("2026-11-28T15:00:00Z") or Unix seconds. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace app {

// Parses a --since value: Unix seconds ("1732800000") or ISO 8601
// ("2026-11-28", "2026-11-28T15:00:00Z", "2026-11-28 15:00:00+01:00", fractions
// of a second allowed; no offset means UTC). Returns Unix milliseconds, or
// nullopt.
std::optional<int64_t> ParseTimeArgument(const std::string& text);

// Parses a --since value that may also be a duration back from `now_ms`:
// "24h", "7d", "90m" (core::ParseDurationMs), else a time as
// ParseTimeArgument reads it. Returns Unix milliseconds, or nullopt.
std::optional<int64_t> ParseSinceArgument(const std::string& text,
                                          int64_t now_ms);

// Formats Unix milliseconds as ISO 8601 UTC ("2026-11-28T15:00:00Z").
std::string FormatTimeMs(int64_t ms);

}  // namespace app
