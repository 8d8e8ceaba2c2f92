// Description text a reader sees (corpus/README.md's rule): the visible copies
// of the texts that the metadata marks as the description, the block that a
// heading announces ("Show notes", "Beschreibung"), and the episode's main
// text block (the post body near its title and player, without navigation,
// footers, comments, related lists, transcripts, player or download lines).
// The resolver decides which of them, or the metadata's own text, is the
// description.
#include <algorithm>
#include <array>
#include <regex>
#include <unordered_set>

#include "parser/lexicon.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

constexpr const char* kText = "text";

bool IsInlineTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_B:
    case GUMBO_TAG_I:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_U:
      return true;
    default:
      return false;
  }
}

bool IsProseTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
      return true;
    default:
      return IsInlineTag(t);
  }
}

// Drops the labels of expand/collapse controls that end a clamped block
// ("Show Hide").
std::string StripControls(std::string text) {
  static const std::regex kControls(
      R"((\s+(Show|Hide|Show more|Show less|Read more|Read less|See more|See less|more|less|Ver más|Ver menos|Mostrar|Ocultar|Voir plus|Afficher plus|Mehr anzeigen|Weniger anzeigen|Mostra di più|Ver mais|Meer weergeven|Visa mer))+\s*$)",
      std::regex::icase);
  if (LooksTruncated(text)) return text;
  // Only the tail can hold the controls; searching it alone keeps this linear.
  size_t from = text.size() > 64 ? text.size() - 64 : 0;
  while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80)
    --from;
  const std::string tail = text.substr(from);
  std::smatch m;
  if (std::regex_search(tail, m, kControls))
    text.resize(from + static_cast<size_t>(m.position(0)));
  return text;
}

// Drops leading and trailing lines that are a player's or a download's
// ("MP3-DOWNLOAD (01:00 h)", "Play in new window | Download", a bare audio
// address), and everything from a post's metadata line ("Tags: ...") on.
std::string StripPlayerLines(std::string text) {
  for (;;) {
    const size_t nl = text.find('\n');
    if (nl == std::string::npos) break;
    if (!lexicon::IsPlayerLine(text.substr(0, nl))) break;
    text.erase(0, nl + 1);
  }
  for (size_t start = 0; start < text.size();) {
    const size_t nl = text.find('\n', start);
    const size_t end = nl == std::string::npos ? text.size() : nl;
    if (start > 0 && lexicon::IsPostMetaLine(text.substr(start, end - start))) {
      text.resize(start);
      break;
    }
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  for (;;) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
      text.pop_back();
    const size_t nl = text.rfind('\n');
    if (nl == std::string::npos) break;
    if (!lexicon::IsPlayerLine(text.substr(nl + 1))) break;
    text.resize(nl);
  }
  return text;
}

