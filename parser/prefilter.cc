#include "parser/prefilter.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <string_view>

#include "core/ascii.h"

namespace parser {
namespace {

constexpr size_t kNpos = std::string_view::npos;

// HTML whitespace by byte: the scan asks for every byte of the text.
constexpr std::array<bool, 256> kSpaceBytes = [] {
  std::array<bool, 256> table{};
  for (char c : core::kHtmlWhitespace)
    table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool IsSpace(char c) { return kSpaceBytes[static_cast<unsigned char>(c)]; }
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// True when s[pos..] starts with `word` (lowercase ASCII), ignoring ASCII case.
bool StartsWithNoCase(std::string_view s, size_t pos, std::string_view word) {
  if (pos > s.size() || s.size() - pos < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (core::AsciiLower(s[pos + k]) != word[k]) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() && StartsWithNoCase(a, 0, lower_b);
}

bool ContainsNoCase(std::string_view s, std::string_view lower_word) {
  if (s.size() < lower_word.size()) return false;
  for (size_t p = 0; p + lower_word.size() <= s.size(); ++p) {
    if (StartsWithNoCase(s, p, lower_word)) return true;
  }
  return false;
}

// True when s[pos..] is `open` + `name` followed by whitespace, '/' or '>':
// the tokenizer's "appropriate end tag" ("</") or a script start ("<").
bool IsTagAt(std::string_view s, size_t pos, std::string_view open,
             std::string_view name) {
  const size_t after = pos + open.size() + name.size();
  if (after >= s.size()) return false;  // the delimiter must be there too
  if (s.compare(pos, open.size(), open) != 0) return false;
  if (!StartsWithNoCase(s, pos + open.size(), name)) return false;
  const char c = s[after];
  return IsSpace(c) || c == '/' || c == '>';
}

// The '<' of the end tag that closes RAWTEXT or RCDATA `name` opened just
// before `from`, or kNpos when it runs to the end of the input.
size_t FindRawTextEnd(std::string_view s, size_t from, std::string_view name) {
  for (size_t p = from; (p = s.find("</", p)) != kNpos; p += 2) {
    if (IsTagAt(s, p, "</", name)) return p;
  }
  return kNpos;
}

// The '<' of the end tag that closes script data starting at `from`, following
// the tokenizer's script data, escaped and double-escaped states; kNpos when
// the script runs to the end of the input. *escaped is set when the body
// contains "<!--" (entered the escaped states).
size_t FindScriptEnd(std::string_view s, size_t from, bool* escaped) {
  enum class State { kData, kEscaped, kDoubleEscaped };
  State state = State::kData;
  size_t dashes = 0;  // '-' seen in a row in the escaped states
  const size_t n = s.size();
  for (size_t p = from; p < n; ++p) {
    if (state == State::kData) {
      p = s.find('<', p);  // script data: only '<' can change the state
      if (p == kNpos) return kNpos;
    }
    const char c = s[p];
    if (state == State::kData) {
      if (s.compare(p, 4, "<!--") == 0) {
        *escaped = true;
        state = State::kEscaped;
        dashes = 2;  // "<!-->" goes straight back to script data
        p += 3;
      } else if (IsTagAt(s, p, "</", "script")) {
        return p;
      }
      continue;
    }
    if (c == '-') {
      ++dashes;
      continue;
    }
    if (c == '>' && dashes >= 2) {
      state = State::kData;
    } else if (c == '<') {
      if (IsTagAt(s, p, "</", "script")) {
        if (state == State::kEscaped) return p;
        state = State::kEscaped;  // double escape end
        p += 8;                   // the delimiter after the name is text
      } else if (state == State::kEscaped && IsTagAt(s, p, "<", "script")) {
        state = State::kDoubleEscaped;
        p += 7;
      }
    }
    dashes = 0;
  }
  return kNpos;
}

// Where a comment whose "<!--" ends just before `p` ends (one past its '>'),
// or the input size when it runs to the end.
size_t CommentEnd(std::string_view s, size_t p) {
  if (p < s.size() && s[p] == '>') return p + 1;  // <!-->
  if (s.compare(p, 2, "->") == 0) return p + 2;   // <!--->
  for (size_t q = p; (q = s.find("--", q)) != kNpos; ++q) {
    if (q + 2 < s.size() && s[q + 2] == '>') return q + 3;  // -->
    if (s.compare(q + 2, 2, "!>") == 0) return q + 4;       // --!>
  }
  return s.size();
}

struct Attr {
  bool present = false;
  std::string_view value;
};

struct Tag {
  bool complete = false;  // false: the input ends inside the tag
  size_t end = 0;         // one past its '>'
  std::string name;       // ASCII-lowercased, at most 16 characters kept
  bool self_closing = false;
  Attr type;
  Attr id;
  Attr name_attr;
};

size_t SkipSpace(std::string_view s, size_t p) {
  while (p < s.size() && IsSpace(s[p])) ++p;
  return p;
}

// Reads what follows an attribute's name at `*p`: optional whitespace, then
// '=' and a value that may be double-quoted, single-quoted (both may hold '>')
// or unquoted; no '=' leaves `*value` empty. False when the input ends first.
bool ReadAttrValue(std::string_view s, size_t* p, std::string_view* value) {
  const size_t n = s.size();
  *p = SkipSpace(s, *p);
  if (*p >= n) return false;
  if (s[*p] != '=') return true;
  *p = SkipSpace(s, *p + 1);
  if (*p >= n) return false;
  if (s[*p] == '"' || s[*p] == '\'') {
    const size_t close = s.find(s[*p], *p + 1);
    if (close == kNpos) return false;
    *value = s.substr(*p + 1, close - *p - 1);
    *p = close + 1;
  } else if (s[*p] != '>') {
    const size_t begin = *p;
    while (*p < n && !IsSpace(s[*p]) && s[*p] != '>') ++*p;
    *value = s.substr(begin, *p - begin);
  }
  return true;
}

// Keeps the attribute when it is one `t` records and the first of its name.
void RecordAttr(std::string_view attr, std::string_view value, Tag* t) {
  Attr* slot = nullptr;
  if (EqualsNoCase(attr, "type")) {
    slot = &t->type;
  } else if (EqualsNoCase(attr, "id")) {
    slot = &t->id;
  } else if (EqualsNoCase(attr, "name")) {
    slot = &t->name_attr;
  }
  if (slot != nullptr && !slot->present) {
    slot->present = true;
    slot->value = value;
  }
}

// An attribute of a tag: [begin, end) is the attribute with the whitespace
// before it, `begin` kNpos when it can not go (no whitespace before it, or a
// '/' before that whitespace: "<a / x>" would become "<a />").
struct AttrSpan {
  size_t begin = kNpos;
  size_t end = 0;
  std::string_view name;
};

// Reads a start or end tag whose name begins at `p`, as the tokenizer does:
// the name ends at whitespace, '/' or '>'; attribute values may be
// double-quoted, single-quoted (both may hold '>') or unquoted. Only the first
// of duplicate attributes counts, as in Gumbo. With `spans`, every attribute's
// span is appended there.
Tag ReadTag(std::string_view s, size_t p,
            std::vector<AttrSpan>* spans = nullptr) {
  Tag t;
  const size_t n = s.size();
  while (p < n && !IsSpace(s[p]) && s[p] != '/' && s[p] != '>') {
    if (t.name.size() <= 16) t.name.push_back(core::AsciiLower(s[p]));
    ++p;
  }
  size_t gap = kNpos;  // where the space after a valueless attribute began
  for (;;) {
    const size_t space = gap != kNpos ? gap : p;
    gap = kNpos;
    p = SkipSpace(s, p);
    if (p >= n) return t;
    if (s[p] == '>') {
      t.end = p + 1;
      break;
    }
    if (s[p] == '/') {
      if (p + 1 < n && s[p + 1] == '>') {
        t.self_closing = true;
        t.end = p + 2;
        break;
      }
      ++p;
      continue;
    }
    const size_t name_begin = p++;  // the first character may be '='
    while (p < n && !IsSpace(s[p]) && s[p] != '/' && s[p] != '>' &&
           s[p] != '=') {
      ++p;
    }
    const std::string_view attr = s.substr(name_begin, p - name_begin);
    const size_t name_end = p;
    std::string_view value;
    if (!ReadAttrValue(s, &p, &value)) return t;
    RecordAttr(attr, value, &t);
    if (spans != nullptr) {
      // No '=' leaves p past the whitespace after the name: that stays.
      const bool valued = SkipSpace(s, name_end) < p;
      const bool removable = space < name_begin && s[space - 1] != '/';
      spans->push_back(
          {removable ? space : kNpos, valued ? p : name_end, attr});
      if (!valued) gap = name_end;
    }
  }
  t.complete = true;
  return t;
}

std::string_view TrimSpace(std::string_view v) {
  return core::Trim(v, core::kHtmlWhitespace);
}

// True for a script that holds code no strategy reads: no type or a
// JavaScript type, and no id or name that marks a data block. Anything else
// (JSON of any kind, templates, unknown types, values with character
// references) is kept.
bool IsCodeScript(const Tag& t) {
  if (t.name_attr.present) return false;
  if (t.id.present) {
    const std::string_view id = t.id.value;
    if (id.find('&') != kNpos) return false;
    if (std::ranges::any_of(
            std::initializer_list<std::string_view>{
                "data", "state", "json", "shoebox", "schema", "props", "apollo",
                "__next", "__nuxt", "redux", "store", "config"},
            [&](std::string_view marker) {
              return ContainsNoCase(id, marker);
            })) {
      return false;
    }
  }
  if (!t.type.present) return true;
  const std::string_view type = TrimSpace(t.type.value);
  if (type.empty()) return true;
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{
          "text/javascript", "application/javascript", "text/ecmascript",
          "application/ecmascript", "application/x-javascript",
          "application/x-ecmascript", "text/x-javascript", "text/x-ecmascript",
          "text/jscript", "text/livescript", "text/javascript1.0",
          "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
          "text/javascript1.4", "text/javascript1.5", "module"},
      [&](std::string_view js) { return EqualsNoCase(type, js); });
}

// Elements whose content the tokenizer reads as RAWTEXT or RCDATA in HTML
// content (Gumbo 0.10.1 parses <noscript> as markup: no scripting flag).
bool IsRawTextElement(std::string_view name) {
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{
          "style", "xmp", "iframe", "noembed", "noframes", "title", "textarea"},
      [&](std::string_view raw) { return name == raw; });
}

// One past the first '>' at or after `from`, or the input size.
size_t PastNextGt(std::string_view s, size_t from) {
  const size_t gt = s.find('>', from);
  return gt == kNpos ? s.size() : gt + 1;
}

// Skips what starts with "<!" at `lt`: a comment, a CDATA section in foreign
// content, or a doctype or bogus comment. Returns where the scan goes on.
size_t SkipMarkupDeclaration(std::string_view s, size_t lt, bool in_foreign) {
  if (s.compare(lt, 4, "<!--") == 0) return CommentEnd(s, lt + 4);
  if (in_foreign && s.compare(lt, 9, "<![CDATA[") == 0) {
    const size_t end = s.find("]]>", lt + 9);
    return end == kNpos ? s.size() : end + 3;
  }
  return PastNextGt(s, lt + 2);  // doctype or bogus comment
}

// True when the '<' at `lt` opens a bogus comment: "<?", or "</" and no letter
// ("</>" is dropped up to its '>' as well).
bool OpensBogusComment(std::string_view s, size_t lt) {
  const char c = s[lt + 1];
  return c == '?' || (c == '/' && (lt + 2 >= s.size() || !IsAlpha(s[lt + 2])));
}

// Where the body of the script or raw-text element `t` that starts at `begin`
// ends (at its end tag), or kNpos; `*escaped` as FindScriptEnd says.
size_t BodyEnd(std::string_view s, const Tag& t, size_t begin, bool* escaped) {
  if (t.name == "script") return FindScriptEnd(s, begin, escaped);
  return FindRawTextEnd(s, begin, t.name);
}

bool IsForeignRoot(const std::string& name) {
  return name == "svg" || name == "math";
}

// Removes byte ranges from a string in place, in increasing order: [0, out_)
// is the result so far; [copied_, the scan position) is still to move down.
// Writes stay below the scan position.
class Compactor {
 public:
  Compactor(std::string* buf, PrefilterStats* stats)
      : buf_(*buf), stats_(*stats) {}

