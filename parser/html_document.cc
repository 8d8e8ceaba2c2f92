#include "parser/html_document.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "core/ascii.h"
#include "parser/prefilter.h"
#include "parser/text_util.h"

namespace parser {
namespace {

bool IsHiddenTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
      return true;
    default:
      return false;
  }
}

// Elements whose start and end are line breaks for a reader.
bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OPTION:
      return true;
    default:
      return false;
  }
}

// True for a class list holding one of the usual "visually hidden" classes
// (text for screen readers only: a name repeated, a label).
bool HasHiddenClass(std::string_view classes) {
  size_t p = 0;
  while (p < classes.size()) {
    while (p < classes.size() &&
           (classes[p] == ' ' || classes[p] == '\t' || classes[p] == '\n'))
      ++p;
    size_t q = p;
    while (q < classes.size() && classes[q] != ' ' && classes[q] != '\t' &&
           classes[q] != '\n')
      ++q;
    const std::string_view token = classes.substr(p, q - p);
    for (std::string_view c :
         {"sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text",
          "u-screen-reader-text", "screen-reader-only", "screenreader-only",
          "a11y-hidden", "hidden-visually", "is-visually-hidden",
          "element-invisible", "assistive-text"}) {
      if (token == c) return true;
    }
    p = q;
  }
  return false;
}