size_t CollapsedSize(std::string_view s) {
  return CollapseWhitespace(s).size();
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// How many bytes of `want` (collapsed) the page text shows from `pos` on,
// comparing runs of whitespace as one space. Sets *after to the page offset
// where the shown part ends.
size_t MatchedPrefix(const std::string& text, size_t pos,
                     const std::string& want, size_t* after) {
  size_t i = pos;
  size_t j = 0;
  while (i < text.size() && j < want.size()) {
    if (IsSpace(text[i]) || IsSpace(want[j])) {
      if (!(IsSpace(text[i]) && IsSpace(want[j]))) break;
      while (i < text.size() && IsSpace(text[i])) ++i;
      while (j < want.size() && IsSpace(want[j])) ++j;
      continue;
    }
    if (text[i] != want[j]) break;
    ++i;
    ++j;
  }
  *after = i;
  return j;
}

// True when the page text at `pos` is an expand control or an ellipsis: the
// text before it is clamped by the page, not ended.
bool ControlFollows(const std::string& text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  const std::string next = AsciiLower(text.substr(pos, 24));
  static constexpr auto kControls =
      std::to_array<std::string_view>({"…",
                                       "...",
                                       "show more",
                                       "read more",
                                       "see more",
                                       "more",
                                       "mehr",
                                       "weiterlesen",
                                       "voir plus",
                                       "lire la suite",
                                       "ver más",
                                       "leer más",
                                       "mostra di più",
                                       "leggi tutto",
                                       "ver mais",
                                       "leia mais",
                                       "lees meer",
                                       "meer weergeven",
                                       "visa mer",
                                       "läs mer"});
  return std::ranges::any_of(
      kControls, [&](std::string_view c) { return next.rfind(c, 0) == 0; });
}

class Descriptions {
 public:
  Descriptions(PageContext& ctx, Candidates& out)
      : ctx_(ctx), doc_(ctx.doc()), out_(out) {}

  void Run() {
    VisibleCopies();
    AnnouncedBlocks();
    MainBlock();
    ClassNamedBlock();
  }

 private:
  size_t TextStart(int i) const {
    const Element& e = doc_.element(i);
    size_t p = e.text_begin;
    const std::string& t = doc_.text();
    while (p < e.text_end && (t[p] == ' ' || t[p] == '\n')) ++p;
    return p;
  }

  // True for text content: paragraphs, lists, inline markup, and divs holding
  // only those.
  bool IsProse(int i) const {
    for (int k = i; k < doc_.element(i).subtree_end; ++k) {
      const Element& e = doc_.element(k);
      if (e.hidden) continue;
      if (!IsProseTag(e.tag)) return false;
    }
    return true;
  }

  std::string_view Span(size_t begin, size_t end) const {
    const std::string_view text = doc_.text();
    return Trim(text.substr(begin, end - begin));
  }

  // The visible text that starts at text offset `p`: the block there and the
  // prose blocks after it, until `want` bytes (collapsed) are covered, or all
  // of them when `want` is 0 (a metadata copy that was cut short).
  std::optional<std::string> VisibleBlockAt(size_t p, size_t want) const {
    int e = doc_.ElementAtTextOffset(p);
    if (e < 0) return std::nullopt;
    while (IsInlineTag(doc_.element(e).tag) && doc_.element(e).parent >= 0)
      e = doc_.element(e).parent;
    if (TextStart(e) != p) {
      // The copy starts inside a block (after a label): the text from p to
      // the block's end.
      return std::string(Span(p, doc_.element(e).text_end));
    }
    // Climb into containers of prose that start here: the description's
    // other paragraphs, not the buttons, headings and widgets around it.
    const int start = e;
    for (;;) {
      const int parent = doc_.element(e).parent;
      if (parent < 0) break;
      const GumboTag t = doc_.element(parent).tag;
      if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML || t == GUMBO_TAG_MAIN)
        break;
      if (TextStart(parent) != p) break;
      bool prose = true;
      for (int c = doc_.element(parent).first_child; c >= 0 && prose;
           c = doc_.element(c).next_sibling) {
        if (c != e) prose = IsProse(c);
      }
      if (!prose) break;
      e = parent;
    }
    size_t end = doc_.element(e).text_end;
    // Following blocks of the same run of text; a container of prose that
    // was climbed into holds the whole text already.
    for (int s = e == start ? doc_.element(e).next_sibling : -1; s >= 0;
         s = doc_.element(s).next_sibling) {
      if (want != 0 && CollapsedSize(Span(p, end)) >= want) break;
      const GumboTag t = doc_.element(s).tag;
      const bool block = t == GUMBO_TAG_P || t == GUMBO_TAG_UL ||
                         t == GUMBO_TAG_OL || t == GUMBO_TAG_BLOCKQUOTE;
      if (!block && !IsProse(s)) break;
      end = doc_.element(s).text_end;
    }
    return StripPlayerLines(std::string(Span(p, end)));
  }

  // Each metadata copy leads to the visible copies that start like it.
  void VisibleCopies() {
    std::string flat = doc_.text();
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    std::unordered_set<size_t> tried;
    // Indexes, not pointers: adding candidates moves them.
    std::vector<int> marked;
    for (const Candidate* c : out_.Of(Field::kDescription))
      marked.push_back(out_.IndexOf(c));
    for (int index : marked) {
      const Candidate* c = &out_.items()[static_cast<size_t>(index)];
      if (c->visible) continue;
      std::string key = CollapseWhitespace(StripEllipsis(c->text));
      if (key.size() < 16) continue;
      size_t len = std::min<size_t>(key.size(), 48);
      while (len < key.size() &&
             (static_cast<unsigned char>(key[len]) & 0xC0) == 0x80)
        ++len;
      key.resize(len);
      const size_t want =
          c->truncated ? 0 : CollapsedSize(StripEllipsis(c->text));
      // `c` dangles once a candidate is added: keep what the copies need.
      const std::string full = CollapseWhitespace(StripEllipsis(c->text));
      const std::string where = "visible copy of " + c->where;
      const Owner owner = c->owner;
      size_t pos = 0;
      for (int n = 0; n < 4; ++n) {
        pos = flat.find(key, pos);
        if (pos == std::string::npos) break;
        const int at = doc_.ElementAtTextOffset(pos);
        if (tried.insert(pos).second && !ctx_.InRelated(at)) {
          if (auto block = VisibleBlockAt(pos, want)) {
            std::string text = StripControls(*block);
            size_t after = 0;
            const size_t shown = MatchedPrefix(doc_.text(), pos, full, &after);
            Candidate v;
            v.field = Field::kDescription;
            // A copy that the page cuts with a "Show more" control is
            // truncated, whatever its last character.
            v.truncated =
                LooksTruncated(text) ||
                (shown + 3 < full.size() && ControlFollows(doc_.text(), after));
            v.text = std::move(text);
            v.source = kText;
            v.where = where;
            v.signal = "visible-copy";
            v.strength = Strength::kPage;
            v.owner = owner;
            v.visible = true;
            v.copy_of = index;
            out_.Add(std::move(v));
          }
        }
        pos += key.size();
      }
    }
  }

  void AddBlock(std::string text, const std::string& where, const char* signal,
                Strength strength) {
    text = StripPlayerLines(std::string(Trim(text)));
    if (CollapsedSize(text) < 20) return;
    Candidate c;
    c.field = Field::kDescription;
    c.truncated = LooksTruncated(text);
    c.text = std::move(text);
    c.source = kText;
    c.where = where;
    c.signal = signal;
    c.strength = strength;
    c.owner = Owner::kEpisode;
    c.visible = true;
    out_.Add(std::move(c));
  }

  // The prose that follows heading `h` up to the next heading.
  std::string ProseAfter(int h) const {
    size_t begin = std::string::npos;
    size_t end = 0;
    for (int sib = doc_.element(h).next_sibling; sib >= 0;
         sib = doc_.element(sib).next_sibling) {
      if (ctx_.IsHeading(sib) || !IsProse(sib)) break;
      if (begin == std::string::npos) begin = TextStart(sib);
      end = doc_.element(sib).text_end;
    }
    if (begin == std::string::npos || end <= begin) return "";
    return std::string(Span(begin, end));
  }

  // A heading that announces the description ("About this episode", "Show
  // notes", "Descripción de ..."), then the prose after it.
  void AnnouncedBlocks() {
    for (int h = 0; h < doc_.size(); ++h) {
      const Element& e = doc_.element(h);
      if (!ctx_.IsHeading(h) || e.hidden || ctx_.InRelated(h)) continue;
      if (!lexicon::AnnouncesDescription(doc_.Text(h))) continue;
      if (ctx_.InChrome(h)) continue;
      std::string text = ProseAfter(h);
      if (text.empty()) {
        // The heading's parent may wrap the text in a sibling container.
        const int parent = e.parent;
        if (parent >= 0 && doc_.element(parent).next_sibling >= 0 &&
            doc_.element(parent).first_child == h) {
          const int sib = doc_.element(parent).next_sibling;
          if (IsProse(sib)) text = std::string(doc_.Text(sib));
        }
      }
      AddBlock(std::move(text),
               "text under \"" + CollapseWhitespace(doc_.Text(h)) + "\"",
               "announced-block", Strength::kPage);
      return;
    }
  }

  // The episode's title on the page: a heading whose text is an episode-title
  // candidate.
  int TitleElement() const {
    std::unordered_set<std::string> keys;
    for (const Candidate* c : out_.Of(Field::kEpisodeTitle))
      keys.insert(NameKey(c->text));
    if (keys.empty()) return -1;
    for (GumboTag tag :
         {GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4}) {
      for (int h : doc_.ByTag(tag)) {
        if (doc_.element(h).hidden || ctx_.InChrome(h) || ctx_.InRelated(h))
          continue;
        if (keys.contains(NameKey(doc_.Text(h)))) return h;
      }
    }
    return -1;
  }

  // True when block element `i` can be part of the main text: a paragraph or
  // list of the page's content, not chrome, not a caption, not a player line.
  bool ContentBlock(int i) const {
    const Element& e = doc_.element(i);
    if (e.hidden || ctx_.InChrome(i) || ctx_.InRelated(i)) return false;
    for (int a = e.parent; a >= 0; a = doc_.element(a).parent) {
      const GumboTag t = doc_.element(a).tag;
      if (t == GUMBO_TAG_FIGURE || t == GUMBO_TAG_FIGCAPTION ||
          t == GUMBO_TAG_A || t == GUMBO_TAG_BUTTON || t == GUMBO_TAG_LI)
        return false;
    }
    return true;
  }

  // True for the blocks the main text is made of.
  static bool IsTextBlock(GumboTag t) {
    return t == GUMBO_TAG_P || t == GUMBO_TAG_UL || t == GUMBO_TAG_OL ||
           t == GUMBO_TAG_BLOCKQUOTE;
  }

  // Bytes of text blocks inside `container` after element `after`.
  size_t ProseAfter(int container, int after) const {
    size_t total = 0;
    const int end = doc_.element(container).subtree_end;
    for (int i = doc_.element(after).subtree_end; i < end; ++i) {
      const Element& e = doc_.element(i);
      if (e.tag != GUMBO_TAG_P || e.hidden) continue;
      total += e.text_end - e.text_begin;
    }
    return total;
  }

  // The main text: the episode's post body after its title. Its container is
  // the nearest ancestor of the title that holds paragraphs after it; the
  // text is every paragraph, list and quote there in page order (across
  // embeds and players), without captions, chrome, player and download
  // lines, up to a heading that starts something else (a transcript,
  // comments, "how to listen") or a post's metadata line.
  void MainBlock() {
    const int title = TitleElement();
    if (title < 0) return;
    int container = doc_.element(title).parent;
    while (container >= 0 && ProseAfter(container, title) < 80) {
      const GumboTag t = doc_.element(container).tag;
      if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML) return;
      container = doc_.element(container).parent;
    }
    if (container < 0) return;
    std::string text;
    const int end = doc_.element(container).subtree_end;
    for (int i = doc_.element(title).subtree_end; i < end; ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden) continue;
      if (ctx_.InChrome(i) || ctx_.InRelated(i)) {
        i = e.subtree_end - 1;
        continue;
      }
      if (ctx_.IsHeading(i)) {
        // A heading ends the text once it has begun (a player's "MP3
        // download" heading before it does not).
        if (!text.empty() || lexicon::EndsDescription(doc_.Text(i))) break;
        i = e.subtree_end - 1;
        continue;
      }
      if (!IsTextBlock(e.tag)) continue;
      const int b = i;
      i = e.subtree_end - 1;  // the block whole; nested blocks are in it
      if (!ContentBlock(b)) continue;
      const std::string_view block = doc_.Text(b);
      if (lexicon::IsPostMetaLine(block)) break;
      if (lexicon::IsPlayerLine(block) || ContainsPlayer(b)) continue;
      if (!text.empty()) text += '\n';
      text += block;
    }
    AddBlock(std::move(text), "main text after the title", "main-text",
             Strength::kPage);
  }

  bool ContainsPlayer(int i) const {
    for (int k = i; k < doc_.element(i).subtree_end; ++k) {
      const GumboTag t = doc_.element(k).tag;
      if (t == GUMBO_TAG_AUDIO || t == GUMBO_TAG_IFRAME ||
          t == GUMBO_TAG_VIDEO || t == GUMBO_TAG_OBJECT)
        return true;
    }
    return false;
  }

  // With no other copy, a block named like a description ("description",
  // "summary", "show-notes").
  void ClassNamedBlock() {
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden ||
          !ClassHas(e, {"desc", "summary", "show-notes", "shownotes"}) ||
          ctx_.InRelated(i)) {
        continue;
      }
      const std::string names =
          std::string(e.cls ? e.cls : "") + " " + (e.id ? e.id : "");
      const std::string_view t = doc_.Text(i);
      if (t.size() < 40 || t.size() > 20000 || ctx_.InChrome(i)) continue;
      AddBlock(std::string(t), "element named ." + names, "class-named",
               Strength::kGuess);
      return;
    }
  }

  PageContext& ctx_;
  const HtmlDocument& doc_;
  Candidates& out_;
};

}  // namespace

void ProposeVisibleDescriptions(PageContext& ctx, Candidates& out) {
  Descriptions(ctx, out).Run();
}

}  // namespace parser
