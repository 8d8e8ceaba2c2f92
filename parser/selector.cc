#include "parser/selector.h"

#include <algorithm>
#include <cstring>

#include "core/ascii.h"
#include "parser/text_util.h"

namespace parser {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool HasClass(std::string_view class_attr, std::string_view cls) {
  size_t i = 0;
  while (i < class_attr.size()) {
    while (i < class_attr.size() &&
           (class_attr[i] == ' ' || class_attr[i] == '\t' ||
            class_attr[i] == '\n')) {
      ++i;
    }
    size_t j = i;
    while (j < class_attr.size() && class_attr[j] != ' ' &&
           class_attr[j] != '\t' && class_attr[j] != '\n') {
      ++j;
    }
    if (class_attr.substr(i, j - i) == cls) return true;
    i = j;
  }
  return false;
}

}  // namespace

// Reads a selector's text left to right, one token at a time.
class SelectorParser {
 public:
  explicit SelectorParser(std::string_view text) : text_(text) {}

  std::optional<Selector> Parse() {
    while (i_ < text_.size()) {
      if (!Step()) return std::nullopt;
    }
    if (!EndComplex()) return std::nullopt;
    return sel_;
  }

 private:
  // Reads the token at i_; false when the text is not a selector.
  bool Step() {
    const char c = text_[i_];
    if (c == ' ' || c == '\t' || c == '\n') {
      FinishCompound();
      ++i_;
      return true;
    }
    if (c == '>') {
      FinishCompound();
      if (current_.empty() || pending_child_) return false;
      pending_child_ = true;
      ++i_;
      return true;
    }
    if (c == ',') {
      ++i_;
      return EndComplex();
    }
    if (c == '#' || c == '.') {
      ++i_;
      std::string name;
      if (!ReadName(&name)) return false;
      (c == '#' ? compound_.ids : compound_.classes).push_back(name);
      have_compound_ = true;
      return true;
    }
    if (c == '*') {
      ++i_;
      compound_.tag.assign(1, '*');
      have_compound_ = true;
      return true;
    }
    if (c == '[') {
      ++i_;
      Selector::AttrTest test;
      if (!ReadAttrTest(&test)) return false;
      compound_.attrs.push_back(std::move(test));
      have_compound_ = true;
      return true;
    }
    if (IsNameChar(c)) {
      std::string name;
      ReadName(&name);
      compound_.tag = AsciiLower(name);
      have_compound_ = true;
      return true;
    }
    return false;
  }

  bool ReadName(std::string* out) {
    const size_t start = i_;
    while (i_ < text_.size() && IsNameChar(text_[i_])) ++i_;
    *out = std::string(text_.substr(start, i_ - start));
    return !out->empty();
  }

  void SkipSpaces() {
    while (i_ < text_.size() && text_[i_] == ' ') ++i_;
  }

  // Reads an attribute test after its '[', up to and past its ']'.
  bool ReadAttrTest(Selector::AttrTest* test) {
    SkipSpaces();
    if (!ReadName(&test->name)) return false;
    test->name = AsciiLower(test->name);
    SkipSpaces();
    if (i_ < text_.size() && text_[i_] != ']' && !ReadAttrValue(test))
      return false;
    if (i_ >= text_.size() || text_[i_] != ']') return false;
    ++i_;
    return true;
  }

  // Reads an attribute test's operator ("=", "*=", "^=", "$=") and its value,
  // quoted or not.
  bool ReadAttrValue(Selector::AttrTest* test) {
    if (text_[i_] == '*' || text_[i_] == '^' || text_[i_] == '$') {
      test->op = text_[i_];
      ++i_;
    } else {
      test->op = '=';
    }
    if (i_ >= text_.size() || text_[i_] != '=') return false;
    ++i_;
    SkipSpaces();
    if (i_ < text_.size() && (text_[i_] == '"' || text_[i_] == '\'')) {
      const char q = text_[i_++];
      const size_t end = text_.find(q, i_);
      if (end == std::string_view::npos) return false;
      test->value = std::string(text_.substr(i_, end - i_));
      i_ = end + 1;
    } else {
      const size_t start = i_;
      while (i_ < text_.size() && text_[i_] != ']' && text_[i_] != ' ') ++i_;
      test->value = std::string(text_.substr(start, i_ - start));
    }
    SkipSpaces();
    return true;
  }

