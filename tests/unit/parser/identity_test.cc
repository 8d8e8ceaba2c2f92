// The show's identifiers beyond the page's site (parser/identity.h and the
// resolver's rule for them): podcast:guid (Podcasting 2.0 namespace, "guid":
// a UUIDv5 of the feed URL), Apple Podcasts' numeric id and Spotify's show id.
// A wrong identifier merges two shows in show_identity, so every test of a
// page that names two values, or links another show, expects none.
#include "parser/identity.h"

#include <gtest/gtest.h>

#include <string>

#include "parser/page_parser.h"

namespace parser {
namespace {

constexpr const char* kGuid = "ca2c40c0-728d-50f5-be4a-365874dd386d";

core::Record Parse(const std::string& body,
                   const std::string& url = "https://shows.example/p/1") {
  return ParsePage("<html><head><title>Night Ferry</title>" + body, url).record;
}

// Apple Podcasts URLs: /CC/podcast/SLUG/idNNN (iTunes' older host too); an
// episode's URL carries its show's id and ?i=EPISODE.
TEST(IdentityTest, AppleShowIdOfPodcastUrls) {
  EXPECT_EQ(AppleShowId("https://podcasts.apple.com/us/podcast/night-ferry/"
                        "id1622876113"),
            "1622876113");
  EXPECT_EQ(AppleShowId("https://podcasts.apple.com/gb/podcast/an-episode/"
                        "id1622876113?i=1000601234567"),
            "1622876113");
  EXPECT_EQ(AppleShowId("HTTPS://iTunes.Apple.com/podcast/id42/"), "42");
  EXPECT_EQ(AppleShowId("//podcasts.apple.com/de/podcast/x/id42#top"), "42");
  // Not a podcast: an app, music, a search, a channel; no id; other hosts.
  EXPECT_FALSE(AppleShowId("https://apps.apple.com/us/app/goodpods/id1512"));
  EXPECT_FALSE(AppleShowId("https://music.apple.com/us/album/x/id1512"));
  EXPECT_FALSE(AppleShowId("https://podcasts.apple.com/us/channel/x/id6442"));
  EXPECT_FALSE(AppleShowId("https://podcasts.apple.com/us/podcast/night"));
  EXPECT_FALSE(AppleShowId("https://podcasts.apple.com/us/podcast/x/id"));
  EXPECT_FALSE(AppleShowId("https://podcasts.apple.com/us/podcast/x/id12a"));
  EXPECT_FALSE(AppleShowId("https://example.com/podcast/x/id1622876113"));
  EXPECT_FALSE(AppleShowId("podcast/x/id1622876113"));
}

// Spotify show URLs: open.spotify.com/show/ID (an /intl-xx/ prefix allowed),
// and the spotify:show:ID URI; IDs are 22 base-62 characters.
TEST(IdentityTest, SpotifyShowIdOfShowUrls) {
  EXPECT_EQ(SpotifyShowId("https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB"
                          "?si=abc"),
            "5Cq0AbpyWcmRZKEBlRzqVB");
  EXPECT_EQ(SpotifyShowId("https://open.spotify.com/intl-de/show/"
                          "5Cq0AbpyWcmRZKEBlRzqVB/"),
            "5Cq0AbpyWcmRZKEBlRzqVB");
  EXPECT_EQ(SpotifyShowId("spotify:show:5Cq0AbpyWcmRZKEBlRzqVB"),
            "5Cq0AbpyWcmRZKEBlRzqVB");
  EXPECT_FALSE(
      SpotifyShowId("https://open.spotify.com/episode/5Cq0AbpyWcmRZKEBlRzqVB"));
  EXPECT_FALSE(SpotifyShowId("https://open.spotify.com/show/short"));
  EXPECT_FALSE(SpotifyShowId(
      "https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB/episodes"));
  EXPECT_FALSE(
      SpotifyShowId("https://example.com/show/5Cq0AbpyWcmRZKEBlRzqVB"));
}

TEST(IdentityTest, PodcastGuidIsALowercaseUuid) {
  EXPECT_EQ(PodcastGuidOf(" CA2C40C0-728D-50F5-BE4A-365874DD386D "), kGuid);
  EXPECT_EQ(PodcastGuidOf("urn:uuid:ca2c40c0-728d-50f5-be4a-365874dd386d"),
            kGuid);
  EXPECT_FALSE(PodcastGuidOf("ca2c40c0728d50f5be4a365874dd386d"));
  EXPECT_FALSE(PodcastGuidOf("ca2c40c0-728d-50f5-be4a-365874dd386"));
  EXPECT_FALSE(PodcastGuidOf("https://salesman.com/?p=29942"));
  EXPECT_FALSE(PodcastGuidOf("ga2c40c0-728d-50f5-be4a-365874dd386d"));
}

// "Listen on Apple Podcasts" / "Listen on Spotify" in the show's header: the
// page's one link to each directory names the show there.
TEST(IdentityTest, TakesTheShowsOneDirectoryLinks) {
  const core::Record r = Parse(R"(</head><body><main><h1>Night Ferry</h1>
      <a href="https://podcasts.apple.com/us/podcast/night-ferry/id1622876113"
         aria-label="Listen on Apple Podcasts"><img src="/apple.svg" alt=""></a>
      <a href="https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB">Spotify</a>
      <a href="https://podcasts.apple.com/us/podcast/night-ferry/id1622876113"
         >Apple Podcasts</a>
      </main><footer><a href="https://apps.apple.com/us/app/x/id1512303234"
      >Get the app</a></footer></body></html>)");
  EXPECT_EQ(r.apple_id, "1622876113");
  EXPECT_EQ(r.spotify_id, "5Cq0AbpyWcmRZKEBlRzqVB");
  EXPECT_EQ(r.sources.at("apple_id"), "text");
  EXPECT_FALSE(r.podcast_guid.has_value());
}

// Two Apple shows linked outside a related list: which is the page's show is
// not known, and none is taken (a wrong merge is worse than a missing one).
TEST(IdentityTest, TwoLinkedShowsNameNone) {
  const core::Record r = Parse(R"(</head><body><main><h1>Night Ferry</h1>
      <a href="https://podcasts.apple.com/us/podcast/night-ferry/id1622876113"
         >Listen on Apple Podcasts</a>
      <p>From the same network:
      <a href="https://podcasts.apple.com/us/podcast/other/id1599210364"
         >Listen on Apple Podcasts</a></p>
      </main></body></html>)");
  EXPECT_FALSE(r.apple_id.has_value());
  EXPECT_EQ(r.sources.count("apple_id"), 0U);
}

// Links inside the related list belong to the shows listed there; a link in
// prose named after another show ("Tidewater Tales") is that show's.
TEST(IdentityTest, RelatedListsAndLinksNamedAfterShowsAreOtherShows) {
  const core::Record r = Parse(R"(</head><body><main><h1>Night Ferry</h1>
      <a href="https://podcasts.apple.com/us/podcast/night-ferry/id1622876113"
         >Listen on Apple Podcasts</a>
      <p>Our friends at <a href="https://open.spotify.com/show/2xHhRkK1bBvHpZ6Oq5Ld7Q"
         >Tidewater Tales</a> made this episode with us.</p>
      <h2>You may also like</h2>
      <ul><li><a href="https://shows.example/p/2">Harbour Lights</a>
        <a href="https://podcasts.apple.com/us/podcast/harbour/id1587654321"
           >Listen on Apple Podcasts</a></li>
      <li><a href="https://shows.example/p/3">Deep Current</a>
        <a href="https://podcasts.apple.com/us/podcast/deep/id1587654322"
           >Listen on Apple Podcasts</a></li></ul>
      </main></body></html>)");
  ASSERT_EQ(r.related_shows.size(), 2U);
  EXPECT_EQ(r.apple_id, "1622876113");
  EXPECT_FALSE(r.spotify_id.has_value());
}

// JSON-LD sameAs of the series is the show's own statement: it outweighs the
// page's links.
TEST(IdentityTest, SeriesSameAsOutweighsLinks) {
  const core::Record r = Parse(R"(
      <script type="application/ld+json">{"@context": "https://schema.org",
        "@type": "PodcastSeries", "name": "Night Ferry",
        "sameAs": ["https://twitter.com/nightferry",
                   "https://podcasts.apple.com/us/podcast/night-ferry/id1622876113",
                   "https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB"],
        "identifier": {"@type": "PropertyValue", "propertyID": "podcast:guid",
                       "value": "CA2C40C0-728D-50F5-BE4A-365874DD386D"}}</script>
      </head><body><main><h1>Night Ferry</h1>
      <a href="https://podcasts.apple.com/us/podcast/other/id1599210364"
         >Listen on Apple Podcasts</a></main></body></html>)");
  EXPECT_EQ(r.apple_id, "1622876113");
  EXPECT_EQ(r.spotify_id, "5Cq0AbpyWcmRZKEBlRzqVB");
  EXPECT_EQ(r.podcast_guid, kGuid);
  EXPECT_EQ(r.sources.at("apple_id"), "json-ld");
  EXPECT_EQ(r.sources.at("podcast_guid"), "json-ld");
}

// <meta name="podcast:guid">, as the feed's <podcast:guid> tag is named.
TEST(IdentityTest, PodcastGuidFromMeta) {
  const core::Record r = Parse(
      R"(<meta name="podcast:guid" content="CA2C40C0-728D-50F5-BE4A-365874DD386D">
      </head><body><h1>Night Ferry</h1></body></html>)");
  EXPECT_EQ(r.podcast_guid, kGuid);
  EXPECT_EQ(r.sources.at("podcast_guid"), "meta");
  // A value that is not a UUID is not a podcast guid.
  EXPECT_FALSE(Parse(R"(<meta name="podcast:guid" content="night-ferry">
      </head><body></body></html>)")
                   .podcast_guid.has_value());
}

// Page state keyed like Podcast Index's API ("podcastGuid"); an episode's own
// "guid" is not the podcast's.
TEST(IdentityTest, PodcastGuidFromPageState) {
  const core::Record r = Parse(
      R"(<script id="__NEXT_DATA__" type="application/json">{"props": {
      "podcast": {"title": "Night Ferry", "podcastGuid": "ca2c40c0-728d-50f5-be4a-365874dd386d"},
      "episode": {"title": "Pilots", "guid": "91af3895-c873-4d13-9f5b-290a232d5b31"}}}
      </script></head><body></body></html>)");
  EXPECT_EQ(r.podcast_guid, kGuid);
  EXPECT_EQ(r.sources.at("podcast_guid"), "state-json");
}

// Page state with the guids of several shows (a related list's) names none.
TEST(IdentityTest, SeveralGuidsInPageStateNameNone) {
  const core::Record r = Parse(
      R"(<script id="__NEXT_DATA__" type="application/json">{"props": {
      "podcast": {"title": "Night Ferry", "podcast_guid": "ca2c40c0-728d-50f5-be4a-365874dd386d"},
      "similar": [{"title": "Harbour Lights", "podcast_guid": "92a9404a-b515-54cb-a4f4-df859b9004a5"}]}}
      </script></head><body></body></html>)");
  EXPECT_FALSE(r.podcast_guid.has_value());
}

}  // namespace
}  // namespace parser
