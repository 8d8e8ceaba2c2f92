#include "parser/charset.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <memory>

#include "parser/text_util.h"

namespace parser {
namespace {

struct IconvDeleter {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvPtr = std::unique_ptr<void, IconvDeleter>;

// Maps a label to the name iconv knows, following the WHATWG aliases that
// matter in practice (latin1 and ascii labels mean windows-1252 in browsers).
// "" for UTF-8.
std::string CanonicalCharset(std::string label) {
  label = AsciiLower(Trim(label));
  while (!label.empty() && (label.front() == '"' || label.front() == '\''))
    label.erase(0, 1);
  while (!label.empty() && (label.back() == '"' || label.back() == '\''))
    label.pop_back();
  if (label.empty() || label == "utf-8" || label == "utf8" ||
      label == "unicode-1-1-utf-8") {
    return "utf-8";
  }
  if (label == "iso-8859-1" || label == "latin1" || label == "iso8859-1" ||
      label == "l1" || label == "us-ascii" || label == "ascii" ||
      label == "cp1252" || label == "windows-1252" || label == "x-cp1252" ||
      label == "iso_8859-1") {
    return "windows-1252";
  }
  return label;
}

// Converts with iconv, replacing what cannot be converted by U+FFFD. Returns
// false when iconv does not know `from`.
bool Convert(std::string_view bytes, const std::string& from, std::string* out,
             bool* replaced) {
  iconv_t raw = iconv_open("UTF-8", from.c_str());
  if (reinterpret_cast<std::intptr_t>(raw) == -1) return false;  // (iconv_t)-1
  IconvPtr cd(raw);
  out->clear();
  out->reserve(bytes.size() + bytes.size() / 2);
  std::string input(bytes);
  char* in = input.data();
  size_t in_left = input.size();
  std::array<char, 16384> buf;
  while (in_left > 0) {
    char* o = buf.data();
    size_t o_left = buf.size();
    const size_t r =
        iconv(static_cast<iconv_t>(cd.get()), &in, &in_left, &o, &o_left);
    out->append(buf.data(), buf.size() - o_left);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ or EINVAL (an invalid or cut sequence): replace one byte and go
      // on.
      out->append("\xEF\xBF\xBD");
      *replaced = true;
      ++in;
      --in_left;
      iconv(static_cast<iconv_t>(cd.get()), nullptr, nullptr, nullptr, nullptr);
    }
  }
  return true;
}

size_t FindCaseless(std::string_view hay, std::string_view needle,
                    size_t from) {
  if (needle.empty() || hay.size() < needle.size())
    return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    bool eq = true;
    for (size_t k = 0; k < needle.size(); ++k) {
      if (core::AsciiLower(hay[i + k]) != needle[k]) {
        eq = false;
        break;
      }
    }
    if (eq) return i;
  }
  return std::string_view::npos;
}

std::string CharsetAfter(std::string_view s, size_t pos) {
  // s[pos] is just after "charset"; skip spaces, '=', quotes.
  while (pos < s.size() &&
         (s[pos] == ' ' || s[pos] == '=' || s[pos] == '"' || s[pos] == '\'')) {
    ++pos;
  }
  size_t end = pos;
  while (end < s.size() && s[end] != '"' && s[end] != '\'' && s[end] != ';' &&
         s[end] != ' ' && s[end] != '>' && s[end] != '/' && s[end] != '\t') {
    ++end;
  }
  // A charset label is an ASCII token (WHATWG Encoding labels, RFC 2978 names);
  // anything else is not a label, and must not reach iconv or an error message.
  const std::string_view label = s.substr(pos, end - pos);
  for (const char c : label) {
    const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                       c == '.' || c == ':';
    if (!token) return "";
  }
  return std::string(label);
}

}  // namespace

std::string CharsetFromContentType(std::string_view content_type) {
  const size_t p = FindCaseless(content_type, "charset", 0);
  if (p == std::string_view::npos) return "";
  return AsciiLower(CharsetAfter(content_type, p + 7));
}

std::string SniffMetaCharset(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 1024);
  size_t pos = 0;
  while ((pos = FindCaseless(head, "<meta", pos)) != std::string_view::npos) {
    size_t end = head.find('>', pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view tag = head.substr(pos, end - pos);
    const size_t c = FindCaseless(tag, "charset", 0);
    if (c != std::string_view::npos) {
      std::string label = CharsetAfter(tag, c + 7);
      if (!label.empty()) return AsciiLower(label);
    }
    pos = end;
  }
  return "";
}

Utf8Result ToUtf8(std::string_view bytes, std::string_view content_type) {
  Utf8Result r;
  // Byte order marks win over every label.
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    r.charset = "utf-8";
  } else if (bytes.size() >= 2 && bytes.substr(0, 2) == "\xFF\xFE") {
    r.charset = "utf-16le";
    bytes.remove_prefix(2);
  } else if (bytes.size() >= 2 && bytes.substr(0, 2) == "\xFE\xFF") {
    r.charset = "utf-16be";
    bytes.remove_prefix(2);
  }
  if (r.charset.empty()) {
    std::string label = CharsetFromContentType(content_type);
    if (label.empty()) label = SniffMetaCharset(bytes);
    if (!label.empty()) {
      r.charset = CanonicalCharset(label);
      // A UTF-16 label in the bytes themselves cannot be right (the bytes were
      // ASCII-readable).
      if (r.charset.rfind("utf-16", 0) == 0) r.charset = "utf-8";
    }
  }
  if (r.charset.empty() || r.charset == "utf-8") {
    if (IsValidUtf8(bytes)) {
      r.text = std::string(bytes);
      r.charset = "utf-8";
      return r;
    }
    if (r.charset.empty()) {
      r.charset =
          "windows-1252";  // undeclared and not UTF-8: the web's legacy default
    } else {
      r.text = SanitizeUtf8(bytes);
      r.problem = "invalid UTF-8 sequences replaced";
      return r;
    }
  }
  bool replaced = false;
  if (!Convert(bytes, r.charset == "windows-1252" ? "WINDOWS-1252" : r.charset,
               &r.text, &replaced)) {
    r.problem = "unknown charset '" + r.charset + "', read as UTF-8";
    r.charset = "utf-8";
    r.text = SanitizeUtf8(bytes);
    return r;
  }
  if (replaced) r.problem = "bytes invalid in " + r.charset + " replaced";
  // iconv's output is UTF-8; sanitize anyway in case the source held
  // surrogates.
  if (!IsValidUtf8(r.text)) r.text = SanitizeUtf8(r.text);
  return r;
}

}  // namespace parser
