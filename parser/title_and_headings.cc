// The page's own naming: the segments of <title> / og:title ("Episode | Show |
// Network"), a "Show: episode" prefix, the headings, the site's title in its
// header, links to the show's page (the series URL, the parent of this page's
// path), breadcrumbs and categories, and headings that name the show ("More
// episodes from SHOW", "Subscribe to SHOW"). Each is one independent signal;
// the resolver weighs them together.
#include <algorithm>
#include <regex>
#include <unordered_set>

#include "core/url.h"
#include "parser/lexicon.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

constexpr const char* kMeta = "meta";
constexpr const char* kText = "text";

// Splits a title on the usual separators (with spaces around them) and drops
// "... on BRAND" suffixes, generic words and empty parts.
std::vector<std::string> TitleParts(const PageContext& ctx,
                                    const std::string& title) {
  // A real title is short; a missing </title> can swallow the page.
  if (title.size() > 400) return {};
  static const std::regex kSep(R"(\s+(?:\||-|–|—|::|·|•|»|«|/|~)\s+)");
  static const std::regex kOn(
      R"(^(.+?) (?:on|auf|sur|en|su|em|op|på) ([^ ].{0,30})$)");
  std::vector<std::string> parts;
  std::sregex_token_iterator it(title.begin(), title.end(), kSep, -1);
  for (std::sregex_token_iterator end; it != end; ++it) {
    std::string p = CollapseWhitespace(it->str());
    std::smatch m;
    if (std::regex_match(p, m, kOn) && ctx.IsBrand(m[2].str())) p = m[1].str();
    if (p.empty() || lexicon::IsGenericName(p)) continue;
    parts.push_back(p);
  }
  return parts;
}

// "117: Title", "#12 Title", "Ep. 118: Title", "Folge 3: ...": an episode's
// numbered title.
bool LooksNumbered(const std::string& s) {
  static const std::regex kNumbered(
      R"(^(?:#\s?\d{1,4}\b|\d{1,4}\s?[:.)]\s|(?:ep|eps|episode|épisode|episodio|episódio|folge|aflevering|avsnitt|puntata)\.?\s?#?\d{1,4}\b))",
      std::regex::icase);
  return s.size() < 300 && std::regex_search(s, kNumbered);
}

bool HasKindCandidate(const Candidates& out, std::string_view kind) {
  return std::ranges::any_of(out.Of(Field::kKind), [&](const Candidate* c) {
    return c->text == kind;
  });
}

// True when the href of element `a` resolves to the page itself.
bool LinksToPage(const PageContext& ctx, int a) {
  const char* href = ctx.doc().Attr(a, "href");
  if (href == nullptr) return false;
  auto abs = ctx.Resolve(href);
  if (!abs) return false;
  auto strip = [](std::string u) {
    while (!u.empty() && u.back() == '/') u.pop_back();
    const size_t scheme = u.find("://");
    return scheme == std::string::npos ? u : u.substr(scheme + 3);
  };
  return strip(*abs) == strip(ctx.url());
}

// True when the href of element `a` is the site's home page.
bool LinksHome(const PageContext& ctx, int a) {
  const char* href = ctx.doc().Attr(a, "href");
  if (href == nullptr) return false;
  const char* rel = ctx.doc().Attr(a, "rel");
  if (rel != nullptr && AsciiLower(rel).find("home") != std::string::npos)
    return true;
  auto abs = ctx.Resolve(href);
  if (!abs) return false;
  const size_t scheme = abs->find("://");
  if (scheme == std::string::npos) return false;
  const size_t slash = abs->find('/', scheme + 3);
  return slash == std::string::npos || slash + 1 == abs->size();
}

bool InTags(const HtmlDocument& doc, int i,
            std::initializer_list<GumboTag> tags) {
  for (int a = i; a >= 0; a = doc.element(a).parent) {
    for (GumboTag t : tags) {
      if (doc.element(a).tag == t) return true;
    }
  }
  return false;
}

