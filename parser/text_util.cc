#include "parser/text_util.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace parser {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
using core::AsciiLower;

}  // namespace

size_t UnicodeSpaceWidth(std::string_view s, size_t i) {
  const auto at = [&s](size_t k) { return static_cast<unsigned char>(s[k]); };
  if (at(i) == 0xC2 && i + 1 < s.size() && at(i + 1) == 0xA0) return 2;
  if (at(i) == 0xE2 && i + 2 < s.size() && at(i + 1) == 0x80 &&
      (at(i + 2) == 0xAF || at(i + 2) == 0x89)) {
    return 3;
  }
  return 0;
}

namespace {

// Calls on_space() for each space NormalizeSpaces replaces (tab, LF, CR, and
// the Unicode spaces of UnicodeSpaceWidth) and on_run(run) for each run of
// other bytes between them, in order. Runs are appended whole: most text has
// few spaces to replace.
template <typename OnRun, typename OnSpace>
void ForEachSpaceRun(std::string_view s, OnRun on_run, OnSpace on_space) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t width = 0;
    if (c == '\t' || c == '\n' || c == '\r') {
      width = 1;
    } else if (c == 0xC2 || c == 0xE2) {
      width = UnicodeSpaceWidth(s, i);
    }
    if (width == 0) continue;
    if (i > run) on_run(s.substr(run, i - run));
    on_space();
    i += width - 1;
    run = i + 1;
  }
  if (run < s.size()) on_run(s.substr(run));
}

// Replaces tab, LF, CR, NBSP, narrow NBSP and thin space by ' '.
std::string NormalizeSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  ForEachSpaceRun(
      s, [&out](std::string_view run) { out.append(run); },
      [&out] { out.push_back(' '); });
  return out;
}

// Parses the digits-and-separators part of a count (no suffix). With
// `decimal_ok`, one ',' or '.' followed by 1-2 digits is a decimal mark ("1.2"
// in "1.2K").
std::optional<double> ParseNumberBody(std::string_view s, bool decimal_ok) {
  if (s.empty() || !IsDigit(s.front()) || !IsDigit(s.back()))
    return std::nullopt;
  // Split into digit groups and the separators between them.
  std::string digits;
  std::vector<std::string_view> groups;
  std::vector<char> seps;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j == i) return std::nullopt;
    groups.push_back(s.substr(i, j - i));
    if (j == s.size()) break;
    const char sep = s[j];
    if (sep != ',' && sep != '.' && sep != ' ' && sep != '\'')
      return std::nullopt;
    seps.push_back(sep);
    i = j + 1;
  }
  if (groups.size() == 1)
    return std::strtod(std::string(groups[0]).c_str(), nullptr);
  // A single separator followed by one or two digits (or any count other than
  // three) is a decimal mark when allowed.
  if (groups.size() == 2 && seps[0] != ' ' && seps[0] != '\'' &&
      groups[1].size() != 3) {
    if (!decimal_ok) return std::nullopt;
    return std::strtod(
        (std::string(groups[0]) + "." + std::string(groups[1])).c_str(),
        nullptr);
  }
  if (groups.size() == 2 && decimal_ok && seps[0] != ' ' && seps[0] != '\'' &&
      groups[0].size() <= 3 && groups[1].size() == 3) {
    // "1.234" with a suffix ("1.234K") is rare; read as a decimal only with a
    // suffix.
    return std::strtod(
        (std::string(groups[0]) + "." + std::string(groups[1])).c_str(),
        nullptr);
  }
  // Thousands groups: the first 1-3 digits, the rest exactly 3, one separator
  // kind.
  if (groups[0].size() > 3) return std::nullopt;
  for (size_t g = 1; g < groups.size(); ++g) {
    if (groups[g].size() != 3 || seps[g - 1] != seps[0]) return std::nullopt;
  }
  for (auto g : groups) digits.append(g);
  return std::strtod(digits.c_str(), nullptr);
}