  void Remove(size_t begin, size_t end) {
    const size_t keep = begin - copied_;
    if (out_ != copied_ && keep > 0) {
      std::memmove(buf_.data() + out_, buf_.data() + copied_, keep);
    }
    out_ += keep;
    copied_ = end;
    stats_.bytes_removed += end - begin;
  }

  // Replaces [begin, end) with `with`, which must be shorter.
  void Replace(size_t begin, size_t end, std::string_view with) {
    Remove(begin, end);
    std::memcpy(buf_.data() + out_, with.data(), with.size());
    out_ += with.size();
    stats_.bytes_removed -= with.size();
  }

  const char* data() const { return buf_.data(); }

  // Moves the rest down and cuts the string to the result.
  void Finish() {
    if (stats_.bytes_removed > 0) {
      Remove(buf_.size(), buf_.size());
      buf_.resize(out_);
    }
  }

 private:
  std::string& buf_;
  PrefilterStats& stats_;
  size_t out_ = 0;
  size_t copied_ = 0;
};

// SVG elements that draw and hold no text: an <svg> whose body has only these
// (and no text between them) is an icon, and nothing in it is read. Anything
// else (<title>, <desc>, <text>, <a>, <foreignObject>, an HTML element that
// would end the SVG in Gumbo's tree) keeps the body.
bool IsDrawingElement(std::string_view name) {
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{"svg",
                                              "path",
                                              "g",
                                              "circle",
                                              "rect",
                                              "line",
                                              "polyline",
                                              "polygon",
                                              "ellipse",
                                              "defs",
                                              "use",
                                              "symbol",
                                              "stop",
                                              "clippath",
                                              "lineargradient",
                                              "radialgradient",
                                              "mask",
                                              "pattern",
                                              "filter",
                                              "fegaussianblur",
                                              "feoffset",
                                              "feblend",
                                              "fecolormatrix",
                                              "feflood",
                                              "fecomposite",
                                              "femerge",
                                              "femergenode",
                                              "animate",
                                              "animatetransform"},
      [&](std::string_view drawing) { return name == drawing; });
}

// True when the body of an <svg>, [begin, end), is only drawing elements
// (IsDrawingElement), their end tags, comments and whitespace.
bool IsIconBody(std::string_view s, size_t begin, size_t end) {
  size_t i = begin;
  while (i < end) {
    if (IsSpace(s[i])) {
      ++i;
      continue;
    }
    if (s[i] != '<' || i + 1 >= end) return false;  // text
    if (s.compare(i, 4, "<!--") == 0) {
      i = CommentEnd(s, i + 4);
      continue;
    }
    const bool closing = s[i + 1] == '/';
    const Tag t = ReadTag(s, i + (closing ? 2 : 1));
    if (!t.complete || t.end > end || !IsDrawingElement(t.name)) return false;
    i = t.end;
  }
  return true;
}

// Empties the body [begin, end) of a code script or of a style element.
// Returns a data script's body as Gumbo's input stream gives it to the tree
// (https://html.spec.whatwg.org/#preprocessing-the-input-stream): CR LF and CR
// become LF, NUL becomes U+FFFD (the text is valid UTF-8 already).
std::string AsGumboReadsIt(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    // A plain loop: find_first_of calls memchr on the set for every byte.
    size_t special = i;
    while (special < body.size() && body[special] != '\r' &&
           body[special] != '\0') {
      ++special;
    }
    if (special == body.size()) {
      out.append(body.substr(i));
      break;
    }
    out.append(body.substr(i, special - i));
    i = special + 1;
    if (body[special] == '\0') {
      out.append("\xEF\xBF\xBD");
    } else {
      out.push_back('\n');
      if (i < body.size() && body[i] == '\n') ++i;
    }
  }
  return out;
}

