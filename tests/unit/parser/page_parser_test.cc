// The extraction strategies of DESIGN.md "How extraction works", each on small
// inline pages: JSON-LD shapes, microdata, embedded state, site profiles, meta
// tags, text patterns, the truncation rule, links, and the input caps.
#include "parser/page_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace parser {
namespace {

constexpr const char* kUrl = "https://pods.example/show/ep-1";

ParsedPage Parse(const std::string& html, const ParseOptions& options = {}) {
  return ParsePage(html, kUrl, options);
}

std::string Page(const std::string& head, const std::string& body) {
  return "<!doctype html><html><head>" + head + "</head><body>" + body +
         "</body></html>";
}

std::string JsonLd(const std::string& json) {
  return "<script type=\"application/ld+json\">" + json + "</script>";
}

// --- JSON-LD
// -------------------------------------------------------------------------------

TEST(JsonLdTest, GraphWithIdReferencesAndSeparateRating) {
  const auto p =
      Parse(Page(JsonLd(R"({"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","@id":"#site","name":"Site"},
      {"@type":"WebPage","@id":"#page","isPartOf":{"@id":"#site"}},
      {"@type":["PodcastEpisode","CreativeWork"],"@id":"#ep","name":"Ep 1",
       "description":"An episode about bread.","partOfSeries":{"@id":"#show"},
       "duration":"PT1H2M3S","datePublished":"2024-03-05",
       "associatedMedia":{"@type":"MediaObject","contentUrl":"/a.mp3"}},
      {"@type":"PodcastSeries","@id":"#show","name":"Bread Show","url":"/show",
       "webFeed":"https://feeds.example/bread.xml"},
      {"@type":"AggregateRating","itemReviewed":{"@id":"#show"},"ratingValue":"4,3",
       "ratingCount":"187"}]})"),
                 ""));
  const auto& r = p.record;
  EXPECT_EQ(r.kind, core::PageKind::kEpisode);
  EXPECT_EQ(r.show_name, "Bread Show");
  EXPECT_EQ(r.episode_title, "Ep 1");
  EXPECT_EQ(r.description, "An episode about bread.");
  ASSERT_TRUE(r.rating);
  EXPECT_DOUBLE_EQ(*r.rating->value, 4.3);
  EXPECT_EQ(r.rating->count, 187);
  EXPECT_EQ(r.duration_s, 3723);
  EXPECT_EQ(r.published, "2024-03-05");
  EXPECT_EQ(r.audio_url, "https://pods.example/a.mp3");
  EXPECT_EQ(r.show_url, "https://pods.example/show");
  EXPECT_EQ(r.feed_url, "https://feeds.example/bread.xml");
  EXPECT_EQ(r.sources.at("show_name"), "json-ld");
  EXPECT_EQ(r.sources.at("rating"), "json-ld");
}

TEST(JsonLdTest, IsPartOfAsStringAndCommentWrapper) {
  const auto p = Parse(
      Page(JsonLd(R"(<!-- {"@context":"http://schema.org","@type":"AudioObject",
      "name":"Ep","isPartOf":"The Show","description":"Words here."} -->)"),
           ""));
  EXPECT_EQ(p.record.show_name, "The Show");
  EXPECT_EQ(p.record.kind, core::PageKind::kEpisode);
}

TEST(JsonLdTest, CdataWrapperAndSeriesPage) {
  const auto p = Parse(Page(JsonLd(R"(//<![CDATA[
      {"@type":"PodcastSeries","name":"A Show","description":"About the show.",
       "aggregateRating":{"@type":"AggregateRating","ratingValue":4.6,"reviewCount":2843},
       "review":[{"@type":"Review","reviewRating":{"@type":"Rating","ratingValue":1}}]}
      //]]>)"),
                            ""));
  EXPECT_EQ(p.record.kind, core::PageKind::kShow);
  EXPECT_EQ(p.record.show_name, "A Show");
  ASSERT_TRUE(p.record.rating);
  EXPECT_DOUBLE_EQ(*p.record.rating->value, 4.6);
  EXPECT_EQ(p.record.rating->count, 2843);
}

// A single Review's rating is a decoy, not the show's rating.
TEST(JsonLdTest, ReviewRatingIsNotTheShowRating) {
  const auto p = Parse(Page(JsonLd(R"({"@type":"PodcastSeries","name":"S",
      "review":{"@type":"Review","reviewRating":{"@type":"Rating","ratingValue":5}}})"),
                            ""));
  EXPECT_FALSE(p.record.rating);
}