double Multiplier(char c) {
  switch (c) {
    case 'k':
    case 'K':
      return 1e3;
    case 'm':
    case 'M':
      return 1e6;
    case 'b':
    case 'B':
      return 1e9;
    default:
      return 0;
  }
}

// True when `s` starts with `word` (lowercase ASCII), ignoring ASCII case.
bool StartsWithWord(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (size_t t = 0; t < word.size(); ++t) {
    if (AsciiLower(s[t]) != word[t]) return false;
  }
  return true;
}

// A multiplier written after a count.
struct Suffix {
  double multiplier = 0;
  size_t length = 0;  // bytes
};

// The multiplier words longer than one letter: Spanish/Portuguese "mil"
// (thousand), German/Dutch/Italian/Polish "Mio." and "mln" (million).
struct SuffixWord {
  std::string_view word;
  double multiplier;
  bool dot_ok;  // may end with '.'
};
constexpr std::array<SuffixWord, 3> kSuffixWords = {
    {{"mil", 1e3, false}, {"mio", 1e6, true}, {"mln", 1e6, true}}};

// The multiplier at the start of `s` ("k", "M", "mil", "Mio.", "mln"), not
// followed by a letter.
std::optional<Suffix> SuffixAtStart(std::string_view s) {
  for (const SuffixWord& w : kSuffixWords) {
    if (!StartsWithWord(s, w.word)) continue;
    const size_t n = w.word.size();
    if (n < s.size() && IsAsciiAlpha(s[n])) continue;
    const bool dot = w.dot_ok && n < s.size() && s[n] == '.';
    return Suffix{w.multiplier, dot ? n + 1 : n};
  }
  if (!s.empty() && Multiplier(s[0]) != 0 &&
      (s.size() == 1 || !IsAsciiAlpha(s[1]))) {
    return Suffix{Multiplier(s[0]), 1};
  }
  return std::nullopt;
}

// The multiplier at the end of `s`, after a digit or a space ("1.2K", "2
// Mio.", "1,5 mil").
std::optional<Suffix> SuffixAtEnd(std::string_view s) {
  for (const SuffixWord& w : kSuffixWords) {
    for (const bool dot : {false, true}) {
      if (dot && !w.dot_ok) continue;
      const size_t n = w.word.size() + (dot ? 1 : 0);
      if (s.size() <= n || (dot && s.back() != '.')) continue;
      const size_t at = s.size() - n;
      if (!StartsWithWord(s.substr(at), w.word)) continue;
      if (IsDigit(s[at - 1]) || s[at - 1] == ' ')
        return Suffix{w.multiplier, n};
    }
  }
  if (!s.empty() && Multiplier(s.back()) != 0) {
    return Suffix{Multiplier(s.back()), 1};
  }
  return std::nullopt;
}

// The length in bytes of the space at `t[j]` (' ', NBSP, narrow NBSP or thin
// space), or 0.
size_t SpaceAt(std::string_view t, size_t j) {
  if (j >= t.size()) return 0;
  if (t[j] == ' ') return 1;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(t[k]); };
  if (byte(j) == 0xC2 && j + 1 < t.size() && byte(j + 1) == 0xA0) return 2;
  if (byte(j) == 0xE2 && j + 2 < t.size() && byte(j + 1) == 0x80 &&
      (byte(j + 2) == 0xAF || byte(j + 2) == 0x89)) {
    return 3;
  }
  return 0;
}

// The length of a thousands group at `t[j]`: a separator (a space as in
// SpaceAt, '.' or ',') followed by exactly three digits and then no digit.
// 0 when there is none.
size_t GroupAt(std::string_view t, size_t j) {
  if (j >= t.size()) return 0;
  const size_t sep = (t[j] == '.' || t[j] == ',') ? 1 : SpaceAt(t, j);
  if (sep == 0) return 0;
  const size_t d = j + sep;
  if (d + 3 > t.size()) return 0;
  for (size_t k = d; k < d + 3; ++k) {
    if (!IsDigit(t[k])) return 0;
  }
  if (d + 3 < t.size() && IsDigit(t[d + 3])) return 0;
  return sep + 3;
}

