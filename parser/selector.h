// A small CSS-like selector language for site profiles (parser-internal), run
// on HtmlDocument:
//   tag, *, #id, .class, [attr], [attr=v], [attr*=v], [attr^=v], [attr$=v]
//   (values optionally quoted), compounds of those ("a.card[href*=podcasts]"),
//   the descendant combinator (space), the child combinator (">"), and selector
//   lists separated by ",".
// Parse errors are values: Parse returns nullopt and the profile rule is
// skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/html_document.h"

namespace parser {

class SelectorParser;

class Selector {
 public:
  // Returns the parsed selector, or nullopt when `text` is not in the language
  // above.
  static std::optional<Selector> Parse(std::string_view text);

  // True when element `i` of `doc` matches.
  bool Matches(const HtmlDocument& doc, int i) const;
  // Returns the matching elements inside `scope` (the whole document when scope
  // < 0), in document order; the scope element itself is not a candidate.
  std::vector<int> SelectAll(const HtmlDocument& doc, int scope = -1) const;
  // Returns the first match inside `scope`, or -1.
  int SelectFirst(const HtmlDocument& doc, int scope = -1) const;
  // The names of the attributes the selector tests ([name...]), lowercase.
  std::vector<std::string> AttributeNames() const;

 private:
  friend class SelectorParser;  // Parse's reader, in selector.cc

  struct AttrTest {
    std::string name;
    char op =
        0;  // 0: present, '=': equals, '*': contains, '^': prefix, '$': suffix
    std::string value;
  };
  struct Compound {
    std::string tag;  // "" or "*" matches any
    std::vector<std::string> ids;
    std::vector<std::string> classes;
    std::vector<AttrTest> attrs;
    bool child_of_previous =
        false;  // combinator between this and the previous compound is '>'
  };
  using Complex = std::vector<Compound>;

  static bool MatchCompound(const HtmlDocument& doc, int i, const Compound& c);
  static bool MatchComplex(const HtmlDocument& doc, int i, const Complex& cx,
                           size_t pos, int scope);
  // Returns true when element `i` matches one of the alternatives, with
  // `scope` (-1: the document) as the limit of the ancestors looked at.
  bool MatchesIn(const HtmlDocument& doc, int i, int scope) const;
  // Returns the first matching element at or after `from` within `scope`
  // (-1: the document), in document order, or -1.
  int NextMatch(const HtmlDocument& doc, int from, int scope) const;

  std::vector<Complex> alternatives_;
};

}  // namespace parser
