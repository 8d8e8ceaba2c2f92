// More layouts reachable by the generic signals of DESIGN.md (not tied to any
// corpus page): show pages whose JSON-LD lists episodes, related cards whose
// link wraps only the cover, counts in a "Listeners" column, label headings,
// star widgets labelled "x out of 5", description after an "About" heading,
// "By" in its own element.
#include <gtest/gtest.h>

#include <string>

#include "parser/page_parser.h"

namespace parser {
namespace {

constexpr const char* kUrl = "https://shows.example/podcast/deep-current";

core::Record Parse(const std::string& body, const std::string& head = "") {
  return ParsePage(
             "<html><head>" + head + "</head><body>" + body + "</body></html>",
             kUrl)
      .record;
}

TEST(MoreJsonLdTest, ShowPageListingEpisodesIsAShowPage) {
  const auto r = Parse(
      "",
      R"(<script type="application/ld+json">{"@context":"https://schema.org",
      "@type":"PodcastSeries","name":"Deep Current","description":"A show about the ocean.",
      "episode":[{"@type":"PodcastEpisode","name":"Ep 1","description":"An episode blurb."}]}
      </script>)");
  EXPECT_EQ(r.kind, core::PageKind::kShow);
  EXPECT_EQ(r.show_name, "Deep Current");
  EXPECT_EQ(r.description, "A show about the ocean.");
  EXPECT_FALSE(r.episode_title);
}

TEST(MoreJsonLdTest, WebPageMainEntityEpisode) {
  const auto r =
      Parse("", R"(<script type="application/ld+json">[{"@type":"WebPage",
      "mainEntity":{"@type":"PodcastEpisode","name":"Ep","partOfSeries":{"@type":"PodcastSeries",
      "name":"Main Show"}}},{"@type":"Organization","name":"Network"}]</script>)");
  EXPECT_EQ(r.kind, core::PageKind::kEpisode);
  EXPECT_EQ(r.show_name, "Main Show");
}

TEST(MoreRelatedTest, CardWhoseLinkWrapsOnlyTheCover) {
  const auto r = Parse(R"(<h2>Fans also like</h2><div class="grid">
      <div class="card"><a href="/podcast/a"><img alt="Show A cover"></a><h4>Show A</h4>
        <span>3.4K listeners</span></div>
      <div class="card"><a href="/podcast/b"><img alt="Show B"></a><h4>Show B</h4></div></div>)");
  ASSERT_EQ(r.related_shows.size(), 2u);
  EXPECT_EQ(r.related_shows[0].name, "Show A");
  EXPECT_EQ(r.related_shows[0].listeners, 3400);
  EXPECT_EQ(r.related_shows[0].url, "https://shows.example/podcast/a");
  EXPECT_EQ(r.related_shows[1].name, "Show B");
  EXPECT_EQ(r.related_shows[1].listeners, std::nullopt);
}

TEST(MoreRelatedTest, CountsInAListenersColumn) {
  const auto r = Parse(R"(<h3>Similar podcasts</h3><table>
      <thead><tr><th>Name</th><th>Listeners</th></tr></thead>
      <tbody><tr><td><a href="/p/x">X Show</a></td><td>12,345</td></tr>
      <tr><td><a href="/p/y">Y Show</a></td><td>2K</td></tr></tbody></table>)");
  ASSERT_EQ(r.related_shows.size(), 2u);
  EXPECT_EQ(r.related_shows[0].listeners, 12345);
  EXPECT_EQ(r.related_shows[1].listeners, 2000);
}

TEST(MoreRelatedTest, LabelActingAsHeading) {
  const auto r = Parse(R"(<div class="box"><p><b>Listeners also follow</b></p>
      <ul><li><a href="/p/1">One</a> - 5 listeners</li><li><a href="/p/2">Two</a></li></ul></div>)");
  ASSERT_EQ(r.related_shows.size(), 2u);
  EXPECT_EQ(r.related_shows[0].name, "One");
  EXPECT_EQ(r.related_shows[0].listeners, 5);
}

TEST(MoreRatingTest, StarWidgetLabelledOutOfFive) {
  const auto r = Parse(
      R"(<div class="stars"><div role="img" aria-label="Rated 4.6 out of 5">
      </div><span>1,234 ratings</span></div>)");
  ASSERT_TRUE(r.rating);
  EXPECT_DOUBLE_EQ(*r.rating->value, 4.6);
  EXPECT_EQ(r.rating->count, 1234);
}

TEST(MoreRatingTest, AverageWithoutCount) {
  const auto r = Parse("<p>Rated 4.5 out of 5 by our listeners.</p>");
  ASSERT_TRUE(r.rating);
  EXPECT_DOUBLE_EQ(*r.rating->value, 4.5);
  EXPECT_EQ(r.rating->count, std::nullopt);
}

TEST(MoreRatingTest, StarsBetweenValueAndCount) {
  const auto r = Parse(
      "<p>4.6 \xE2\x98\x85\xE2\x98\x85\xE2\x98\x85\xE2\x98\x85\xE2\x98\x85 "
      "(2,843 Ratings)</p>");
  ASSERT_TRUE(r.rating);
  EXPECT_DOUBLE_EQ(*r.rating->value, 4.6);
  EXPECT_EQ(r.rating->count, 2843);
}

TEST(MoreDescriptionTest, ProseAfterAnAboutHeading) {
  const auto r = Parse(
      "<h2>About this podcast</h2><p>Deep Current is a weekly science "
      "podcast.</p>"
      "<p>Hosted by two people.</p><h2>Episodes</h2><p>Ep 1 blurb</p>");
  EXPECT_EQ(r.description,
            "Deep Current is a weekly science podcast.\nHosted by two people.");
}

TEST(MoreByLineTest, ByInItsOwnElement) {
  const auto r = Parse(
      "<h1>Episode 4</h1><div><span>By</span> <a "
      "href=\"/podcast/the-show\">The Show</a></div>");
  EXPECT_EQ(r.show_name, "The Show");
  EXPECT_EQ(r.show_url, "https://shows.example/podcast/the-show");
  EXPECT_EQ(r.kind, core::PageKind::kEpisode);
}

TEST(MoreByLineTest, UnlinkedByOnAnEpisodePage) {
  const auto r = Parse("<h1>Episode 4</h1><p>By Night Shift Radio · 42 min</p>",
                       "<meta property=\"og:type\" content=\"video.episode\">");
  EXPECT_EQ(r.show_name, "Night Shift Radio");
}

}  // namespace
}  // namespace parser