// True for an element a reader never sees: the `hidden` attribute, an inline
// display:none or visibility:hidden, or a visually-hidden class.
bool HiddenFromSight(const GumboVector& attrs) {
  for (unsigned a = 0; a < attrs.length; ++a) {
    const auto* attr = static_cast<const GumboAttribute*>(attrs.data[a]);
    const std::string_view name = attr->name;
    if (name == "hidden") return true;
    if (name == "class" && HasHiddenClass(attr->value)) return true;
    if (name == "style") {
      std::string style;
      for (const char* c = attr->value; *c != '\0' && style.size() < 512; ++c) {
        if (*c == ' ' || *c == '\t' || *c == '\n') continue;
        style.push_back(core::AsciiLower(*c));
      }
      if (style.find("display:none") != std::string::npos ||
          style.find("visibility:hidden") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

bool IsElementNode(const GumboNode* n) {
  return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

std::string Lower(const char* s) {
  return core::AsciiLower(s != nullptr ? s : "");
}

bool IsSpaceByte(char c) { return core::IsOneOf(c, core::kHtmlWhitespace); }

// Builds the reader text: runs of whitespace collapse to one separator, a
// newline when any of the run was a line break.
class TextBuilder {
 public:
  explicit TextBuilder(std::string* out) : out_(out) {}
  void Space() {
    if (pending_ < 1) pending_ = 1;
  }
  void Break() { pending_ = 2; }
  void Append(std::string_view s) {
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (IsSpaceByte(static_cast<char>(c))) {
        Space();
        continue;
      }
      // NBSP, thin space, narrow NBSP read as spaces.
      if (const size_t width = UnicodeSpaceWidth(s, i); width > 0) {
        Space();
        i += width - 1;
        continue;
      }
      if (pending_ != 0 && !out_->empty())
        out_->push_back(pending_ == 2 ? '\n' : ' ');
      pending_ = 0;
      out_->push_back(static_cast<char>(c));
    }
  }

 private:
  std::string* out_;
  int pending_ = 0;
};

// The element's tag name: lowercase, or the original name of an unknown tag.
std::string_view TagName(const GumboNode* node, GumboTag tag) {
  if (tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(tag);
  GumboStringPiece piece = node->v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return {piece.data, piece.length};
}

// Separates a visible element's text from what precedes it: a line break
// before <br> and blocks, a space after an adjacent element.
void SeparateFromPrevious(const GumboNode* node, GumboTag tag,
                          TextBuilder* text) {
  if (tag == GUMBO_TAG_BR || IsBlockTag(tag)) {
    text->Break();
  } else if (node->index_within_parent > 0 && node->parent != nullptr) {
    // Adjacent elements with no text between them read as separate words
    // ("4.2" "87 ratings"); an element right after text ("Hel<b>lo</b>")
    // continues the word.
    const auto* prev = static_cast<const GumboNode*>(
        node->parent->v.element.children.data[node->index_within_parent - 1]);
    if (IsElementNode(prev)) text->Space();
  }
}

// Reads the attributes every strategy asks about into `e`.
void ReadCommonAttributes(const GumboVector& attrs, Element* e) {
  for (unsigned a = 0; a < attrs.length; ++a) {
    const auto* attr = static_cast<const GumboAttribute*>(attrs.data[a]);
    const char* name = attr->name;  // Gumbo lowercases attribute names
    if (std::strcmp(name, "id") == 0) {
      e->id = attr->value;
    } else if (std::strcmp(name, "class") == 0) {
      e->cls = attr->value;
    } else if (std::strcmp(name, "itemscope") == 0) {
      e->itemscope = true;
    } else if (std::strcmp(name, "itemprop") == 0) {
      e->itemprop = true;
    }
  }
}

bool IsTextNode(const GumboNode* n) {
  return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
         n->type == GUMBO_NODE_CDATA;
}

// The indexed <script> element `index` of `doc`: its type, id, name and text.
Script ReadScript(const HtmlDocument& doc, int index) {
  Script s;
  s.element = index;
  s.type = Lower(doc.Attr(index, "type"));
  s.id = doc.Attr(index, "id") ? doc.Attr(index, "id") : "";
  s.name = doc.Attr(index, "name") ? doc.Attr(index, "name") : "";
  const GumboVector& ch = doc.element(index).node->v.element.children;
  if (ch.length > 0) {
    const auto* t = static_cast<const GumboNode*>(ch.data[0]);
    if (t->type == GUMBO_NODE_TEXT || t->type == GUMBO_NODE_CDATA) {
      s.text = std::string_view(t->v.text.text);
      if (const std::string* taken = doc.TakenScript(s.text)) s.text = *taken;
    }
  }
  return s;
}

}  // namespace

HtmlDocument::HtmlDocument(std::string utf8,
                           std::vector<std::string> taken_scripts,
                           const Thinning* thinning)
    : input_(std::move(utf8)),
      taken_scripts_(std::move(taken_scripts)),
      thinning_(thinning),
      arena_(std::make_unique<Arena>()),
      options_(kGumboDefaultOptions) {
  options_.max_errors =
      0;  // parse errors are not reported; do not collect them
  options_.allocator = &Arena::GumboAllocate;
  options_.deallocator = &Arena::GumboDeallocate;
  options_.userdata = arena_.get();
  output_.reset(
      gumbo_parse_with_options(&options_, input_.data(), input_.size()));
  by_tag_.resize(static_cast<size_t>(GUMBO_TAG_LAST) + 1);
  Index();
}

HtmlDocument::~HtmlDocument() = default;

const std::string* HtmlDocument::TakenScript(std::string_view marker) const {
  if (taken_scripts_.empty() || marker.size() <= 2 * kScriptMarker.size() ||
      !marker.starts_with(kScriptMarker) || !marker.ends_with(kScriptMarker)) {
    return nullptr;
  }
  marker.remove_prefix(kScriptMarker.size());
  marker.remove_suffix(kScriptMarker.size());
  size_t index = 0;
  for (const char c : marker) {
    if (c < '0' || c > '9') return nullptr;
    index = index * 10 + static_cast<size_t>(c - '0');
    if (index >= taken_scripts_.size()) return nullptr;
  }
  return &taken_scripts_[index];
}

const char* HtmlDocument::Attr(int i, const char* name) const {
  assert(thinning_ == nullptr || IsReadAttribute(core::AsciiLower(name)) ||
         std::ranges::find(thinning_->also_read, core::AsciiLower(name)) !=
             thinning_->also_read.end());
  const GumboNode* n = element(i).node;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

std::string_view HtmlDocument::Text(int i) const {
  const Element& e = element(i);
  std::string_view s(text_);
  s = s.substr(e.text_begin, e.text_end - e.text_begin);
  // TextBuilder separates with ' ' and '\n' only.
  return core::Trim(s, " \n");
}

const std::vector<int>& HtmlDocument::ByTag(GumboTag tag) const {
  return by_tag_[std::min(static_cast<size_t>(tag), by_tag_.size() - 1)];
}

int HtmlDocument::ElementAtTextOffset(size_t offset) const {
  int best = -1;
  for (int i = 0; i < size(); ++i) {
    const Element& e = element(i);
    if (e.hidden) continue;
    if (e.text_begin <= offset && offset < e.text_end) best = i;
  }
  return best;
}

void HtmlDocument::Index() {
  if (!output_ || output_->root == nullptr) return;
  struct Frame {
    const GumboNode* node;
    int index;
    unsigned child;
    int last_child;  // last element child indexed so far
  };
  TextBuilder text(&text_);
  std::vector<Frame> stack;
  text_.reserve(input_.size() / 4);
  elements_.reserve(input_.size() / 64);

  auto enter = [&](const GumboNode* node, int parent) {
    Element e;
    e.node = node;
    e.tag = node->v.element.tag;
    e.tag_name = TagName(node, e.tag);
    e.parent = parent;
    const bool parent_hidden = parent >= 0 && element(parent).hidden;
    e.hidden = parent_hidden || IsHiddenTag(e.tag) ||
               HiddenFromSight(node->v.element.attributes);
    e.depth = parent >= 0 ? element(parent).depth + 1 : 0;
    const int index = static_cast<int>(elements_.size());
    if (parent >= 0) {
      Frame& pf = stack.back();
      if (pf.last_child >= 0) {
        elements_[static_cast<size_t>(pf.last_child)].next_sibling = index;
        e.prev_sibling = pf.last_child;
      } else {
        elements_[static_cast<size_t>(parent)].first_child = index;
      }
      pf.last_child = index;
    }
    if (!e.hidden) SeparateFromPrevious(node, e.tag, &text);
    ReadCommonAttributes(node->v.element.attributes, &e);
    e.text_begin = text_.size();
    elements_.push_back(e);
    by_tag_[static_cast<size_t>(e.tag)].push_back(index);
    if (e.tag == GUMBO_TAG_SCRIPT) scripts_.push_back(ReadScript(*this, index));
    stack.push_back(Frame{node, index, 0, -1});
  };

  enter(output_->root, -1);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboVector& children = f.node->v.element.children;
    if (f.child < children.length) {
      const auto* child =
          static_cast<const GumboNode*>(children.data[f.child++]);
      if (IsElementNode(child)) {
        enter(child, f.index);
      } else if (IsTextNode(child)) {
        if (!element(f.index).hidden) text.Append(child->v.text.text);
      }
      continue;
    }
    Element& e = elements_[static_cast<size_t>(f.index)];
    e.text_end = text_.size();
    e.subtree_end = static_cast<int>(elements_.size());
    if (!e.hidden && (IsBlockTag(e.tag))) text.Break();
    if (!e.hidden && (e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH))
      text.Space();
    stack.pop_back();
  }
}

std::string HtmlFragmentToText(std::string_view html) {
  HtmlDocument doc{std::string(html)};
  std::string out = doc.text();
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
    out.pop_back();
  size_t start = 0;
  while (start < out.size() && (out[start] == ' ' || out[start] == '\n'))
    ++start;
  return out.substr(start);
}

}  // namespace parser
