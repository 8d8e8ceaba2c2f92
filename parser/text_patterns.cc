// Text patterns on what a reader sees: the page's player or audio link, "By
// SHOW" lines (weak: the link after "by" is as often a person or a platform),
// labels ("Podcast: SHOW"), and ratings written out ("4.7 (2,345 ratings)",
// "4,3/5").
#include <regex>

#include "parser/lexicon.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

constexpr const char* kText = "text";

// The text right before element `i` inside its parent: a text node, or a
// small element ("<span>By</span> <a>"). Empty when there is none.
std::string TextBefore(const HtmlDocument& doc, int i) {
  const GumboNode* node = doc.element(i).node;
  const GumboNode* parent = node->parent;
  if (parent == nullptr) return "";
  for (int k = static_cast<int>(node->index_within_parent) - 1; k >= 0; --k) {
    const auto* prev =
        static_cast<const GumboNode*>(parent->v.element.children.data[k]);
    if (prev->type == GUMBO_NODE_WHITESPACE) continue;
    if (prev->type == GUMBO_NODE_TEXT) return prev->v.text.text;
    if (prev->type == GUMBO_NODE_ELEMENT &&
        prev->v.element.children.length == 1) {
      const auto* t =
          static_cast<const GumboNode*>(prev->v.element.children.data[0]);
      if (t->type == GUMBO_NODE_TEXT) return t->v.text.text;
    }
    return "";
  }
  return "";
}

std::string LastWord(std::string_view text) {
  std::string s = AsciiLower(CollapseWhitespace(text));
  const size_t sp = s.find_last_of(' ');
  return sp == std::string::npos ? s : s.substr(sp + 1);
}

bool InFooter(const HtmlDocument& doc, int i) {
  for (int a = i; a >= 0; a = doc.element(a).parent) {
    if (doc.element(a).tag == GUMBO_TAG_FOOTER) return true;
  }
  return false;
}

// "By <a>NAME</a>": weak evidence of the show; what the words before "by" say
// decides whether NAME is a platform or a person instead.
void ByLinks(PageContext& ctx, Candidates& out) {
  const HtmlDocument& doc = ctx.doc();
  int proposed = 0;
  for (int a : doc.ByTag(GUMBO_TAG_A)) {
    const Element& e = doc.element(a);
    if (e.hidden || doc.Attr(a, "href") == nullptr || ctx.InRelated(a))
      continue;
    const std::string before = TextBefore(doc, a);
    if (before.empty()) continue;
    const std::string name(doc.Text(a));
    if (name.size() < 2 || name.size() > 120 || lexicon::IsPlayerLine(name))
      continue;
    Owner owner = Owner::kUnknown;
    std::string where = "link after \"" + CollapseWhitespace(before) + "\"";
    if (lexicon::IntroducesPlatform(before) || InFooter(doc, a)) {
      owner = Owner::kPlatform;
    } else if (lexicon::IntroducesPerson(before)) {
      owner = Owner::kPerson;
    } else if (lexicon::IsShowLabel(before)) {
      out.AddText(Field::kShowName, name, kText, where, "label",
                  Strength::kPage, Owner::kShow, true);
      continue;
    } else if (!lexicon::IsByWord(LastWord(before))) {
      continue;
    }
    if (const char* href = doc.Attr(a, "href"); owner == Owner::kUnknown) {
      if (auto abs = ctx.Resolve(href)) {
        out.AddText(Field::kShowUrl, *abs, kText, where, "by-link",
                    Strength::kGuess);
      }
    }
    out.AddText(Field::kShowName, name, kText, where, "by-link",
                Strength::kGuess, owner, true);
    if (++proposed >= 4) return;
  }
}