TEST(JsonLdTest, BrokenJsonIsSkippedWithANote) {
  const auto p = Parse(Page(JsonLd("{not json"), "<p>hi</p>"));
  EXPECT_FALSE(p.record.show_name);
  EXPECT_FALSE(p.record.errors.empty());
}

// --- microdata
// -----------------------------------------------------------------------------

TEST(MicrodataTest, EpisodeWithSeriesAndRating) {
  const auto p = Parse(Page("", R"(
    <article itemscope itemtype="https://schema.org/PodcastEpisode">
      <p itemprop="partOfSeries" itemscope itemtype="http://schema.org/PodcastSeries">
        <a itemprop="url" href="/the-show"><span itemprop="name">The Show</span></a></p>
      <h1 itemprop="name">Episode Two</h1>
      <div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">
        <span itemprop="ratingValue">4.1</span> (<span itemprop="ratingCount">342</span> ratings)
      </div>
      <meta itemprop="timeRequired" content="PT54M">
      <section itemprop="description"><p>First part.</p><p>Second part.</p></section>
    </article>)"));
  const auto& r = p.record;
  EXPECT_EQ(r.kind, core::PageKind::kEpisode);
  EXPECT_EQ(r.show_name, "The Show");
  EXPECT_EQ(r.show_url, "https://pods.example/the-show");
  EXPECT_EQ(r.episode_title, "Episode Two");
  ASSERT_TRUE(r.rating);
  EXPECT_DOUBLE_EQ(*r.rating->value, 4.1);
  EXPECT_EQ(r.rating->count, 342);
  EXPECT_EQ(r.duration_s, 3240);
  EXPECT_EQ(r.description, "First part.\nSecond part.");
  EXPECT_EQ(r.sources.at("show_name"), "microdata");
}

// --- embedded state
// ------------------------------------------------------------------------

TEST(StateJsonTest, NextDataGivesExactCountsBehindRoundedOnes) {
  const std::string state = R"({"props":{"pageProps":{
      "episode":{"title":"Ep","description_dangerous_html":"<p>Full text of the episode.</p>",
        "podcast":{"title":"Next Show","review_average":4.5,"total_reviews":2087}},
      "relatedPodcasts":[{"title":"Other Show","slug":"other-1","num_unique_listeners":1187},
                         {"title":"Third","slug":"third-2","num_unique_listeners":12}]}}})";
  const auto p = Parse(Page("", R"(
      <section><h2>You may also like</h2>
        <a href="/podcasts/other-1"><p>Other Show</p><p>1.2K Listeners</p></a>
        <a href="/podcasts/third-2"><p>Third</p><p>12 Listeners</p></a></section>
      <script id="__NEXT_DATA__" type="application/json">)" +
                                    state + "</script>"));
  const auto& r = p.record;
  EXPECT_EQ(r.show_name, "Next Show");
  EXPECT_EQ(r.sources.at("show_name"), "state-json");
  EXPECT_EQ(r.description, "Full text of the episode.");
  ASSERT_TRUE(r.rating);
  EXPECT_EQ(r.rating->count, 2087);
  ASSERT_EQ(r.related_shows.size(), 2u);
  EXPECT_EQ(r.related_shows[0].name, "Other Show");
  EXPECT_EQ(r.related_shows[0].listeners, 1187);
  EXPECT_EQ(r.related_shows[0].url, "https://pods.example/podcasts/other-1");
  EXPECT_EQ(r.related_shows[1].listeners, 12);
}

TEST(StateJsonTest, RelatedListFromStateWhenThePageShowsNone) {
  const std::string state =
      R"({"props":{"pageProps":{"podcast":{"title":"Show"},
      "similarPodcasts":[{"name":"A","url":"https://x.example/a","listenerCount":5}]}}})";
  const auto p =
      Parse(Page("", "<script id=\"__NEXT_DATA__\" type=\"application/json\">" +
                         state + "</script>"));
  ASSERT_EQ(p.record.related_shows.size(), 1u);
  EXPECT_EQ(p.record.related_shows[0].name, "A");
  EXPECT_EQ(p.record.related_shows[0].listeners, 5);
  EXPECT_EQ(p.record.sources.at("related_shows"), "state-json");
}

// --- site profiles
// -------------------------------------------------------------------------

