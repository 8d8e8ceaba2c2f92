#include "parser/markup_budget.h"

#include <string_view>

namespace parser {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Elements that never hold children, or that the HTML parser closes implicitly
// when a sibling starts (so an unclosed <p> or <li> does not deepen the tree).
bool DoesNotNest(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "area", "base", "br",     "col",    "embed", "hr",  "img",   "input",
      "link", "meta", "param",  "source", "track", "wbr", "p",     "li",
      "dt",   "dd",   "option", "tr",     "td",    "th",  "image", "keygen"};
  for (auto n : kNames) {
    if (n == name) return true;
  }
  return false;
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
    std::string name;
    while (p < n && name.size() < 16 &&
           (IsAlpha(s[p]) || (s[p] >= '0' && s[p] <= '9'))) {
      name.push_back(Lower(s[p]));
      ++p;
    }
    const size_t gt = s.find('>', p);
    if (gt == std::string::npos) break;
    i = gt + 1;
    if (closing) {
      if (!DoesNotNest(name) && depth > 0) --depth;
      continue;
    }
    ++elements;
    const bool self_closing = gt > 0 && s[gt - 1] == '/';
    if (name == "script" || name == "style" || name == "textarea" ||
        name == "title" || name == "xmp") {
      // Raw text: skip to the end tag without counting what is inside.
      const std::string close = "</" + name;
      size_t end = i;
      for (;;) {
        end = s.find("</", end);
        if (end == std::string::npos) break;
        bool match = true;
        for (size_t k = 0; k < close.size() && match; ++k) {
          match = end + k < n && Lower(s[end + k]) == close[k];
        }
        if (match) break;
        end += 2;
      }
      if (end == std::string::npos) break;
      i = end;
      continue;
    }
    if (!self_closing && !DoesNotNest(name)) ++depth;
    work += depth;
    std::string why;
    if (depth > budget.max_depth) {
      why = "nesting deeper than " + std::to_string(budget.max_depth);
    } else if (elements > budget.max_elements) {
      why = "more than " + std::to_string(budget.max_elements) + " elements";
    } else if (work > budget.max_work) {
      why = "elements nested too deep for their number";
    }
    if (!why.empty()) {
      html->resize(lt);
      return "markup budget exceeded (" + why + "): input cut at byte " +
             std::to_string(lt);
    }
  }
  return std::nullopt;
}

}  // namespace parser
