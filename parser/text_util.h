// Text helpers of the page parser (parser-internal): numbers as people write
// them, whitespace normalisation, truncation marks. Pure functions on UTF-8
// strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ascii.h"

namespace parser {

// Returns the byte length of the space character that starts at s[i] in UTF-8
// and that HTML does not collapse: NBSP (C2 A0) 2, thin space (E2 80 89) and
// narrow NBSP (E2 80 AF) 3; 0 for anything else.
size_t UnicodeSpaceWidth(std::string_view s, size_t i);

// Parses a count as people write it: "1.2K", "12.5k", "2M", "1,234", "12 345"
// (space, NBSP or narrow NBSP as group separator), "1.234" (dot as group
// separator), "(979)", "1,2 k", "2 mil" (Spanish/Portuguese: thousand), "2
// Mio." / "2 mln" (million). Leading/trailing text that is not part of the
// number is not allowed, except surrounding brackets and spaces. Returns
// nullopt when `raw` is not such a number.
std::optional<int64_t> ParseCount(std::string_view raw);

// Parses an average rating: "4.5", "4,6", "4,6/5", "4.5 out of 5", "4.0 ★".
// Returns nullopt when there is no number in [0, 10].
std::optional<double> ParseRatingValue(std::string_view raw);

// Finds the first count followed by one of the words (case-insensitive), e.g.
// "2,345 ratings", "(41 ratings)", "1.2K Listeners", "2,3 Mio. Hörer". A space
// (or NBSP), dot or comma groups thousands only before exactly three digits,
// and a count is at most 24 bytes, so one call is linear in the text's length.
// `words` is a list separated by '|'. Returns the count and the offsets [begin,
// end) of the whole match in `text`.
struct CountMatch {
  int64_t value = 0;
  size_t begin = 0;
  size_t end = 0;
};
std::optional<CountMatch> FindCountBefore(std::string_view text,
                                          std::string_view words,
                                          size_t from = 0);

// Returns `s` with every run of whitespace (including NBSP) turned into one
// space, trimmed.
std::string CollapseWhitespace(std::string_view s);
// Returns `s` trimmed of HTML's ASCII whitespace (core::kHtmlWhitespace:
// space, tab, LF, FF, CR; not VT).
inline std::string_view Trim(std::string_view s) {
  return core::Trim(s, core::kHtmlWhitespace);
}
// Lowercases ASCII letters (core/ascii.h).
using core::AsciiLower;
// True when the text ends with an ellipsis ("…", "...") or a "Show more"/"Read
// more" mark.
bool LooksTruncated(std::string_view s);
// Returns `s` with a trailing ellipsis removed (and trimmed).
std::string_view StripEllipsis(std::string_view s);
// Returns a valid UTF-8 copy of `s`, invalid sequences replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view s);
// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace parser