TEST(ProfileTest, UserProfileFromConfigRunsOnItsHost) {
  core::SiteProfile profile;
  profile.name = "mine";
  profile.host = "pods.example";
  profile.fields["show_name"] =
      core::FieldRule{".hdr > .show", std::nullopt, std::nullopt};
  profile.fields["rating_value"] =
      core::FieldRule{"[data-stars]", "data-stars", std::nullopt};
  profile.fields["rating_count"] =
      core::FieldRule{".votes", std::nullopt, std::string(R"((\d+) votes)")};
  profile.fields["related_item"] =
      core::FieldRule{"ul.rec li", std::nullopt, std::nullopt};
  profile.fields["related_name"] =
      core::FieldRule{"b", std::nullopt, std::nullopt};
  profile.fields["related_listeners"] =
      core::FieldRule{"i", std::nullopt, std::nullopt};
  ParseOptions options;
  options.profiles.push_back(profile);
  const auto p =
      Parse(Page("", R"(<div class="hdr"><span class="show">Mine</span></div>
      <span data-stars="3.5"></span><span class="votes">total: 12 votes</span>
      <ul class="rec"><li><a href="/r1"><b>R1</b></a><i>2K</i></li></ul>)"),
            options);
  EXPECT_EQ(p.record.show_name, "Mine");
  EXPECT_EQ(p.record.sources.at("show_name"), "profile:mine");
  ASSERT_TRUE(p.record.rating);
  EXPECT_DOUBLE_EQ(*p.record.rating->value, 3.5);
  EXPECT_EQ(p.record.rating->count, 12);
  ASSERT_EQ(p.record.related_shows.size(), 1u);
  EXPECT_EQ(p.record.related_shows[0].name, "R1");
  EXPECT_EQ(p.record.related_shows[0].url, "https://pods.example/r1");
  EXPECT_EQ(p.record.related_shows[0].listeners, 2000);
}

TEST(ProfileTest, OtherHostsAreNotTouched) {
  core::SiteProfile profile;
  profile.name = "elsewhere";
  profile.host = "other.example";
  profile.fields["show_name"] =
      core::FieldRule{"h1", std::nullopt, std::nullopt};
  ParseOptions options;
  options.profiles.push_back(profile);
  const auto p = Parse(Page("", "<h1>Title</h1>"), options);
  EXPECT_FALSE(p.record.show_name);
}

// --- meta tags
// -----------------------------------------------------------------------------

TEST(MetaTest, OpenGraphCanonicalFeedAndLanguage) {
  const auto p = Parse(
      "<html lang=\"en-GB\"><head><meta property=\"og:site_name\" "
      "content=\"The Long Game\">"
      "<meta property=\"og:title\" content=\"Ep. 118\"><meta "
      "property=\"og:type\" "
      "content=\"music.song\"><meta property=\"og:description\" content=\"Full "
      "description.\">"
      "<meta property=\"og:audio\" content=\"https://cdn.example/118.mp3\">"
      "<link rel=\"canonical\" href=\"/show/ep-1?utm=x\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" "
      "href=\"/feed.xml\"></head>"
      "<body></body></html>");
  const auto& r = p.record;
  EXPECT_EQ(r.show_name, "The Long Game");
  EXPECT_EQ(r.sources.at("show_name"), "meta");
  EXPECT_EQ(r.description, "Full description.");
  EXPECT_EQ(r.canonical_url, "https://pods.example/show/ep-1?utm=x");
  EXPECT_EQ(r.feed_url, "https://pods.example/feed.xml");
  EXPECT_EQ(r.audio_url, "https://cdn.example/118.mp3");
  EXPECT_EQ(r.language, "en-GB");
  EXPECT_EQ(r.kind, core::PageKind::kEpisode);
  EXPECT_EQ(r.episode_title, "Ep. 118");
}

TEST(MetaTest, SiteBrandIsNotAShowName) {
  const auto p =
      Parse(Page("<meta property=\"og:site_name\" content=\"Pods\">", ""));
  EXPECT_FALSE(p.record.show_name);
}

TEST(MetaTest, ListenPrefixNamesTheShowAndIsDropped) {
  const auto p =
      Parse(Page("<meta name=\"description\" content=\"Listen to this episode "
                 "from Syntax FM on Spotify. "
                 "Modules in Node, explained.\">",
                 ""));
  EXPECT_EQ(p.record.show_name, "Syntax FM");
  EXPECT_EQ(p.record.description, "Modules in Node, explained.");
}