// The smallest body worth taking out (the marker replaces it).
constexpr size_t kMinTakenBody = 64;

// `code`: IsCodeScript(t), decided before the tag's attributes could move.
void EmptyUnreadBody(const Tag& t, bool code, bool escaped, size_t begin,
                     size_t end, std::vector<std::string>* scripts,
                     Compactor* compactor, PrefilterStats* stats) {
  if (t.name == "script" && !escaped && code) {
    compactor->Remove(begin, end);
    ++stats->scripts_emptied;
  } else if (t.name == "script" && !escaped && scripts != nullptr &&
             end - begin >= kMinTakenBody) {
    const std::string_view body(compactor->data() + begin, end - begin);
    std::string marker(kScriptMarker);
    marker += std::to_string(scripts->size());
    marker += kScriptMarker;
    scripts->push_back(AsGumboReadsIt(body));
    compactor->Replace(begin, end, marker);
    ++stats->scripts_taken;
  } else if (t.name == "style") {
    compactor->Remove(begin, end);
    ++stats->styles_emptied;
  }
}

// Foreign content (<svg>, <math>) as the scan meets its tags: how deep it is
// open, and where the outermost <svg>'s body starts, so that an icon's body
// can go when it closes.
class ForeignContent {
 public:
  bool open() const { return depth_ > 0; }