// Unlinked "By SHOW · 51 min" lines and "Podcast: SHOW" labels.
void TextLines(PageContext& ctx, Candidates& out) {
  static const std::regex kLine(
      R"(^(?:(By|From)|(Podcast|Show|Programa|Programme|Program|Sendung|Émission|Emission|Canal|Serie|Série)\s*:)\s+([^\n·|•–—]{2,100}?)\s*(?:[·|•–—\n]|$))");
  const HtmlDocument& doc = ctx.doc();
  int proposed = 0;
  for (int i = 0; i < doc.size(); ++i) {
    const Element& e = doc.element(i);
    if (e.hidden || e.first_child >= 0 || ctx.InRelated(i)) continue;
    const std::string_view t = doc.Text(i);
    if (t.size() < 5 || t.size() > 160) continue;
    // The regex only where a lead word can start the line (cheap test first).
    const char c0 = t[0];
    if (c0 != 'B' && c0 != 'F' && c0 != 'P' && c0 != 'S' && c0 != 'E' &&
        c0 != 'C' && c0 != static_cast<char>(0xC3)) {
      continue;
    }
    const std::string text(t);
    std::smatch m;
    if (!std::regex_search(text, m, kLine,
                           std::regex_constants::match_continuous)) {
      continue;
    }
    const bool label = m[2].matched;
    const std::string lead = label ? m[2].str() : m[1].str();
    const std::string name = m[3].str();
    if (lexicon::IsPlayerLine(name)) continue;
    out.AddText(Field::kShowName, name, kText, "\"" + lead + " NAME\" line",
                label ? "label" : "by-line",
                label ? Strength::kPage : Strength::kGuess,
                label ? Owner::kShow : Owner::kUnknown, true);
    if (++proposed >= 3) return;
  }
}

// The average shown before a count: "4.7 (2,345 ratings)", "4,3/5 (27
// votes)", "4.0 ★ 76 ratings", "4.6 out of 5 · 1,234 ratings". `before` is
// the text just before the count.
std::optional<double> ValueBefore(std::string before) {
  // Drop a partial UTF-8 character at the window's start.
  while (!before.empty() &&
         (static_cast<unsigned char>(before[0]) & 0xC0) == 0x80) {
    before.erase(0, 1);
  }
  static const std::regex kValue(
      R"((?:^|[^\w.,])([0-5](?:[.,]\d{1,2})?)\s*(?:/\s*5|out of 5(?: stars)?|sur 5|de 5|von 5|su 5|van 5|av 5|stars?|étoiles?|sterne?|estrellas?|stelle|estrelas|sterren|stjärnor)?[^\d\n]{0,24}$)",
      std::regex::icase);
  std::smatch vm;
  if (std::regex_search(before, vm, kValue))
    return ParseRatingValue(vm[1].str());
  return std::nullopt;
}

// The nearest "x out of 5" label (aria-label, title) on an element before
// text offset `end` inside `block`: star widgets often carry the value only
// there.
std::optional<double> LabelledValue(const HtmlDocument& doc, int block,
                                    size_t end) {
  std::optional<double> found;
  for (int i = block; i < doc.element(block).subtree_end; ++i) {
    if (doc.element(i).text_begin > end) break;
    for (const char* name : {"aria-label", "title"}) {
      const char* label = doc.Attr(i, name);
      if (label == nullptr) continue;
      const std::string l = AsciiLower(label);
      if (l.find("out of") == std::string::npos &&
          l.find("/5") == std::string::npos &&
          l.find("star") == std::string::npos &&
          l.find("rating") == std::string::npos &&
          l.find("von 5") == std::string::npos) {
        continue;
      }
      if (auto v = ParseRatingValue(l); v && *v <= 5) found = v;
    }
  }
  return found;
}