class Naming {
 public:
  Naming(PageContext& ctx, Candidates& out)
      : ctx_(ctx), doc_(ctx.doc()), out_(out) {
    episode_like_ =
        HasKindCandidate(out, "episode") || !out.Of(Field::kAudioUrl).empty() ||
        AsciiLower(ctx.MetaFirst("og:type").value_or("")) == "article";
    show_like_ = !episode_like_ && HasKindCandidate(out, "show");
    for (const Candidate* c : out.Of(Field::kEpisodeTitle))
      episode_keys_.insert(NameKey(c->text));
  }

  void Run() {
    IndexClasses();
    EntryTitles();
    Titles();
    Headings();
    SiteTitles();
    ShowLinks();
    Breadcrumbs();
    NamingHeadings();
  }

 private:
  Owner OwnerOf(const std::string& name) const {
    return ctx_.IsBrand(name) ? Owner::kSite : Owner::kUnknown;
  }

  void ProposeShow(const std::string& name, const char* source,
                   std::string where, const char* signal, Strength strength,
                   Owner owner, bool visible) {
    if (name.size() > 150 || lexicon::IsGenericName(name)) return;
    if (episode_keys_.contains(NameKey(name))) owner = Owner::kEpisode;
    out_.AddText(Field::kShowName, name, source, std::move(where), signal,
                 strength, owner, visible);
  }

  void ProposeEpisode(const std::string& title, const char* source,
                      std::string where, const char* signal) {
    if (title.size() > 300) return;
    if (out_.AddText(Field::kEpisodeTitle, title, source, std::move(where),
                     signal, Strength::kPage, Owner::kEpisode,
                     true) != nullptr) {
      episode_keys_.insert(NameKey(title));
    }
  }

  // Headings that link to the page itself, or are marked as the entry's
  // title, name the episode.
  void EntryTitles() {
    if (!episode_like_) return;
    for (GumboTag tag : {GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3}) {
      for (int h : doc_.ByTag(tag)) {
        const Element& e = doc_.element(h);
        if (e.hidden || ctx_.InRelated(h)) continue;
        const std::string text(doc_.Text(h));
        if (text.empty()) continue;
        int a = ctx_.FirstLink(h);
        if (a < 0 && ctx_.InsideLink(h)) a = e.parent;
        const bool self = a >= 0 && LinksToPage(ctx_, a);
        if (self || ClassHas(e, {"entry-title", "post-title", "episode-title",
                                 "article-title", "headline"})) {
          ProposeEpisode(text, kText, std::string(e.tag_name) + " of the entry",
                         "entry-title");
        }
      }
    }
  }

  void Titles() {
    std::vector<std::pair<std::string, std::string>> titles;
    if (!ctx_.title().empty()) titles.emplace_back("<title>", ctx_.title());
    for (const char* k : {"og:title", "twitter:title"}) {
      for (const auto& t : ctx_.MetaAll(k)) titles.emplace_back(k, t);
    }
    for (const auto& [where, raw] : titles) {
      const std::string title = CollapseWhitespace(raw);
      const std::vector<std::string> parts = TitleParts(ctx_, title);
      if (parts.empty()) continue;
      int ep = -1;
      for (size_t i = 0; i < parts.size() && ep < 0; ++i) {
        if (episode_keys_.contains(NameKey(parts[i]))) ep = static_cast<int>(i);
      }
      for (size_t i = 0; i < parts.size() && ep < 0; ++i) {
        if (!LooksNumbered(parts[i])) continue;
        ep = static_cast<int>(i);
        out_.AddText(Field::kKind, "episode", kMeta,
                     "numbered title \"" + parts[i] + "\"", "numbered-title",
                     Strength::kGuess);
      }
      if (ep < 0 && episode_like_) ep = 0;
      const int n = static_cast<int>(parts.size());
      for (int i = 0; i < n; ++i) {
        const std::string w = where + " segment " + std::to_string(i + 1) +
                              " of " + std::to_string(n);
        if (i == ep) {
          ProposeEpisode(parts[static_cast<size_t>(i)], kMeta, w, "title");
          TitlePrefix(parts[static_cast<size_t>(i)], where);
          continue;
        }
        Owner owner = OwnerOf(parts[static_cast<size_t>(i)]);
        // "Episode | Show | Network": the last of three names the network.
        if (n >= 3 && i == n - 1) owner = Owner::kNetwork;
        ProposeShow(parts[static_cast<size_t>(i)], kMeta, w, "title",
                    Strength::kPage, owner, false);
      }
    }
  }