  // A start tag that is a foreign root, its body starting at `body`.
  void Open(const Tag& t, size_t body) {
    if (t.self_closing) return;
    if (depth_ == 0 && t.name == "svg") svg_body_ = body;
    ++depth_;
  }

  // An end tag at `lt`: when it closes the outermost <svg> of an icon, its
  // body goes.
  void Close(std::string_view s, const Tag& t, size_t lt, Compactor* compactor,
             PrefilterStats* stats) {
    if (depth_ > 0 && IsForeignRoot(t.name)) --depth_;
    if (depth_ > 0 || svg_body_ == kNpos) return;
    if (t.name == "svg" && lt > svg_body_ && IsIconBody(s, svg_body_, lt)) {
      compactor->Remove(svg_body_, lt);
      ++stats->svgs_emptied;
    }
    svg_body_ = kNpos;
  }

 private:
  size_t depth_ = 0;
  size_t svg_body_ = kNpos;
};

// The attributes read (IsReadAttribute), sorted for the binary search.
constexpr std::array<std::string_view, 31> kReadAttributes = {
    "action",     "alt",      "aria-label", "charset",  "class",    "color",
    "content",    "datetime", "encoding",   "face",     "hidden",   "href",
    "http-equiv", "id",       "itemid",     "itemprop", "itemref",  "itemscope",
    "itemtype",   "lang",     "name",       "prompt",   "property", "rel",
    "role",       "size",     "src",        "style",    "title",    "type",
    "value"};
