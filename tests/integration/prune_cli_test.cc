// End-to-end tests of archive retention (issue 13 item 14, README "Archive
// retention" and `podcrawl prune`): a page fetched again and again keeps only
// the newest archive.keep_versions versions without any prune, and `prune
// --vacuum` shrinks a database that kept every version, keeping the newest.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using testsupport::QueryInt;
using testsupport::RunPodcrawl;

// A show page of `bytes` bytes of text that does not compress, changed by
// `version` (its rating count, and its noise).
std::string ShowPage(int version, size_t bytes) {
  std::string noise;
  uint32_t x = 2654435761U * static_cast<uint32_t>(version + 1);
  while (noise.size() < bytes) {
    x = x * 1103515245U + 12345U;
    noise.push_back(static_cast<char>('a' + (x >> 16) % 26));
    if (noise.size() % 80 == 0) noise.push_back(' ');
  }
  return R"(<!doctype html><html><head><title>Harbour Lights</title>
<script type="application/ld+json">{"@context": "https://schema.org",
 "@type": "PodcastSeries", "name": "Harbour Lights",
 "aggregateRating": {"@type": "AggregateRating", "ratingValue": 4.5,
 "ratingCount": )" +
         std::to_string(100 + version) + R"(}}</script></head>
<body><h1>Harbour Lights</h1><p>)" +
         noise + "</p></body></html>";
}

class PruneCliTest : public testing::Test {
 protected:
  // Serves version `v` of the show page and fetches it into the database.
  void FetchVersion(int v) {
    server_.ServeHtml("/show/harbour/", ShowPage(v, 60'000));
    std::vector<std::string> args = {"fetch", server_.url("/show/harbour/"),
                                     "--db", db_, "--quiet"};
    if (!config_.empty()) {
      args.emplace_back("--config");
      args.push_back(config_);
    }
    auto r = RunPodcrawl(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  testsupport::TempDir dir_;
  std::string db_ = dir_.File("p.db");
  std::string config_;
  testsupport::TestHttpServer server_;
};

// A daily schedule stays bounded without running prune: archiving a version
// drops the page's versions past the newest keep_versions.
TEST_F(PruneCliTest, ArchivingKeepsTheNewestVersionsByDefault) {
  for (int v = 0; v < 6; ++v) FetchVersion(v);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 3);
  EXPECT_EQ(QueryInt(db_, "SELECT min(id) FROM page_archive"), 4);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM fetches"), 6);
}

// By hand in the issue: "prune shrinks a database with many versions and
// keeps the newest keep_versions".
TEST_F(PruneCliTest, PruneShrinksTheDatabaseAndKeepsTheNewestVersions) {
  config_ = dir_.File("keep-all.json");
  std::ofstream(config_) << R"({"archive": {"keep_versions": 0}})";
  for (int v = 0; v < 12; ++v) FetchVersion(v);
  ASSERT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 12);
  const int64_t newest = QueryInt(db_, "SELECT max(id) FROM page_archive");
  // The WAL may still hold pages: compare sizes as SQLite counts them.
  const int64_t pages_before = QueryInt(db_, "PRAGMA page_count");

  auto dry =
      RunPodcrawl({"prune", "--db", db_, "--keep-versions", "2", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("archive: would remove 10 versions of 1 page"),
            std::string::npos)
      << dry.out;
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 12);

  auto pruned =
      RunPodcrawl({"prune", "--db", db_, "--keep-versions", "2", "--vacuum"});
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_NE(pruned.out.find("archive: removed 10 versions of 1 page"),
            std::string::npos)
      << pruned.out;
  EXPECT_NE(pruned.out.find("; 2 versions kept\n"), std::string::npos);
  EXPECT_NE(pruned.out.find("after VACUUM"), std::string::npos);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 2);
  EXPECT_EQ(QueryInt(db_, "SELECT max(id) FROM page_archive"), newest);
  EXPECT_EQ(QueryInt(db_, "SELECT min(id) FROM page_archive"), newest - 1);
  const int64_t pages_after = QueryInt(db_, "PRAGMA page_count");
  // Ten versions of ~30 KB each went; 4 KB database pages.
  EXPECT_LT(pages_after, pages_before - 50);
  EXPECT_LT(std::filesystem::file_size(db_),
            static_cast<uintmax_t>(pages_before) * 4096);
  // The records are untouched.
  EXPECT_EQ(QueryInt(db_, "SELECT rating_count FROM shows"), 111);
}

TEST_F(PruneCliTest, PruneRefusesAMissingDatabaseAndBadFlags) {
  auto missing = RunPodcrawl({"prune", "--db", dir_.File("none.db")});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos)
      << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("none.db")));
  auto age = RunPodcrawl({"prune", "--db", db_, "--max-age", "90 days"});
  EXPECT_EQ(age.exit_code, 2);
  EXPECT_NE(age.err.find("--max-age"), std::string::npos) << age.err;
  auto keep = RunPodcrawl({"prune", "--db", db_, "--keep-versions", "-1"});
  EXPECT_EQ(keep.exit_code, 2);
}

}  // namespace
