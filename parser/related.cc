// Related shows: a list under a heading such as "You may also like" /
// "Listeners also follow" / "Das gefällt dir vielleicht auch". The list's items
// are the cards the links sit in, one entry per card; cards of episodes (a
// duration, a date, a link to an episode and to its show) and lists of the
// same show's episodes are not related shows.
#include <algorithm>
#include <unordered_set>

#include "core/regex.h"
#include "parser/lexicon.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

constexpr const char* kText = "text";

class RelatedFinder {
 public:
  explicit RelatedFinder(PageContext& ctx) : ctx_(ctx), doc_(ctx.doc()) {}

  // Returns the shows under the first related heading that has any, and marks
  // its section in the context.
  std::vector<core::RelatedShow> Find(std::string* where) {
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden) continue;
      const std::string_view t = doc_.Text(i);
      if (t.size() < 5 || t.size() > 80) continue;
      // A heading, or a label acting as one ("<p><b>Listeners also
      // follow</b></p>", a "section-title" div): short text, no link in or
      // around it. The cheap tests first: this runs on every element.
      const bool heading_tag = ctx_.IsHeading(i);
      if (!heading_tag && (t.size() >= 60 || e.tag == GUMBO_TAG_A ||
                           e.tag == GUMBO_TAG_LI || e.tag == GUMBO_TAG_TD))
        continue;
      if (!lexicon::IsRelatedHeading(t)) continue;
      if (!heading_tag &&
          (!LinksIn(i, e.subtree_end).empty() || ctx_.InsideLink(i)))
        continue;
      bool section_found = false;
      auto shows = Under(i, &section_found);
      if (section_found) {
        *where = "list under \"" + CollapseWhitespace(t) + "\"";
        return shows;
      }
    }
    return {};
  }

 private:
  // Candidate show links in [begin, end) of the document.
  std::vector<int> LinksIn(int begin, int end) const {
    std::vector<int> out;
    for (int i = begin; i < end; ++i) {
      const Element& e = doc_.element(i);
      if (e.tag != GUMBO_TAG_A || e.hidden) continue;
      const char* href = doc_.Attr(i, "href");
      if (href == nullptr || !ctx_.Resolve(href)) continue;
      if (lexicon::IsSeeAll(doc_.Text(i))) continue;
      out.push_back(i);
    }
    return out;
  }

  static std::string FirstLine(std::string_view t) {
    while (!t.empty()) {
      const size_t nl = t.find('\n');
      std::string line(Trim(t.substr(0, nl)));
      t = nl == std::string_view::npos ? std::string_view() : t.substr(nl + 1);
      if (line.empty() || FindCountBefore(line, lexicon::kListenerWords))
        continue;
      return line;
    }
    return "";
  }

  // "Name Name" (a name repeated for screen readers) -> "Name".
  static std::string Undouble(std::string name) {
    const size_t n = name.size();
    if (n >= 3 && n % 2 == 1 && name[n / 2] == ' ' &&
        name.compare(0, n / 2, name, n / 2 + 1, n / 2) == 0) {
      name.resize(n / 2);
    }
    return name;
  }

  // An item's accessible name (aria-label of the card or its link), when it
  // reads as a name.
  std::string AriaName(int item, int link) const {
    for (int i : {item, link}) {
      if (i < 0) continue;
      const char* aria = doc_.Attr(i, "aria-label");
      if (aria == nullptr) continue;
      std::string name = CollapseWhitespace(aria);
      if (name.size() >= 2 && name.size() <= 150 &&
          !lexicon::IsPlayerLine(name))
        return name;
    }
    return "";
  }

  // A related item's name: its accessible name; else the first line of its
  // link's text that is not a count; else the item's first such line (a card
  // whose link wraps only the cover); else the cover's alt text.
  std::string ItemName(int item, const std::vector<int>& links) const {
    int first_link = -1;
    for (int l : links) {
      if (doc_.Contains(item, l)) {
        first_link = l;
        break;
      }
    }
    std::string name = AriaName(item, first_link);
    if (!name.empty()) return name;
    for (int l : links) {
      if (!doc_.Contains(item, l)) continue;
      name = FirstLine(doc_.Text(l));
      if (!name.empty()) return Undouble(name);
    }
    name = FirstLine(doc_.Text(item));
    if (!name.empty()) return Undouble(name);
    for (int i = item; i < doc_.element(item).subtree_end; ++i) {
      if (doc_.element(i).tag != GUMBO_TAG_IMG) continue;
      if (const char* alt = doc_.Attr(i, "alt")) {
        if (!Trim(alt).empty()) return std::string(Trim(alt));
      }
    }
    return "";
  }

  // A related item's listener count: "<n> Listeners" in the item; in a
  // table, the cell under a "Listeners" column header; in a definition list,
  // the <dd> after the item.
  std::optional<int64_t> ItemListeners(int item) const {
    if (auto m = FindCountBefore(doc_.Text(item), lexicon::kListenerWords))
      return m->value;
    if (doc_.element(item).tag == GUMBO_TAG_TR) {
      if (auto v = TableListeners(item)) return v;
    }
    const int next = doc_.element(item).next_sibling;
    if (next >= 0 && LinksIn(next, doc_.element(next).subtree_end).empty()) {
      if (auto m = FindCountBefore(doc_.Text(next), lexicon::kListenerWords))
        return m->value;
    }
    return std::nullopt;
  }

  std::optional<int64_t> TableListeners(int row) const {
    int table = doc_.element(row).parent;
    while (table >= 0 && doc_.element(table).tag != GUMBO_TAG_TABLE)
      table = doc_.element(table).parent;
    if (table < 0) return std::nullopt;
    int column = -1;
    for (int i = table + 1; i < doc_.element(table).subtree_end && column < 0;
         ++i) {
      if (doc_.element(i).tag != GUMBO_TAG_TR) continue;
      int index = 0;
      bool header_row = false;
      for (int c = doc_.element(i).first_child; c >= 0;
           c = doc_.element(c).next_sibling) {
        if (doc_.element(c).tag == GUMBO_TAG_TH) {
          header_row = true;
          const std::string h = AsciiLower(doc_.Text(c));
          if (FindCountBefore("1 " + h, lexicon::kListenerWords))
            column = index;
        }
        if (doc_.element(c).tag == GUMBO_TAG_TH ||
            doc_.element(c).tag == GUMBO_TAG_TD) {
          ++index;
        }
      }
      if (header_row) break;
    }
    int index = 0;
    for (int c = doc_.element(row).first_child; c >= 0 && column >= 0;
         c = doc_.element(c).next_sibling) {
      const GumboTag t = doc_.element(c).tag;
      if (t != GUMBO_TAG_TD && t != GUMBO_TAG_TH) continue;
      if (index++ == column) return ParseCount(doc_.Text(c));
    }
    return std::nullopt;
  }

  // True when an item is an episode's card: it shows a duration or a date,
  // or links both to a page and to a page under it (an episode and its show).
  bool IsEpisodeCard(int item, const std::vector<int>& links) const {
    // RE2 (core::Regex): std::regex's backtracking was 1.5% of a parse.
    static const core::Regex kDuration = *core::Regex::Compile(
        R"((?i)\b\d{1,3}\s?(min|mins|minutes|minuten|Min\.)\b|\b\d{1,2}:\d{2}(:\d{2})?\b|\b(19|20)\d{2}-\d{2}-\d{2}\b)");
    const std::string_view shown = doc_.Text(item);
    if (shown.size() < 400 &&
        std::any_of(shown.begin(), shown.end(),
                    [](char c) { return c >= '0' && c <= '9'; }) &&
        kDuration.Search(shown)) {
      return true;
    }
    std::vector<std::string> urls;
    for (int l : links) {
      if (doc_.Contains(item, l))
        urls.push_back(*ctx_.Resolve(doc_.Attr(l, "href")));
    }
    for (const auto& a : urls) {
      for (const auto& b : urls) {
        if (a.size() > b.size() + 1 && a.compare(0, b.size(), b) == 0 &&
            (a[b.size()] == '/' || b.back() == '/')) {
          return true;
        }
      }
    }
    return false;
  }

  // True when element `c` holds one of the `links`.
  bool HoldsAny(int c, const std::vector<int>& links) const {
    return std::ranges::any_of(links,
                               [&](int l) { return doc_.Contains(c, l); });
  }

  // The first of the `links` that element `c` holds, or -1.
  int FirstLinkIn(int c, const std::vector<int>& links) const {
    for (int l : links) {
      if (doc_.Contains(c, l)) return l;
    }
    return -1;
  }

  // The innermost element that holds every link: from the single root down
  // while a single child holds them all; -1 with several roots.
  int LinkContainer(const std::vector<int>& links,
                    const std::vector<int>& roots) const {
    if (roots.size() != 1) return -1;
    int container = roots.front();
    for (;;) {
      int holder = -1;
      int holders = 0;
      for (int c = doc_.element(container).first_child; c >= 0;
           c = doc_.element(c).next_sibling) {
        if (HoldsAny(c, links)) {
          holder = c;
          ++holders;
        }
      }
      if (holders != 1) return container;
      const bool all = std::ranges::all_of(
          links, [&](int l) { return doc_.Contains(holder, l); });
      if (!all || holder == links.front()) return container;
      container = holder;
    }
  }

  // True when the children of `container` that hold links are the links
  // themselves.
  bool HoldsOnlyLinks(int container, const std::vector<int>& links) const {
    for (int c = doc_.element(container).first_child; c >= 0;
         c = doc_.element(c).next_sibling) {
      if (HoldsAny(c, links) && doc_.element(c).tag != GUMBO_TAG_A)
        return false;
    }
    return true;
  }

  // The cards of a list: the children of the innermost element that holds
  // every link, each child holding at least one link.
  std::vector<int> Cards(const std::vector<int>& links,
                         const std::vector<int>& roots) const {
    const int container = LinkContainer(links, roots);
    // A container whose children holding links are the links themselves is
    // one card, not a list; an episode's card (a duration, a link to an
    // episode and one to its show) stays whole, to be set aside.
    if (container >= 0 && HoldsOnlyLinks(container, links) &&
        IsEpisodeCard(container, links)) {
      return {container};
    }
    std::vector<int> cards;
    if (container < 0) {
      for (int r : roots) {
        if (HoldsAny(r, links)) cards.push_back(r);
      }
    } else {
      for (int c = doc_.element(container).first_child; c >= 0;
           c = doc_.element(c).next_sibling) {
        if (HoldsAny(c, links)) cards.push_back(c);
      }
    }
    // One card holding every link of a multi-show list: its links are the
    // items (a plain list of links in one paragraph).
    if (cards.size() == 1 && links.size() > 1) {
      std::unordered_set<std::string> urls;
      for (int l : links) urls.insert(*ctx_.Resolve(doc_.Attr(l, "href")));
      if (urls.size() > 2 && !IsEpisodeCard(cards.front(), links)) {
        cards = links;
      }
    }
    return cards;
  }

  // The siblings after `anchor` up to the next heading (or the next element
  // led by a heading and holding no links).
  std::vector<int> SectionRoots(int anchor) const {
    std::vector<int> roots;
    for (int s = doc_.element(anchor).next_sibling; s >= 0;
         s = doc_.element(s).next_sibling) {
      if (ctx_.IsHeading(s)) break;
      const int first = doc_.element(s).first_child;
      if (first >= 0 && ctx_.IsHeading(first) &&
          LinksIn(s, doc_.element(s).subtree_end).empty()) {
        break;
      }
      roots.push_back(s);
    }
    return roots;
  }

  // The links under the `roots`, at most 300 (a related list is short).
  std::vector<int> SectionLinks(const std::vector<int>& roots) const {
    std::vector<int> links;
    for (int root : roots) {
      auto l = LinksIn(root, doc_.element(root).subtree_end);
      links.insert(links.end(), l.begin(), l.end());
      if (links.size() > 300) break;
    }
    if (links.size() > 300) links.resize(300);
    return links;
  }

  // The shows the cards of the section's `links` name, one per address.
  std::vector<core::RelatedShow> ShowsIn(const std::vector<int>& links,
                                         const std::vector<int>& roots) {
    std::vector<core::RelatedShow> shows;
    std::unordered_set<std::string> seen_urls;
    for (int card : Cards(links, roots)) {
      if (IsEpisodeCard(card, links)) continue;
      const int link = FirstLinkIn(card, links);
      if (link < 0) continue;
      const std::string url = *ctx_.Resolve(doc_.Attr(link, "href"));
      core::RelatedShow s;
      s.name = CollapseWhitespace(ItemName(card, links));
      if (s.name.empty()) continue;
      if (!seen_urls.insert(url).second) continue;
      s.url = url;
      s.listeners = ItemListeners(card);
      shows.push_back(std::move(s));
    }
    return shows;
  }

  std::vector<core::RelatedShow> Under(int heading, bool* section_found) {
    int anchor = heading;
    for (int climb = 0; climb < 4 && anchor >= 0; ++climb) {
      const std::vector<int> roots = SectionRoots(anchor);
      const std::vector<int> links = SectionLinks(roots);
      if (!links.empty()) {
        *section_found = true;
        for (int root : roots) ctx_.AddRelatedSection(root);
        return ShowsIn(links, roots);
      }
      anchor = doc_.element(anchor).parent;
      if (anchor >= 0 && (doc_.element(anchor).tag == GUMBO_TAG_BODY ||
                          doc_.element(anchor).tag == GUMBO_TAG_MAIN)) {
        break;
      }
    }
    return {};
  }

  PageContext& ctx_;
  const HtmlDocument& doc_;
};

}  // namespace

void ProposeRelated(PageContext& ctx, Candidates& out) {
  Candidate c;
  c.field = Field::kRelatedShows;
  c.related = RelatedFinder(ctx).Find(&c.where);
  if (c.where.empty()) return;  // no related section on the page
  c.source = kText;
  c.signal = "related-heading";
  c.strength = Strength::kPage;
  c.visible = true;
  out.Add(std::move(c));
}

}  // namespace parser
