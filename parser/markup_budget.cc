#include "parser/markup_budget.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>

#include "core/ascii.h"

namespace parser {
namespace {

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Elements that never hold children, or that the HTML parser closes implicitly
// when a sibling starts (so an unclosed <p> or <li> does not deepen the tree).
bool DoesNotNest(std::string_view name) {
  // By length: the scan asks for every tag (div, span, a ...).
  const auto any = [name](std::initializer_list<std::string_view> names) {
    return std::ranges::any_of(
        names, [name](std::string_view n) { return n == name; });
  };
  switch (name.size()) {
    case 1:
      return name == "p";
    case 2:
      return any({"br", "hr", "li", "dt", "dd", "tr", "td", "th"});
    case 3:
      return any({"col", "img", "wbr"});
    case 4:
      return any({"area", "base", "link", "meta"});
    case 5:
      return any({"embed", "input", "param", "track", "image"});
    case 6:
      return any({"source", "option", "keygen"});
    default:
      return false;
  }
}

// A tag name as the scan reads it: at most 16 characters, lowercased.
struct TagName {
  std::array<char, 16> chars{};
  size_t size = 0;
  std::string_view view() const { return {chars.data(), size}; }
};

// Reads the tag name at `*p` (letters and digits, at most 16, lowercased) and
// moves `*p` past it.
TagName ReadTagName(const std::string& s, size_t* p) {
  const size_t n = s.size();
  TagName name;
  while (*p < n && name.size < name.chars.size() &&
         (IsAlpha(s[*p]) || (s[*p] >= '0' && s[*p] <= '9'))) {
    name.chars[name.size++] = core::AsciiLower(s[*p]);
    ++*p;
  }
  return name;
}

// Elements whose content is raw text, not markup.
bool HoldsRawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" ||
         name == "title" || name == "xmp";
}

// Returns the offset of the end tag "</name" (in any case) at or after `from`,
// or npos.
size_t FindEndTag(const std::string& s, size_t from, std::string_view name) {
  const size_t n = s.size();
  const std::string close = "</" + std::string(name);
  size_t end = from;
  for (;;) {
    end = s.find("</", end);
    if (end == std::string::npos) return end;
    bool match = true;
    for (size_t k = 0; k < close.size() && match; ++k) {
      match = end + k < n && core::AsciiLower(s[end + k]) == close[k];
    }
    if (match) return end;
    end += 2;
  }
}

// Which limit of `budget` the counts exceed, or "" when none.
std::string ExceededLimit(size_t depth, size_t elements, size_t work,
                          const MarkupBudget& budget) {
  if (depth > budget.max_depth) {
    return "nesting deeper than " + std::to_string(budget.max_depth);
  }
  if (elements > budget.max_elements) {
    return "more than " + std::to_string(budget.max_elements) + " elements";
  }
  if (work > budget.max_work) {
    return "elements nested too deep for their number";
  }
  return "";
}

}  // namespace

std::optional<std::string> ApplyMarkupBudget(std::string* html,
                                             const MarkupBudget& budget) {
  const std::string& s = *html;
  const size_t n = s.size();
  size_t depth = 0;
  size_t elements = 0;
  size_t work = 0;
  size_t i = 0;
  while (i < n) {
    const size_t lt = s.find('<', i);
    if (lt == std::string::npos || lt + 1 >= n) break;
    i = lt + 1;
    if (s.compare(lt, 4, "<!--") == 0) {
      const size_t end = s.find("-->", lt + 4);
      if (end == std::string::npos) break;
      i = end + 3;
      continue;
    }
    const bool closing = s[i] == '/';
    size_t p = closing ? i + 1 : i;
    if (p >= n || !IsAlpha(s[p])) continue;
    const TagName tag = ReadTagName(s, &p);
    const std::string_view name = tag.view();
    const size_t gt = s.find('>', p);
    if (gt == std::string::npos) break;
    i = gt + 1;
    if (closing) {
      if (!DoesNotNest(name) && depth > 0) --depth;
      continue;
    }
    ++elements;
    const bool self_closing = gt > 0 && s[gt - 1] == '/';
    if (HoldsRawText(name)) {
      // Raw text: skip to the end tag without counting what is inside.
      const size_t end = FindEndTag(s, i, name);
      if (end == std::string::npos) break;
      i = end;
      continue;
    }
    if (!self_closing && !DoesNotNest(name)) ++depth;
    work += depth;
    if (depth <= budget.max_depth && elements <= budget.max_elements &&
        work <= budget.max_work) {
      continue;
    }
    const std::string why = ExceededLimit(depth, elements, work, budget);
    if (!why.empty()) {
      html->resize(lt);
      return "markup budget exceeded (" + why + "): input cut at byte " +
             std::to_string(lt);
    }
  }
  return std::nullopt;
}

}  // namespace parser