// A count longer than this (digits, separators and decimals, in bytes) is no
// count: "9 000 000 000 000 000" is 21.
constexpr size_t kMaxCountBytes = 24;

// What ScanCount found at a digit.
struct ScannedCount {
  bool too_long = false;  // more than kMaxCountBytes: no count
  size_t run_end = 0;     // the end of the digits and thousands groups
  size_t number_end = 0;  // the end of the count with its multiplier
  size_t word_begin = 0;  // where a word after it may start
};

// Reads the count that starts at the digit `text[i]`: 1-3 digits and
// thousands groups (GroupAt), or digits alone. Each group must be exactly
// three digits, so a run of bare numbers ("0 1 2 3 ...") is not read as one
// number (that made the scan quadratic). A decimal part (1-3 digits) counts
// only before a multiplier ("1.2K", "1,5 k", "2,3 Mio."): "4,53" alone is an
// average, not a count. The multiplier may follow one space.
ScannedCount ScanCount(std::string_view text, size_t i) {
  const size_t n = text.size();
  ScannedCount out;
  size_t j = i;
  while (j < n && IsDigit(text[j])) ++j;
  if (j - i <= 3) {
    for (size_t g = GroupAt(text, j); g != 0; g = GroupAt(text, j)) j += g;
  }
  out.run_end = j;
  if (j - i > kMaxCountBytes) {
    out.too_long = true;
    return out;
  }
  out.number_end = j;
  size_t k = j;
  if (k + 1 < n && (text[k] == '.' || text[k] == ',') && IsDigit(text[k + 1])) {
    size_t d = k + 1;
    while (d < n && d - k <= 4 && IsDigit(text[d])) ++d;
    if (d - k <= 4) k = d;
  }
  k += SpaceAt(text, k);
  if (auto suffix = SuffixAtStart(text.substr(k, 5))) {
    out.number_end = k + suffix->length;
    j = out.number_end;
  }
  if (j < n && text[j] == '+') ++j;
  // The word follows on the same line ("2,345 ratings"), not under a label on
  // the next one.
  for (size_t sp = SpaceAt(text, j); sp != 0; sp = SpaceAt(text, j)) j += sp;
  out.word_begin = j;
  return out;
}