  // "Show: the episode's title" (a short name before a colon).
  void TitlePrefix(const std::string& episode_title, const std::string& where) {
    const size_t colon = episode_title.find(": ");
    if (colon == std::string::npos || colon < 2 || colon > 60) return;
    const std::string prefix = episode_title.substr(0, colon);
    int words = 1;
    for (char c : prefix) {
      if (c == ' ') ++words;
      if (c >= '0' && c <= '9') return;  // "Episode 12: ..."
    }
    if (words > 6) return;
    ProposeShow(prefix, kMeta, "prefix of " + where, "title-prefix",
                Strength::kGuess, OwnerOf(prefix), false);
  }

  void Headings() {
    int proposed = 0;
    for (int h : doc_.ByTag(GUMBO_TAG_H1)) {
      const Element& e = doc_.element(h);
      if (e.hidden || ctx_.InRelated(h) ||
          InTags(doc_, h, {GUMBO_TAG_FOOTER, GUMBO_TAG_ASIDE}))
        continue;
      const std::string text(doc_.Text(h));
      if (text.size() < 2) continue;
      if (LooksNumbered(text)) {
        ProposeEpisode(text, kText, "numbered h1", "heading");
        out_.AddText(Field::kKind, "episode", kText,
                     "numbered h1 \"" + text + "\"", "numbered-title",
                     Strength::kGuess);
        ++proposed;
        continue;
      }
      if (episode_like_ && episode_keys_.empty() && proposed == 0 &&
          !InTags(doc_, h, {GUMBO_TAG_HEADER})) {
        // The first heading of an episode's page, when nothing else names
        // the episode, is its title.
        const int a = ctx_.FirstLink(h);
        if (a < 0 || !LinksHome(ctx_, a)) {
          ProposeEpisode(text, kText, "first h1", "heading");
          ++proposed;
          continue;
        }
      }
      ProposeShow(text, kText, "h1", "heading", Strength::kPage, OwnerOf(text),
                  true);
      if (++proposed >= 4) break;
    }
  }

