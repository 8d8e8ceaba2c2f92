#include "parser/selector.h"

#include <cstring>

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

std::optional<Selector> Selector::Parse(std::string_view text) {
  Selector sel;
  Complex current;
  Compound compound;
  bool have_compound = false;
  bool pending_child = false;
  size_t i = 0;
  auto read_name = [&](std::string* out) {
    const size_t start = i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    *out = std::string(text.substr(start, i - start));
    return !out->empty();
  };
  auto finish_compound = [&]() {
    if (!have_compound) return;
    compound.child_of_previous = pending_child;
    pending_child = false;
    current.push_back(std::move(compound));
    compound = Compound();
    have_compound = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      finish_compound();
      ++i;
      continue;
    }
    if (c == '>') {
      finish_compound();
      if (current.empty() || pending_child) return std::nullopt;
      pending_child = true;
      ++i;
      continue;
    }
    if (c == ',') {
      finish_compound();
      if (current.empty() || pending_child) return std::nullopt;
      sel.alternatives_.push_back(std::move(current));
      current.clear();
      ++i;
      continue;
    }
    if (c == '#' || c == '.') {
      ++i;
      std::string name;
      if (!read_name(&name)) return std::nullopt;
      (c == '#' ? compound.ids : compound.classes).push_back(name);
      have_compound = true;
      continue;
    }
    if (c == '*') {
      ++i;
      compound.tag.assign(1, '*');
      have_compound = true;
      continue;
    }
    if (c == '[') {
      ++i;
      AttrTest test;
      while (i < text.size() && text[i] == ' ') ++i;
      if (!read_name(&test.name)) return std::nullopt;
      test.name = AsciiLower(test.name);
      while (i < text.size() && text[i] == ' ') ++i;
      if (i < text.size() && text[i] != ']') {
        if (text[i] == '*' || text[i] == '^' || text[i] == '$') {
          test.op = text[i];
          ++i;
        } else {
          test.op = '=';
        }
        if (i >= text.size() || text[i] != '=') return std::nullopt;
        ++i;
        while (i < text.size() && text[i] == ' ') ++i;
        if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
          const char q = text[i++];
          const size_t end = text.find(q, i);
          if (end == std::string_view::npos) return std::nullopt;
          test.value = std::string(text.substr(i, end - i));
          i = end + 1;
        } else {
          const size_t start = i;
          while (i < text.size() && text[i] != ']' && text[i] != ' ') ++i;
          test.value = std::string(text.substr(start, i - start));
        }
        while (i < text.size() && text[i] == ' ') ++i;
      }
      if (i >= text.size() || text[i] != ']') return std::nullopt;
      ++i;
      compound.attrs.push_back(std::move(test));
      have_compound = true;
      continue;
    }
    if (IsNameChar(c)) {
      std::string name;
      read_name(&name);
      compound.tag = AsciiLower(name);
      have_compound = true;
      continue;
    }
    return std::nullopt;
  }
  finish_compound();
  if (current.empty() || pending_child) return std::nullopt;
  sel.alternatives_.push_back(std::move(current));
  return sel;
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

bool Selector::Matches(const HtmlDocument& doc, int i) const {
  for (const auto& cx : alternatives_) {
    if (MatchComplex(doc, i, cx, cx.size() - 1, -1)) return true;
  }
  return false;
}

std::vector<int> Selector::SelectAll(const HtmlDocument& doc, int scope) const {
  std::vector<int> out;
  const int begin = scope < 0 ? 0 : scope + 1;
  const int end = scope < 0 ? doc.size() : doc.element(scope).subtree_end;
  for (int i = begin; i < end; ++i) {
    for (const auto& cx : alternatives_) {
      if (MatchComplex(doc, i, cx, cx.size() - 1, scope)) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

int Selector::SelectFirst(const HtmlDocument& doc, int scope) const {
  const int begin = scope < 0 ? 0 : scope + 1;
  const int end = scope < 0 ? doc.size() : doc.element(scope).subtree_end;
  for (int i = begin; i < end; ++i) {
    for (const auto& cx : alternatives_) {
      if (MatchComplex(doc, i, cx, cx.size() - 1, scope)) return i;
    }
  }
  return -1;
}

}  // namespace parser
