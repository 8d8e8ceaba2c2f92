// Meta and link tags of the head: OpenGraph, description, canonical, feed,
// audio, dates, the site's name, a show named by a meta tag, the author.
#include "parser/schema_org.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

constexpr const char* kSource = "meta";

void ProposeUrl(PageContext& ctx, Candidates& out, Field field,
                const std::optional<std::string>& ref, const char* where) {
  if (!ref) return;
  if (auto abs = ctx.Resolve(*ref)) {
    out.AddText(field, *abs, kSource, where, where, Strength::kPage);
  }
}

// The title of an RSS/Atom feed link names the show on a podcast's site
// ("The Film Gang RSS Feed", "Show (MP3 Feed)"); "SITE » Feed" is a blog's
// whole-site feed (the site's name); comment feeds name nothing.
void ProposeFeedTitles(PageContext& ctx, Candidates& out) {
  const HtmlDocument& doc = ctx.doc();
  int proposed = 0;
  for (int i : doc.ByTag(GUMBO_TAG_LINK)) {
    const char* rel = doc.Attr(i, "rel");
    const char* type = doc.Attr(i, "type");
    const char* title = doc.Attr(i, "title");
    if (rel == nullptr || type == nullptr || title == nullptr) continue;
    const std::string t = AsciiLower(type);
    if (AsciiLower(rel).find("alternate") == std::string::npos ||
        (t.find("rss") == std::string::npos &&
         t.find("atom") == std::string::npos)) {
      continue;
    }
    std::string name = CollapseWhitespace(title);
    const std::string lower = AsciiLower(name);
    if (lower.find("comment") != std::string::npos ||
        lower.find("kommentar") != std::string::npos ||
        lower.find("commentaire") != std::string::npos ||
        lower.find("comentario") != std::string::npos) {
      continue;
    }
    bool site_feed = false;
    for (std::string_view tail :
         {" \u00bb feed", " - feed", " | feed", " rss feed", " atom feed",
          " podcast feed", " feed", " (mp3 feed)", " (m4a feed)", " (ogg feed)",
          " (opus feed)", " rss"}) {
      const std::string l = AsciiLower(name);
      if (l.size() <= tail.size() ||
          l.compare(l.size() - tail.size(), tail.size(), tail) != 0)
        continue;
      site_feed =
          tail == " \u00bb feed" || tail == " - feed" || tail == " | feed";
      // "The 404 Podcast Feed": the word "Podcast" stays in the name.
      const size_t keep = tail == " podcast feed"
                              ? name.size() - std::string_view(" feed").size()
                              : name.size() - tail.size();
      name.resize(keep);
      break;
    }
    if (name.size() < 2 || name.size() > 120) continue;
    const bool podcast = AsciiLower(name).find("podcast") != std::string::npos;
    out.AddText(
        Field::kShowName, name, kSource, "feed link title", "feed-title",
        podcast ? Strength::kPage : Strength::kGuess,
        site_feed || ctx.IsBrand(name) ? Owner::kSite : Owner::kUnknown);
    if (++proposed >= 2) return;
  }
}

}  // namespace

void ProposeMeta(PageContext& ctx, Candidates& out) {
  const std::string og_type = AsciiLower(ctx.MetaFirst("og:type").value_or(""));
  if (og_type.find("episode") != std::string::npos || og_type == "music.song") {
    out.AddText(Field::kKind, "episode", kSource, "og:type " + og_type,
                "og:type", Strength::kPage);
  }
  if (og_type == "article") {
    // Not a kind by itself: says which kind a page that names a show is.
    out.AddText(Field::kKind, "article", kSource, "og:type article", "og:type",
                Strength::kGuess);
  }
  ProposeUrl(ctx, out, Field::kCanonicalUrl, ctx.canonical_link(),
             "link rel=canonical");
  ProposeUrl(ctx, out, Field::kCanonicalUrl, ctx.MetaFirst("og:url"), "og:url");
  ProposeUrl(ctx, out, Field::kFeedUrl, ctx.feed_link(),
             "link rel=alternate (RSS/Atom)");
  for (const char* k : {"og:audio", "og:audio:url", "og:audio:secure_url"})
    ProposeUrl(ctx, out, Field::kAudioUrl, ctx.MetaFirst(k), k);
  for (const char* k :
       {"article:published_time", "og:published_time", "date"}) {
    if (auto d = ctx.MetaFirst(k)) {
      if (auto iso = IsoDate(*d)) {
        out.AddText(Field::kPublished, *iso, kSource, k, k, Strength::kPage);
      }
    }
  }
  for (const char* k : {"music:duration", "og:audio:duration", "duration"}) {
    if (auto d = ctx.MetaFirst(k)) {
      if (auto secs = ParseDuration(*d)) {
        Candidate c;
        c.field = Field::kDurationS;
        c.number = secs;
        c.source = kSource;
        c.where = k;
        c.signal = k;
        c.strength = Strength::kPage;
        out.Add(std::move(c));
      }
    }
  }
  for (const char* k :
       {"description", "og:description", "twitter:description"}) {
    for (const auto& d : ctx.MetaAll(k)) {
      ProposeDescription(out, d, kSource, k, Owner::kUnknown, Strength::kPage);
    }
  }
  // The site's name: the show on a show's own site, the network or the
  // publisher elsewhere; the resolver decides with the other signals.
  if (auto site = ctx.MetaFirst("og:site_name")) {
    out.AddText(Field::kShowName, *site, kSource, "og:site_name", "site-name",
                Strength::kPage,
                ctx.IsBrand(*site) ? Owner::kSite : Owner::kUnknown);
  }
  // A show named by a meta tag of its own ("<meta name=Show>",
  // Deutschlandfunk's "broadcast").
  for (const char* k :
       {"show", "broadcast", "podcast", "podcast:title", "podcast-name",
        "programme", "program", "series", "itunes:podcast"}) {
    if (auto name = ctx.MetaFirst(k)) {
      if (name->rfind("http", 0) == 0) continue;
      out.AddText(Field::kShowName, *name, kSource, std::string("meta ") + k,
                  "meta-show", Strength::kPage, Owner::kShow);
    }
  }
  for (const char* k :
       {"author", "article:author", "twitter:creator", "dc.creator"}) {
    if (auto name = ctx.MetaFirst(k)) {
      if (name->rfind("http", 0) == 0 || name->front() == '@') continue;
      out.AddText(Field::kShowName, *name, kSource, std::string("meta ") + k,
                  "meta-author", Strength::kPage, Owner::kPerson);
    }
  }
  if (auto publisher = ctx.MetaFirst("article:publisher");
      publisher && publisher->rfind("http", 0) != 0) {
    out.AddText(Field::kShowName, *publisher, kSource, "article:publisher",
                "meta-publisher", Strength::kPage, Owner::kNetwork);
  }
  ProposeFeedTitles(ctx, out);
  if (ctx.html_lang()) {
    out.AddText(Field::kLanguage, *ctx.html_lang(), kSource, "html lang",
                "html-lang", Strength::kPage);
  }
}

}  // namespace parser
