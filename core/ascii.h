// ASCII-only character helpers: case folding, case-insensitive comparison and
// trimming, for protocol text (HTTP headers, robots.txt, cron, charset labels,
// HTML tag and attribute names) where only A-Z fold and locale must not
// matter (std::tolower and std::isspace depend on the C locale and take an
// int that must be an unsigned char value). Bytes >= 0x80 are never changed,
// so UTF-8 passes through intact. Header-only; every function is pure and
// thread-safe.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace core {

// Whitespace sets for Trim. Each caller names the set its format defines.
// C's isspace() in the "C" locale: space, \t, \n, \v, \f, \r.
inline constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";
// HTML's ASCII whitespace (WHATWG Infra): space, \t, \n, \f, \r (no \v).
inline constexpr std::string_view kHtmlWhitespace = " \t\n\f\r";
// Space, tab and the line breaks CR and LF: HTTP's optional whitespace (RFC
// 9110 5.6.3) plus the line ending of a header line; also cron's separators.
inline constexpr std::string_view kSpaceTabCrLf = " \t\r\n";

// Returns whether `c` is 0-9.
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Returns `c` with A-Z mapped to a-z; every other byte unchanged.
constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Returns `s` with A-Z mapped to a-z; every other byte unchanged.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// Lowercases A-Z in `s` in place.
inline void AsciiLowerInPlace(std::string& s) {
  for (char& c : s) c = AsciiLower(c);
}

// Returns whether `a` and `b` are equal when A-Z and a-z are not told apart.
constexpr bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Returns whether `c` is one of the bytes in `set`.
constexpr bool IsOneOf(char c, std::string_view set) {
  // Not set.find(c): with a constant set this inlines into a few compares,
  // which matters in the parser's per-byte loops.
  return std::ranges::any_of(set, [c](char member) { return c == member; });
}

// Returns `s` without the leading and trailing bytes that are in
// `whitespace` (kAsciiWhitespace unless the format says otherwise). The
// result views `s`'s storage.
constexpr std::string_view Trim(
    std::string_view s, std::string_view whitespace = kAsciiWhitespace) {
  while (!s.empty() && IsOneOf(s.front(), whitespace)) s.remove_prefix(1);
  while (!s.empty() && IsOneOf(s.back(), whitespace)) s.remove_suffix(1);
  return s;
}

}  // namespace core