static_assert(std::ranges::is_sorted(kReadAttributes));

// Cuts the whitespace runs of the text [begin, end) to one character.
void CollapseWhitespaceRuns(std::string_view s, size_t begin, size_t end,
                            Compactor* compactor, PrefilterStats* stats) {
  size_t p = begin;
  while (p + 1 < end) {
    if (!IsSpace(s[p]) || !IsSpace(s[p + 1])) {
      ++p;
      continue;
    }
    size_t q = p;
    bool line = false;
    for (; q < end && IsSpace(s[q]); ++q) {
      line = line || s[q] == '\n' || s[q] == '\r';
    }
    compactor->Replace(p, q, line ? "\n" : " ");
    ++stats->whitespace_runs;
    p = q;
  }
}

// Removes the attributes of a start tag that nothing reads. One space stays
// when the next attribute or a '/' follows with none between: "a=x b/>" would
// read "x/" as the value, 'target=_blank"rel=' would join "rel" to the tag.
void DropUnreadAttributes(std::string_view s,
                          const std::vector<AttrSpan>& spans,
                          const Thinning& thinning, Compactor* compactor,
                          PrefilterStats* stats) {
  for (const AttrSpan& a : spans) {
    if (a.begin == kNpos) continue;
    std::string_view lower = a.name;
    std::string folded;  // only for a name with capitals
    if (std::ranges::any_of(a.name,
                            [](char c) { return c >= 'A' && c <= 'Z'; })) {
      folded = a.name;
      for (char& c : folded) c = core::AsciiLower(c);
      lower = folded;
    }
    if (IsReadAttribute(lower) ||
        std::ranges::find(thinning.also_read, lower) !=
            thinning.also_read.end()) {
      continue;
    }
    const bool spaced = s[a.end] == '>' || IsSpace(s[a.end]);
    compactor->Remove(spaced ? a.begin : a.begin + 1, a.end);
    ++stats->attributes_dropped;
  }
}

