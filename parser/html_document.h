// HtmlDocument: the parser's owning view of one HTML page (parser-internal;
// never included outside parser/). It owns the UTF-8 input string together with
// the GumboOutput parsed from it, because Gumbo's nodes point into that buffer
// (DESIGN.md "RAII conventions"): the string member is declared first so it is
// destroyed last.
//
// Construction walks the tree once, with an explicit stack (pages can nest
// deeply), and indexes what the strategies need: every element in document
// order with its parent, children, tag, attributes and the span of the page's
// reader text it covers; the scripts that carry data (JSON-LD, JSON blobs); the
// <meta>/<link> tags. The reader text is built as a person reads the page:
// entities decoded by Gumbo, <br> and block ends as newlines, whitespace
// collapsed, and script/style/template/noscript never leaking into it.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/arena.h"
#include "parser/prefilter.h"

namespace parser {

struct Element {
  const GumboNode* node = nullptr;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  std::string_view tag_name;  // lowercase; for unknown tags the original name
  int parent = -1;
  int first_child = -1;   // first element child
  int next_sibling = -1;  // next element sibling
  int prev_sibling = -1;  // previous element sibling
  int depth = 0;
  size_t text_begin =
      0;  // span of the document's reader text covered by this element
  size_t text_end = 0;
  int subtree_end = 0;  // one past the last descendant's index (preorder)
  // Inside script/style/template/noscript/head, or hidden from sight (the
  // hidden attribute, inline display:none, a visually-hidden class).
  bool hidden = false;
  // The attributes every strategy asks about, read once while indexing (nullptr
  // when absent).
  const char* id = nullptr;
  const char* cls = nullptr;
  bool itemscope = false;
  bool itemprop = false;
};

struct Script {
  int element = -1;
  std::string type;  // lowercased type attribute
  std::string id;
  std::string name;
  std::string_view text;
};

class HtmlDocument {
 public:
  // Parses `utf8` (which must be valid UTF-8) and indexes it. Never throws on
  // content. `taken_scripts` are the script bodies DropUnreadBodies took out of
  // `utf8` (a script whose text is a marker reads its body from there).
  // `thinning`, when the prefilter thinned `utf8` with it, must outlive the
  // document: Attr asserts that what is asked for was kept (debug builds).
  explicit HtmlDocument(std::string utf8,
                        std::vector<std::string> taken_scripts = {},
                        const Thinning* thinning = nullptr);
  ~HtmlDocument();

  HtmlDocument(const HtmlDocument&) = delete;             // owns the Gumbo tree
  HtmlDocument& operator=(const HtmlDocument&) = delete;  // owns the Gumbo tree
  // Not movable either: a short input string lives inside the object (SSO) and
  // Gumbo points at it.
  HtmlDocument(HtmlDocument&&) = delete;
  HtmlDocument& operator=(HtmlDocument&&) = delete;

  // Returns the body DropUnreadBodies took out of a script whose text in the
  // tree is `marker` (its kScriptMarker form), or nullptr for any other text.
  const std::string* TakenScript(std::string_view marker) const;

  const std::vector<Element>& elements() const { return elements_; }
  const Element& element(int i) const {
    return elements_[static_cast<size_t>(i)];
  }
  int size() const { return static_cast<int>(elements_.size()); }

  // Returns the attribute's value, or nullptr when the element has none. On a
  // thinned document only the attributes the prefilter keeps
  // (IsReadAttribute, Thinning::also_read) may be asked for.
  const char* Attr(int i, const char* name) const;
  // Returns the element's reader text, trimmed (a view into text()).
  std::string_view Text(int i) const;
  // The whole page's reader text (body and visible parts only).
  const std::string& text() const { return text_; }
  const std::vector<Script>& scripts() const { return scripts_; }
  // Elements by tag, in document order.
  const std::vector<int>& ByTag(GumboTag tag) const;
  // True when `ancestor` is `i` or one of its ancestors.
  bool Contains(int ancestor, int i) const {
    return i >= ancestor && i < element(ancestor).subtree_end;
  }
  // Returns the innermost element whose text span contains `offset` and starts
  // at or before it.
  int ElementAtTextOffset(size_t offset) const;

 private:
  // The tree lives in arena_, freed with it: nothing to do per node.
  struct GumboDeleter {
    void operator()(GumboOutput* /*output*/) const {}
  };

  void Index();

  std::string input_;  // declared first: Gumbo's nodes point into it
  // Script bodies taken out before Gumbo (DropUnreadBodies); Script::text
  // points into them.
  std::vector<std::string> taken_scripts_;
  // Only read by Attr's assert (debug builds).
  [[maybe_unused]] const Thinning* thinning_ = nullptr;
  // Gumbo's memory (parser/arena.h); on the heap, as Gumbo keeps its address.
  // Declared before output_: the tree in it dies after every use of it.
  std::unique_ptr<Arena> arena_;
  GumboOptions options_;
  std::unique_ptr<GumboOutput, GumboDeleter> output_;
  std::vector<Element> elements_;
  std::vector<Script> scripts_;
  std::string text_;
  std::vector<std::vector<int>> by_tag_;
};

// Returns the reader text of an HTML fragment (a JSON string holding markup,
// for instance).
std::string HtmlFragmentToText(std::string_view html);

}  // namespace parser
