// Issue 16, "the same show across sites": pages of one show on two sites
// (tests/data/identity), parsed with their sites' URLs and stored, are one
// group of show_identity: they share the RSS feed (written differently), and
// the Apple row carries Apple's numeric id.
#include <gtest/gtest.h>

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

}  // namespace
