// Small helpers for reading user input (config values, command-line
// arguments) and reporting it in error messages. Header-only; pure and
// thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ascii.h"

namespace core {

// Returns `text` in double quotes for an error message, cut to 40 bytes and
// "..." so that a megabyte of junk does not become a megabyte of message.
inline std::string QuoteInput(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  // Appended, not "\"" + std::string: GCC 12 warns (-Wrestrict, a false
  // positive, PR 105651) on that form in a Release build.
  std::string quoted = "\"";
  quoted += text.substr(0, kMaxShown);
  quoted += text.size() <= kMaxShown ? "\"" : "...\"";
  return quoted;
}

// Returns whether `text` is one or more ASCII digits.
inline bool AllAsciiDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsAsciiDigit);
}

// Reads a string of ASCII digits (AllAsciiDigits) as a number, saturating at
// `cap` (>= 0) so that no input overflows; the caller reports anything above
// its range.
inline int64_t ReadDigitsSaturating(std::string_view digits, int64_t cap) {
  int64_t value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > cap) return cap;
  }
  return value;
}

}  // namespace core