// --- text patterns
// -------------------------------------------------------------------------

TEST(TextPatternTest, ByLineRatingAndRelatedList) {
  const auto p = Parse(Page("", R"(
      <h1>Episode 9</h1><p>By <a href="/s/show">The Show</a> · 51 min</p>
      <p><span>4.2</span><span>87 ratings</span></p>
      <h3>Listeners also follow</h3>
      <ul><li><a href="/s/a">Show A</a> <font>1,080 Listeners</font>
          <li><a href="/s/b">Show B</a> <font>1 Listener</font>
          <li><a href="/s/c">Show C</a></ul>)"));
  const auto& r = p.record;
  EXPECT_EQ(r.show_name, "The Show");
  EXPECT_EQ(r.show_url, "https://pods.example/s/show");
  EXPECT_EQ(r.sources.at("show_name"), "text");
  EXPECT_EQ(r.episode_title, "Episode 9");
  ASSERT_TRUE(r.rating);
  EXPECT_DOUBLE_EQ(*r.rating->value, 4.2);
  EXPECT_EQ(r.rating->count, 87);
  ASSERT_EQ(r.related_shows.size(), 3u);
  EXPECT_EQ(r.related_shows[0].listeners, 1080);
  EXPECT_EQ(r.related_shows[1].listeners, 1);
  EXPECT_EQ(r.related_shows[2].listeners, std::nullopt);
  EXPECT_EQ(r.related_shows[2].url, "https://pods.example/s/c");
}

TEST(TextPatternTest, RelatedInTableAndDefinitionList) {
  const auto table = Parse(Page("", R"(<h2>Related podcasts</h2><table>
      <tr><th>Podcast</th><th>Listeners</th></tr>
      <tr><td><a href="/p/a">Creepy Roads</a></td><td>12k listeners</td></tr>
      <tr><td><a href="/p/b">Zero</a></td><td>0 Listeners</td></tr></table>
      <h2>Episodes</h2><table><tr><td><a href="/e/1">Ep</a></td><td>120 plays</td></tr></table>)"));
  ASSERT_EQ(table.record.related_shows.size(), 2u);
  EXPECT_EQ(table.record.related_shows[0].listeners, 12000);
  EXPECT_EQ(table.record.related_shows[1].listeners, 0);

  const auto dl = Parse(Page("", R"(<h2>Similar shows</h2><dl>
      <dt><a href="/p/a">Alpha</a></dt><dd>2.5K listeners</dd>
      <dt><a href="/p/b">Beta</a></dt><dd>7 listeners</dd></dl>)"));
  ASSERT_EQ(dl.record.related_shows.size(), 2u);
  EXPECT_EQ(dl.record.related_shows[0].name, "Alpha");
  EXPECT_EQ(dl.record.related_shows[0].listeners, 2500);
  EXPECT_EQ(dl.record.related_shows[1].listeners, 7);
}

TEST(TextPatternTest, OtherListsAreNotRelated) {
  const auto p = Parse(
      Page("", R"(<h2>More from this show</h2><ul><li><a href="/e/1">Ep 1</a>
      </ul><h2>Browse categories</h2><ul><li><a href="/c/news">News</a></ul>)"));
  EXPECT_TRUE(p.record.related_shows.empty());
}

TEST(TextPatternTest, RatingOutOfFiveAndVotes) {
  const auto p =
      Parse(Page("", "<p class=note>Note : <b>4,3</b>/5 (27 votes)</p>"));
  ASSERT_TRUE(p.record.rating);
  EXPECT_DOUBLE_EQ(*p.record.rating->value, 4.3);
  EXPECT_EQ(p.record.rating->count, 27);
}

// --- description: the longest full copy
// --------------------------------------------------

// corpus/README.md: a copy cut with "…" or "..." never beats a full one.
TEST(DescriptionTest, FullVisibleCopyBeatsTruncatedMetaAndJsonLd) {
  const auto p = Parse(Page(
      "<meta name=\"description\" content=\"This month the club reads a "
      "novel\xE2\x80\xA6\">" +
          JsonLd(
              R"({"@type":"PodcastEpisode","name":"E","description":"This month the club reads a novel about maps..."})"),
      "<section><h2>About this episode</h2><p>This month the club reads a "
      "novel about maps and "
      "borders.</p><p>Second "
      "paragraph.</p></section><section><h2>Other</h2><p>x</p></section>"));
  EXPECT_EQ(p.record.description,
            "This month the club reads a novel about maps and borders.\nSecond "
            "paragraph.");
  EXPECT_EQ(p.record.sources.at("description"), "text");
}

TEST(DescriptionTest, LongerStructuredCopyBeatsClampedVisibleOne) {
  const auto p =
      Parse(Page("<meta property=\"og:description\" content=\"In this treat we "
                 "talk about modules in Node "
                 "and much more that the page hides.\">",
                 "<div><div>In this treat we talk about modules in "
                 "Node</div><button>\xE2\x80\xA6 Show "
                 "more</button></div>"));
  EXPECT_EQ(p.record.description,
            "In this treat we talk about modules in Node and much more that "
            "the page hides.");
}

// --- links, caps, budgets
// ------------------------------------------------------------------

TEST(LinksTest, AbsoluteNormalisedDeduplicatedInPageOrder) {
  const auto p = Parse(Page(
      "<base href=\"https://cdn.example/dir/\">",
      "<a href=\"a\">1</a><a href=\"HTTPS://CDN.example:443/dir/a#x\">2</a>"
      "<a href=\"mailto:x@y\">m</a><a href=\"javascript:void(0)\">j</a>"
      "<a href=\"//other.example/b\">3</a>"));
  EXPECT_EQ(p.links, (std::vector<std::string>{"https://cdn.example/dir/a",
                                               "https://other.example/b"}));
}

TEST(RobustnessTest, NothingPodcastLikeGivesNulls) {
  const auto p = Parse(Page("<title>404 - Not found | Pods</title>",
                            "<h1>Page not found</h1><h2>Browse categories</h2>"
                            "<ul><li><a href=\"/c/a\">Comedy</a></ul>"));
  const auto& r = p.record;
  EXPECT_EQ(r.kind, core::PageKind::kUnknown);
  EXPECT_FALSE(r.show_name);
  EXPECT_FALSE(r.description);
  EXPECT_FALSE(r.rating);
  EXPECT_TRUE(r.related_shows.empty());
  EXPECT_EQ(r.url, kUrl);
}

TEST(RobustnessTest, InputIsCappedAndSaysSo) {
  ParseOptions options;
  options.max_input_bytes = 100;
  const auto p = Parse(std::string(1000, 'x'), options);
  ASSERT_FALSE(p.record.errors.empty());
  EXPECT_NE(p.record.errors[0].find("cut"), std::string::npos);
}

// Debian's Gumbo 0.10.1 was measured using 786 MB and 29.5 s on deeply nested
// divs (issue 3): the markup budget keeps such a page bounded and says so in
// the record's errors.
TEST(RobustnessTest, DeeplyNestedMarkupIsBoundedInTime) {
  std::string html = Page(
      "<meta name=\"description\" content=\"The head before the cut.\">", "");
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  html.insert(html.find("<body>") + 6, deep);
  const auto start = std::chrono::steady_clock::now();
  const auto p = Parse(html);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(),
            5);
  EXPECT_EQ(p.record.description,
            "The head before the cut.");  // the head before the cut is kept
  bool budget_noted = false;
  for (const auto& e : p.record.errors)
    budget_noted |= e.find("budget") != std::string::npos;
  EXPECT_TRUE(budget_noted);
}

// Found by mutating corpus pages: an unclosed <title> swallowed the page and
// the title split's regex (libstdc++'s recurses per character) overflowed the
// stack.
TEST(RobustnessTest, UnclosedTitleDoesNotOverflowTheStack) {
  std::string html =
      "<html><head><meta property=\"og:audio\" content=\"/a.mp3\"><title>";
  for (int i = 0; i < 50000; ++i) html += "word on word | ";
  const auto p = Parse(html);
  EXPECT_EQ(p.record.url, kUrl);
}

TEST(RobustnessTest, AnyBytesGiveValidUtf8) {
  std::string bytes;
  for (int i = 0; i < 4096; ++i)
    bytes.push_back(static_cast<char>((i * 7919) % 256));
  const auto p = Parse("<p>" + bytes + "</p>");
  // nlohmann::json::dump throws on invalid UTF-8: every string of the record
  // must be valid.
  EXPECT_NO_THROW((void)core::ToJson(p.record).dump());
  EXPECT_EQ(p.record.url, kUrl);
}

}  // namespace
}  // namespace parser