// The end of the first of `words` ('|'-separated) written at `text[j]`,
// case-insensitive, at a word boundary (no letter or ':' after it); npos when
// none is.
size_t WordEndAt(std::string_view text, size_t j, std::string_view words) {
  const size_t n = text.size();
  std::string_view rest = words;
  while (!rest.empty()) {
    const size_t bar = rest.find('|');
    const std::string_view w = rest.substr(0, bar);
    rest = bar == std::string_view::npos ? std::string_view()
                                         : rest.substr(bar + 1);
    if (w.empty() || j + w.size() > n) continue;
    bool eq = true;
    for (size_t t = 0; t < w.size() && eq; ++t)
      eq = AsciiLower(text[j + t]) == AsciiLower(w[t]);
    if (!eq) continue;
    const size_t end = j + w.size();
    if (end < n && (IsAsciiAlpha(text[end]) || text[end] == ':')) continue;
    return end;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<int64_t> ParseCount(std::string_view raw) {
  std::string s = NormalizeSpaces(raw);
  std::string_view v = Trim(s);
  while (!v.empty() && (v.front() == '(' || v.front() == '['))
    v = Trim(v.substr(1));
  while (!v.empty() && (v.back() == ')' || v.back() == ']'))
    v = Trim(v.substr(0, v.size() - 1));
  if (!v.empty() && v.back() == '+') v = Trim(v.substr(0, v.size() - 1));
  if (v.empty()) return std::nullopt;
  double mult = 1;
  if (auto suffix = SuffixAtEnd(v)) {
    mult = suffix->multiplier;
    v = Trim(v.substr(0, v.size() - suffix->length));
  }
  if (!v.empty() && v.back() == '+') v.remove_suffix(1);
  auto body = ParseNumberBody(v, mult != 1);
  if (!body) return std::nullopt;
  const double value = *body * mult;
  if (!(value >= 0) || value > 9e15) return std::nullopt;
  return static_cast<int64_t>(std::llround(value));
}

std::optional<double> ParseRatingValue(std::string_view raw) {
  std::string s = NormalizeSpaces(raw);
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsDigit(s[i])) continue;
    if (i > 0 && (IsDigit(s[i - 1]) || IsAsciiAlpha(s[i - 1]))) continue;
    size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    std::string num(s.substr(i, j - i));
    if (j + 1 < s.size() && (s[j] == '.' || s[j] == ',') && IsDigit(s[j + 1])) {
      size_t k = j + 1;
      while (k < s.size() && IsDigit(s[k])) ++k;
      num += "." + s.substr(j + 1, k - j - 1);
    }
    const double v = std::strtod(num.c_str(), nullptr);
    if (v >= 0 && v <= 10) return v;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<CountMatch> FindCountBefore(std::string_view text,
                                          std::string_view words, size_t from) {
  const size_t n = text.size();
  for (size_t i = from; i < n; ++i) {
    if (!IsDigit(text[i])) continue;
    if (i > 0 && (IsDigit(text[i - 1]) || IsAsciiAlpha(text[i - 1]) ||
                  text[i - 1] == '.' || text[i - 1] == ',')) {
      continue;
    }
    const ScannedCount count = ScanCount(text, i);
    if (count.too_long) {
      // Not a count, and no part of it is: go on after it.
      i = count.run_end - 1;
      continue;
    }
    const size_t end = WordEndAt(text, count.word_begin, words);
    if (end == std::string_view::npos) continue;
    auto value = ParseCount(text.substr(i, count.number_end - i));
    if (!value) continue;
    return CountMatch{*value, i, end};
  }
  return std::nullopt;
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;  // a space is pending before the next word
  // Within a run, ' ', '\f' and '\v' are spaces too (NormalizeSpaces keeps
  // them).
  const auto on_run = [&out, &space](std::string_view run) {
    size_t i = 0;
    while (i < run.size()) {
      const char c = run[i];
      if (c == ' ' || c == '\f' || c == '\v') {
        space = true;
        ++i;
        continue;
      }
      size_t end = i + 1;
      while (end < run.size() && run[end] != ' ' && run[end] != '\f' &&
             run[end] != '\v') {
        ++end;
      }
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.append(run.substr(i, end - i));
      i = end;
    }
  };
  ForEachSpaceRun(s, on_run, [&space] { space = true; });
  return out;
}

std::string_view StripEllipsis(std::string_view s) {
  s = Trim(s);
  for (;;) {
    // "…" (three bytes) or "...".
    if (s.size() >= 3 && (s.substr(s.size() - 3) == "\xE2\x80\xA6" ||
                          s.substr(s.size() - 3) == "...")) {
      s = Trim(s.substr(0, s.size() - 3));
    } else {
      return s;
    }
  }
}

bool LooksTruncated(std::string_view s) {
  s = Trim(s);
  std::string lower = AsciiLower(s.substr(s.size() > 12 ? s.size() - 12 : 0));
  for (const char* mark : {"show more", "read more", "see more", "more"}) {
    const std::string_view m(mark);
    if (lower.size() >= m.size() &&
        lower.compare(lower.size() - m.size(), m.size(), m) == 0) {
      std::string_view before = Trim(s.substr(0, s.size() - m.size()));
      if (StripEllipsis(before).size() != before.size()) return true;
    }
  }
  return StripEllipsis(s).size() != s.size();
}

bool IsValidUtf8(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII runs, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, s.data() + i, 8);
      if ((chunk & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1FU;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0FU;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3FU);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = (c & 0xE0) == 0xC0   ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (len != 0 && i + len <= n && IsValidUtf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

}  // namespace parser