  // The site's title in its header: the show on a show's own site.
  // One pass over the classed elements (pages have thousands): the site's
  // title, explicit show-name elements, breadcrumbs.
  void IndexClasses() {
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden || (e.cls == nullptr && e.id == nullptr)) continue;
      const std::string_view names = LowerClasses(e);
      if (names.find("title") != std::string_view::npos ||
          names.find("name") != std::string_view::npos ||
          names.find("header") != std::string_view::npos ||
          names.find("brand") != std::string_view::npos) {
        if (HasAnyWord(names,
                       {"site-title", "site-name", "sitename", "blog-title",
                        "blogtitle", "logo-text", "site-branding"})) {
          site_titles_.push_back(i);
        }
        if (HasAnyWord(names, {"podcast-title", "podcast-name", "show-title",
                               "show-name", "series-title", "programme-title",
                               "program-title", "page-header"})) {
          show_classed_.push_back(i);
        }
      }
      if (names.find("breadcrumb") != std::string_view::npos)
        crumbs_.push_back(i);
    }
    for (int a : doc_.ByTag(GUMBO_TAG_A)) {
      const char* rel = doc_.Attr(a, "rel");
      if (rel != nullptr && AsciiLower(rel).find("home") != std::string::npos &&
          !doc_.element(a).hidden) {
        site_titles_.push_back(a);
      }
    }
    std::sort(site_titles_.begin(), site_titles_.end());
  }

  void SiteTitles() {
    std::unordered_set<std::string> seen;
    for (int i : site_titles_) {
      const std::string text(doc_.Text(i));
      if (text.size() < 2 || text.size() > 100 ||
          !seen.insert(NameKey(text)).second)
        continue;
      ProposeShow(text, kText, "site title", "site-title", Strength::kPage,
                  OwnerOf(text), true);
      if (seen.size() >= 3) break;
    }
    // Explicit show-name elements ("podcast-title", "show-name").
    for (int i : show_classed_) {
      const Element& e = doc_.element(i);
      if (ctx_.InRelated(i)) continue;
      if (e.first_child >= 0 &&
          doc_.element(e.first_child).tag != GUMBO_TAG_A &&
          doc_.element(e.first_child).tag != GUMBO_TAG_SPAN)
        continue;
      std::string text(doc_.Text(i));
      const size_t nl = text.find('\n');
      if (nl != std::string::npos) text.resize(nl);
      if (text.size() < 2 || text.size() > 100) continue;
      ProposeShow(text, kText, "element ." + std::string(e.cls ? e.cls : ""),
                  "show-class", Strength::kGuess, OwnerOf(text), true);
      break;
    }
  }

  // The show URLs that structured data names.
  std::unordered_set<std::string> StructuredShowUrls() const {
    std::unordered_set<std::string> show_urls;
    for (const Candidate* c : out_.Of(Field::kShowUrl)) {
      if (c->strength >= Strength::kStructured) show_urls.insert(c->text);
    }
    return show_urls;
  }

  // The parent of an episode-like page's path, without trailing slashes
  // (/podcasts/show/episode -> /podcasts/show); "" when there is none.
  std::string ParentPath() const {
    const std::string& path = ctx_.path();
    if (!episode_like_ || path.find('?') != std::string::npos) return "";
    std::string p = path;
    while (!p.empty() && p.back() == '/') p.pop_back();
    const size_t slash = p.rfind('/');
    if (slash != std::string::npos && slash > 0) return p.substr(0, slash);
    return "";
  }

  // Reads link `a` when it is visible outside related sections, resolves,
  // and shows a short text that is not "see all".
  bool ReadShownLink(int a, std::string* text, std::string* abs) const {
    const Element& e = doc_.element(a);
    if (e.hidden || ctx_.InRelated(a)) return false;
    const char* href = doc_.Attr(a, "href");
    if (href == nullptr) return false;
    const std::string_view shown = doc_.Text(a);
    if (shown.size() < 2 || shown.size() > 100) return false;
    auto resolved = ctx_.Resolve(href);
    if (!resolved) return false;
    *text = std::string(shown);
    if (lexicon::IsSeeAll(*text)) return false;
    *abs = std::move(*resolved);
    return true;
  }

  // True when `abs` is on this site at the path `parent`.
  bool LinksToParent(const std::string& abs, const std::string& parent) const {
    if (parent.empty() || core_host(abs) != ctx_.host()) return false;
    std::string link_path = core::UrlPath(abs);
    while (!link_path.empty() && link_path.back() == '/') link_path.pop_back();
    return link_path == parent;
  }

  // Links to the show's page: the series URL that data names, and the parent
  // of this page's path (/podcasts/show/episode -> /podcasts/show).
  void ShowLinks() {
    const std::unordered_set<std::string> show_urls = StructuredShowUrls();
    const std::string parent = ParentPath();
    if (show_urls.empty() && parent.empty()) return;
    int found = 0;
    for (int a : doc_.ByTag(GUMBO_TAG_A)) {
      std::string text;
      std::string abs;
      if (!ReadShownLink(a, &text, &abs)) continue;
      if (show_urls.contains(abs)) {
        ProposeShow(text, kText, "link to the series URL", "show-link",
                    Strength::kPage, Owner::kShow, true);
        if (++found >= 3) return;
        continue;
      }
      if (LinksToParent(abs, parent)) {
        ProposeShow(text, kText, "link to the parent path " + parent,
                    "parent-link", Strength::kGuess, OwnerOf(text), true);
        if (++found >= 3) return;
      }
    }
  }

  static std::string core_host(const std::string& url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos) return "";
    const size_t end = url.find_first_of("/?#:", scheme + 3);
    return AsciiLower(url.substr(scheme + 3, end == std::string::npos
                                                 ? std::string::npos
                                                 : end - scheme - 3));
  }

  // Breadcrumbs (the last crumb before this page) and category links.
  void Breadcrumbs() {
    std::vector<int> lists = crumbs_;
    for (int i = 0; i < doc_.size(); ++i) {
      if (!doc_.element(i).itemscope) continue;
      const char* type = doc_.Attr(i, "itemtype");
      if (type != nullptr &&
          std::string_view(type).find("BreadcrumbList") != std::string::npos)
        lists.push_back(i);
    }
    std::sort(lists.begin(), lists.end());
    int skip_until = -1;
    for (int i : lists) {
      const Element& e = doc_.element(i);
      if (i < skip_until) continue;
      std::string last;
      for (int a = i; a < e.subtree_end; ++a) {
        if (doc_.element(a).tag != GUMBO_TAG_A || LinksToPage(ctx_, a) ||
            LinksHome(ctx_, a))
          continue;
        const std::string text(doc_.Text(a));
        if (text.size() < 2 || text.size() > 100 ||
            episode_keys_.contains(NameKey(text)) ||
            lexicon::IsGenericName(text))
          continue;
        last = text;
      }
      if (!last.empty()) {
        ProposeShow(last, kText, "breadcrumb", "breadcrumb", Strength::kGuess,
                    OwnerOf(last), true);
      }
      skip_until = e.subtree_end;
    }
    int categories = 0;
    for (int a : doc_.ByTag(GUMBO_TAG_A)) {
      const char* rel = doc_.Attr(a, "rel");
      if (rel == nullptr ||
          AsciiLower(rel).find("category") == std::string::npos)
        continue;
      const std::string text(doc_.Text(a));
      if (text.size() < 2 || text.size() > 100 || lexicon::IsGenericName(text))
        continue;
      ProposeShow(text, kText, "category link", "category", Strength::kGuess,
                  OwnerOf(text), true);
      if (++categories >= 3) break;
    }
  }

  // Headings that name the show: "More episodes from SHOW", "Subscribe to
  // SHOW".
  void NamingHeadings() {
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden || !ctx_.IsHeading(i)) continue;
      const std::string_view text = doc_.Text(i);
      if (auto show = lexicon::MoreEpisodesFrom(text)) {
        ProposeShow(*show, kText, "\"More episodes from SHOW\" heading",
                    "more-from", Strength::kPage, Owner::kShow, true);
      } else if (auto sub = lexicon::SubscribeTo(text)) {
        ProposeShow(*sub, kText, "\"Subscribe to SHOW\" heading",
                    "subscribe-to", Strength::kPage, Owner::kShow, true);
      }
    }
  }

  PageContext& ctx_;
  const HtmlDocument& doc_;
  Candidates& out_;
  bool episode_like_ = false;
  bool show_like_ = false;
  std::unordered_set<std::string> episode_keys_;
  std::vector<int>
      site_titles_;  // elements classed or linked as the site's title
  std::vector<int> show_classed_;  // elements classed as the show's name
  std::vector<int> crumbs_;        // breadcrumb containers
};

}  // namespace

void ProposeTitleAndHeadings(PageContext& ctx, Candidates& out) {
  Naming(ctx, out).Run();
}

}  // namespace parser