void RatingText(PageContext& ctx, Candidates& out) {
  const HtmlDocument& doc = ctx.doc();
  const std::string& text = doc.text();
  size_t from = 0;
  while (auto m = FindCountBefore(text, lexicon::kRatingWords, from)) {
    from = m->end;
    const int at = doc.ElementAtTextOffset(m->begin);
    if (at >= 0 && ctx.InRelated(at)) continue;
    const size_t window = 64;
    const size_t start = m->begin > window ? m->begin - window : 0;
    std::optional<double> value =
        ValueBefore(text.substr(start, m->begin - start));
    if (!value && at >= 0) {
      // The enclosing block (two levels up) may hold a labelled star widget.
      int block = at;
      for (int k = 0; k < 2 && doc.element(block).parent >= 0; ++k)
        block = doc.element(block).parent;
      value = LabelledValue(doc, block, m->begin);
    }
    ProposeRating(out, value, m->value, kText, "\"N ratings\" text",
                  Strength::kGuess, /*exact=*/false);
    return;
  }
  // No count shown: an average written out ("Rated 4.5 out of 5", "4,6/5")
  // still counts. A plain scan (a regex over a whole page is slow).
  const std::string lower = AsciiLower(text);
  for (std::string_view mark :
       {"/5", "/ 5", " out of 5", " sur 5", " de 5", " von 5"}) {
    for (size_t pos = lower.find(mark); pos != std::string::npos;
         pos = lower.find(mark, pos + 1)) {
      const size_t after = pos + mark.size();
      if (after < lower.size() && lower[after] >= '0' && lower[after] <= '9')
        continue;
      size_t end = pos;
      while (end > 0 && lower[end - 1] == ' ') --end;
      size_t begin = end;
      while (begin > 0 &&
             ((lower[begin - 1] >= '0' && lower[begin - 1] <= '9') ||
              lower[begin - 1] == '.' || lower[begin - 1] == ',')) {
        --begin;
      }
      const std::string token = lower.substr(begin, end - begin);
      if (token.size() < 3 || token.size() > 4 || token[0] > '5' ||
          (token[1] != '.' && token[1] != ',')) {
        continue;
      }
      const int at = doc.ElementAtTextOffset(begin);
      if (at >= 0 && ctx.InRelated(at)) continue;
      ProposeRating(out, ParseRatingValue(token), std::nullopt, kText,
                    "\"x/5\" text", Strength::kGuess, /*exact=*/false);
      return;
    }
  }
}

// True for an address whose path ends in an audio file's extension (.mp3,
// .m4a, .aac, .ogg, .opus), before any query.
bool IsAudioFileUrl(std::string_view href) {
  const size_t end = href.find_first_of("?#");
  const std::string_view path = href.substr(0, end);
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || path.size() - dot > 5) return false;
  const std::string ext = AsciiLower(path.substr(dot + 1));
  return ext == "mp3" || ext == "m4a" || ext == "aac" || ext == "ogg" ||
         ext == "opus";
}

}  // namespace

void ProposeMedia(PageContext& ctx, Candidates& out) {
  const HtmlDocument& doc = ctx.doc();
  for (GumboTag t : {GUMBO_TAG_AUDIO, GUMBO_TAG_SOURCE}) {
    for (int i : doc.ByTag(t)) {
      if (const char* src = doc.Attr(i, "src")) {
        if (auto abs = ctx.Resolve(src)) {
          out.AddText(Field::kAudioUrl, *abs, kText, "audio element", "player",
                      Strength::kPage, Owner::kEpisode, true);
        }
      }
    }
  }
  for (int a : doc.ByTag(GUMBO_TAG_A)) {
    const char* href = doc.Attr(a, "href");
    if (href == nullptr || !IsAudioFileUrl(href) || ctx.InRelated(a)) continue;
    {
      if (auto abs = ctx.Resolve(href)) {
        out.AddText(Field::kAudioUrl, *abs, kText, "link to an audio file",
                    "audio-link", Strength::kGuess, Owner::kEpisode, true);
        break;
      }
    }
  }
}

void ProposeTextPatterns(PageContext& ctx, Candidates& out) {
  ByLinks(ctx, out);
  TextLines(ctx, out);
  RatingText(ctx, out);
}

}  // namespace parser