// At a '<' that does not open a start tag (a comment, a doctype, a bogus
// comment, an end tag, a '<' in text): returns where the scan goes on, or
// kNpos when an end tag runs to the end of the input. Returns `lt` itself
// when a start tag opens there.
size_t PastNonStartTag(std::string_view s, size_t lt, ForeignContent* foreign,
                       Compactor* compactor, PrefilterStats* stats) {
  const char c = s[lt + 1];
  if (c == '!') return SkipMarkupDeclaration(s, lt, foreign->open());
  if (OpensBogusComment(s, lt)) return PastNextGt(s, lt + 2);
  if (c == '/') {
    const Tag t = ReadTag(s, lt + 2);
    if (!t.complete) return kNpos;
    foreign->Close(s, t, lt, compactor, stats);
    return t.end;
  }
  return IsAlpha(c) ? lt : lt + 1;
}

}  // namespace

bool IsReadAttribute(std::string_view lower_name) {
  return std::ranges::binary_search(kReadAttributes, lower_name);
}

PrefilterStats DropUnreadBodies(std::string* html,
                                std::vector<std::string>* scripts,
                                const Thinning* thinning) {
  PrefilterStats stats;
  const std::string_view s(*html);
  const size_t n = s.size();
  if (scripts != nullptr && s.find(kScriptMarker) != kNpos) scripts = nullptr;
  Compactor compactor(html, &stats);
  // Inside <svg>/<math> the content is markup: nothing is removed but icons.
  ForeignContent foreign;
  std::vector<AttrSpan> spans;
  std::vector<AttrSpan>* attr_spans = thinning != nullptr ? &spans : nullptr;
  bool keep_text = false;  // right after <pre> or <listing>
  size_t i = 0;
  while (i < n) {
    const size_t lt = s.find('<', i);
    if (lt == kNpos || lt + 1 >= n) break;
    if (thinning != nullptr && !foreign.open() && !keep_text)
      CollapseWhitespaceRuns(s, i, lt, &compactor, &stats);
    keep_text = false;
    const size_t next = PastNonStartTag(s, lt, &foreign, &compactor, &stats);
    if (next == kNpos) break;
    if (next != lt) {
      i = next;
      continue;
    }
    spans.clear();
    const Tag t = ReadTag(s, lt + 1, foreign.open() ? nullptr : attr_spans);
    if (!t.complete) break;  // Gumbo drops a tag cut by the end of input
    i = t.end;
    // Read before the tag's attributes move.
    const bool code = t.name == "script" && IsCodeScript(t);
    if (!spans.empty())
      DropUnreadAttributes(s, spans, *thinning, &compactor, &stats);
    keep_text = t.name == "pre" || t.name == "listing";
    if (IsForeignRoot(t.name)) {
      foreign.Open(t, i);
      continue;
    }
    if (t.name == "plaintext" && !foreign.open()) break;
    if (t.name != "script" && !IsRawTextElement(t.name)) continue;
    bool escaped = false;
    const size_t end = BodyEnd(s, t, i, &escaped);
    if (end == kNpos) break;  // runs to the end of the input: kept as it is
    if (!foreign.open() && end > i)
      EmptyUnreadBody(t, code, escaped, i, end, scripts, &compactor, &stats);
    i = end;
  }
  compactor.Finish();
  return stats;
}

}  // namespace parser
