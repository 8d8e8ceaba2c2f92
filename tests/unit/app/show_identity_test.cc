// Issue 16, "the same show across sites": pages of one show on several sites
// (tests/data/identity), parsed with their sites' URLs and stored, are one
// group of show_identity: they share the RSS feed (written differently); or
// one page links to the show on Apple Podcasts and Spotify, whose rows carry
// those ids in their URLs; or two pages name the same podcast:guid.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "parser/page_parser.h"
#include "storage/store.h"
#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"

namespace {

using testsupport::QueryInt;
using testsupport::QueryText;

constexpr int64_t kT0 = 1'764'342'000'000;

TEST(ShowIdentityTest, GroupsOneShowOnTwoSites) {
  testsupport::TempDir dir;
  const std::string db = dir.File("identity.db");
  auto store = storage::Store::Open(db);
  ASSERT_TRUE(store) << store.error().message;
  const struct {
    const char* file;
    const char* url;
  } pages[] = {
      {"identity/goodpods-harbour-lights.html",
       "https://goodpods.com/podcasts/harbour-lights-81234"},
      {"identity/apple-harbour-lights.html",
       "https://podcasts.apple.com/us/podcast/harbour-lights/id1587654321"},
  };
  for (const auto& page : pages) {
    parser::ParsedPage parsed =
        parser::ParsePage(testsupport::ReadDataFile(page.file), page.url);
    ASSERT_TRUE(parsed.record.feed_url.has_value()) << page.file;
    auto saved = (*store)->SaveRecord(parsed.record, kT0);
    ASSERT_TRUE(saved) << saved.error().message;
  }
  store->reset();
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM shows"), 2);
  EXPECT_EQ(
      QueryInt(db, "SELECT count(DISTINCT identity_id) FROM show_identity"), 1);
  EXPECT_EQ(QueryText(db,
                      "SELECT group_concat(host, ' ') FROM (SELECT host FROM "
                      "show_identity ORDER BY host)"),
            "goodpods.com podcasts.apple.com\n");
  EXPECT_EQ(QueryText(db, "SELECT group_concat(DISTINCT feed_key) FROM shows"),
            "feeds.example.com/harbour-lights.xml\n");
  EXPECT_EQ(
      QueryText(db, "SELECT apple_id FROM shows WHERE apple_id IS NOT NULL"),
      "1587654321\n");
  EXPECT_EQ(QueryInt(db, "SELECT min(identity_shows) FROM show_identity"), 2);
}

struct Page {
  const char* file;
  const char* url;
};

// Parses and stores each page at kT0 in a new database; returns its path.
std::string StorePages(const testsupport::TempDir& dir,
                       std::initializer_list<Page> pages) {
  const std::string db = dir.File("identity.db");
  auto store = storage::Store::Open(db);
  EXPECT_TRUE(store) << store.error().message;
  if (!store) return db;
  for (const Page& page : pages) {
    parser::ParsedPage parsed =
        parser::ParsePage(testsupport::ReadDataFile(page.file), page.url);
    auto saved = (*store)->SaveRecord(parsed.record, kT0);
    EXPECT_TRUE(saved) << page.file << ": " << saved.error().message;
  }
  return db;
}

// No feed in common: the Goodpods page's "Listen on Apple Podcasts" and
// "Listen on Spotify" links (not the Apple link of a show in its related
// list) meet the ids in the Apple and Spotify rows' URLs.
TEST(ShowIdentityTest, GroupsAPageWithTheDirectoriesItLinks) {
  testsupport::TempDir dir;
  const std::string db = StorePages(
      dir, {{"identity/goodpods-night-ferry.html",
             "https://goodpods.com/podcasts/night-ferry-90211"},
            {"identity/apple-night-ferry.html",
             "https://podcasts.apple.com/us/podcast/night-ferry/id1622876113"},
            {"identity/spotify-night-ferry.html",
             "https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB"}});
  EXPECT_EQ(QueryText(db,
                      "SELECT linked_apple_id || ' ' || linked_spotify_id "
                      "FROM shows WHERE host = 'goodpods.com' AND "
                      "linked_apple_id IS NOT NULL"),
            "1622876113 5Cq0AbpyWcmRZKEBlRzqVB\n");
  EXPECT_EQ(QueryText(db,
                      "SELECT group_concat(host, ' ') FROM (SELECT host FROM "
                      "show_identity WHERE identity_shows > 1 ORDER BY host)"),
            "goodpods.com open.spotify.com podcasts.apple.com\n");
  EXPECT_EQ(QueryInt(db,
                     "SELECT count(DISTINCT identity_id) FROM show_identity "
                     "WHERE identity_shows > 1"),
            1);
  // The related shows listed on the Goodpods page stay groups of their own.
  EXPECT_EQ(QueryInt(db,
                     "SELECT count(*) FROM show_identity WHERE "
                     "identity_shows = 1"),
            2);
}

// The feed moved (the show's own site names the old one, Podcast Index the
// new one), the podcast:guid did not: one show.
TEST(ShowIdentityTest, GroupsPagesThatNameOnePodcastGuid) {
  testsupport::TempDir dir;
  const std::string db =
      StorePages(dir, {{"identity/site-tidewater-tales.html",
                        "https://tidewatertales.example.org/"},
                       {"identity/podcastindex-tidewater-tales.html",
                        "https://podcastindex.org/podcast/6120981"}});
  EXPECT_EQ(QueryText(db,
                      "SELECT group_concat(DISTINCT podcast_guid) FROM "
                      "show_identity"),
            "ca2c40c0-728d-50f5-be4a-365874dd386d\n");
  EXPECT_EQ(QueryInt(db, "SELECT min(identity_shows) FROM show_identity"), 2);
  EXPECT_EQ(QueryInt(db, "SELECT count(DISTINCT feed_key) FROM shows"), 1);
}

}  // namespace
