// Charset detection and conversion to UTF-8 before Gumbo sees the bytes
// (DESIGN.md, WHATWG "determining the character encoding", simplified): a BOM,
// then the HTTP Content-Type charset, then <meta charset> / <meta
// http-equiv=Content-Type> within the first 1024 bytes, then a UTF-8 validity
// check with a windows-1252 fallback. Conversion uses glibc's iconv; invalid
// sequences become U+FFFD, so the result is always valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace parser {

struct Utf8Result {
  std::string text;     // valid UTF-8
  std::string charset;  // the charset the bytes were read as ("utf-8",
                        // "windows-1252", ...)
  std::string problem;  // non-empty when bytes had to be replaced or a label
                        // was not understood
};

// Returns `bytes` converted to UTF-8. `content_type` is the HTTP header value
// ("" when none).
Utf8Result ToUtf8(std::string_view bytes, std::string_view content_type);

// Returns the charset label of a Content-Type value ("text/html;
// charset=ISO-8859-1" -> "iso-8859-1"), or "".
std::string CharsetFromContentType(std::string_view content_type);

// Returns the charset declared by a <meta> tag in the first 1024 bytes, or "".
std::string SniffMetaCharset(std::string_view bytes);

}  // namespace parser