  void FinishCompound() {
    if (!have_compound_) return;
    compound_.child_of_previous = pending_child_;
    pending_child_ = false;
    current_.push_back(std::move(compound_));
    compound_ = Selector::Compound();
    have_compound_ = false;
  }

  // Ends the complex selector read so far (at a ',' or the end); false when
  // it is empty or ends with '>'.
  bool EndComplex() {
    FinishCompound();
    if (current_.empty() || pending_child_) return false;
    sel_.alternatives_.push_back(std::move(current_));
    current_.clear();
    return true;
  }

  std::string_view text_;
  size_t i_ = 0;
  Selector sel_;
  Selector::Complex current_;
  Selector::Compound compound_;
  bool have_compound_ = false;
  bool pending_child_ = false;
};

std::optional<Selector> Selector::Parse(std::string_view text) {
  return SelectorParser(text).Parse();
}

std::vector<std::string> Selector::AttributeNames() const {
  std::vector<std::string> names;
  for (const Complex& cx : alternatives_) {
    for (const Compound& c : cx) {
      for (const AttrTest& t : c.attrs)
        names.push_back(core::AsciiLower(t.name));
    }
  }
  return names;
}

bool Selector::MatchCompound(const HtmlDocument& doc, int i,
                             const Compound& c) {
  const Element& e = doc.element(i);
  if (!c.tag.empty() && c.tag != "*" && e.tag_name != c.tag) return false;
  for (const auto& id : c.ids) {
    const char* v = e.id;
    if (v == nullptr || id != v) return false;
  }
  if (!c.classes.empty()) {
    const char* v = e.cls;
    if (v == nullptr) return false;
    for (const auto& cls : c.classes) {
      if (!HasClass(v, cls)) return false;
    }
  }
  for (const auto& t : c.attrs) {
    const char* raw = doc.Attr(i, t.name.c_str());
    if (raw == nullptr) return false;
    const std::string_view v(raw);
    switch (t.op) {
      case 0:
        break;
      case '=':
        if (v != t.value) return false;
        break;
      case '*':
        if (v.find(t.value) == std::string_view::npos) return false;
        break;
      case '^':
        if (v.substr(0, t.value.size()) != t.value) return false;
        break;
      case '$':
        if (v.size() < t.value.size() ||
            v.substr(v.size() - t.value.size()) != t.value) {
          return false;
        }
        break;
      default:
        return false;
    }
  }
  return true;
}

// Matches cx[0..pos] with cx[pos] at element i, walking ancestors (bounded by
// the tree depth, no recursion beyond the number of compounds).
bool Selector::MatchComplex(const HtmlDocument& doc, int i, const Complex& cx,
                            size_t pos, int scope) {
  if (!MatchCompound(doc, i, cx[pos])) return false;
  if (pos == 0) return true;
  const bool child = cx[pos].child_of_previous;
  for (int a = doc.element(i).parent; a >= 0 && a != scope;
       a = doc.element(a).parent) {
    if (MatchComplex(doc, a, cx, pos - 1, scope)) return true;
    if (child) break;
  }
  return false;
}

bool Selector::MatchesIn(const HtmlDocument& doc, int i, int scope) const {
  return std::ranges::any_of(alternatives_, [&](const Complex& cx) {
    return MatchComplex(doc, i, cx, cx.size() - 1, scope);
  });
}

bool Selector::Matches(const HtmlDocument& doc, int i) const {
  return MatchesIn(doc, i, -1);
}

int Selector::NextMatch(const HtmlDocument& doc, int from, int scope) const {
  const int end = scope < 0 ? doc.size() : doc.element(scope).subtree_end;
  for (int i = from; i < end; ++i) {
    if (MatchesIn(doc, i, scope)) return i;
  }
  return -1;
}

std::vector<int> Selector::SelectAll(const HtmlDocument& doc, int scope) const {
  std::vector<int> out;
  for (int i = NextMatch(doc, scope + 1, scope); i >= 0;
       i = NextMatch(doc, i + 1, scope)) {
    out.push_back(i);
  }
  return out;
}

int Selector::SelectFirst(const HtmlDocument& doc, int scope) const {
  return NextMatch(doc, scope + 1, scope);
}

}  // namespace parser
