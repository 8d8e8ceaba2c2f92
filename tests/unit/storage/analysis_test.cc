// Tests of the analysis side of storage (issue 5): schema v3's views, the page
// hashes that keep an unchanged page from writing anything (SavePage), the
// zlib page archive, and the export / stats readers of storage/analysis.h.
#include "storage/analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/record.h"
#include "storage/archive.h"
#include "storage/frontier_store.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kT1 = kT0 + 60'000;
constexpr int64_t kT2 = kT1 + 60'000;

const char kShowUrl[] = "https://pods.example/show/harbour/";
const char kEpisodeUrl[] = "https://pods.example/show/harbour/ep-1.html";

core::Record ShowRecord(int64_t rating_count) {
  core::Record r;
  r.url = kShowUrl;
  r.kind = core::PageKind::kShow;
  r.show_name = "Harbour, \"Lights\"";
  r.description = "Line one\nline two, with a comma";
  r.rating = core::Rating{4.5, rating_count};
  r.related_shows = {
      core::RelatedShow{"Night Ferry", "https://pods.example/show/ferry/", 900},
      core::RelatedShow{"Salt", "https://pods.example/show/salt/", 80}};
  return r;
}

core::Record EpisodeRecord() {
  core::Record r;
  r.url = kEpisodeUrl;
  r.kind = core::PageKind::kEpisode;
  r.show_name = "Harbour, \"Lights\"";
  r.show_url = kShowUrl;
  r.episode_title = "The Keeper";
  r.published = "2026-10-02T06:00:00Z";
  r.duration_s = 2710;
  r.audio_url = "https://pods.example/a.mp3";
  return r;
}

class AnalysisTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("a.db");
    auto store = Store::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store).value();
  }

  int64_t Query(const std::string& sql) {
    auto db = Connection::Open(path_, OpenMode::kReadOnly);
    EXPECT_TRUE(db);
    auto n = db->QueryInt64(sql);
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }

  std::string Export(ExportWhat what, ExportFormat format,
                     std::optional<int64_t> since = std::nullopt) {
    StoreOptions options;
    options.read_only = true;
    auto db = OpenDatabase(path_, options);
    EXPECT_TRUE(db) << db.error().message;
    if (!db) return "";
    std::ostringstream out;
    auto rows = ExportRows(*db, ExportOptions{format, what, since}, out);
    EXPECT_TRUE(rows) << rows.error().message;
    return out.str();
  }

  core::Result<PageSaveOutcome> Save(const core::Record& record,
                                     const std::string& body, int64_t at) {
    PageVersion page;
    page.url = record.url;
    page.body = body;
    page.content_type = "text/html";
    return store_->SavePage(page, record, at);
  }

  testsupport::TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST(ArchiveTest, CompressRoundTripsAnyBytes) {
  for (const std::string& bytes :
       {std::string(), std::string("x"), std::string(100000, 'a'),
        std::string("\0\xff\x01 binary", 10)}) {
    auto compressed = Compress(bytes);
    ASSERT_TRUE(compressed);
    auto back = Decompress(*compressed, static_cast<int64_t>(bytes.size()));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_LT(Compress(std::string(100000, 'a'))->size(), 1000u);
}

TEST(ArchiveTest, DecompressRejectsCorruptOrWrongSize) {
  auto compressed = Compress("hello, archive");
  ASSERT_TRUE(compressed);
  EXPECT_FALSE(Decompress(*compressed, 3));
  EXPECT_FALSE(Decompress("not zlib at all", 14));
  EXPECT_FALSE(Decompress(*compressed, -1));
  // A zstd frame cut short, and one with a flipped byte in its data.
  auto page = Compress(std::string(5000, 'p') + "the end");
  ASSERT_TRUE(page);
  EXPECT_FALSE(Decompress(page->substr(0, page->size() - 3), 5007));
  std::string flipped = *page;
  flipped[flipped.size() / 2] =
      static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  EXPECT_FALSE(Decompress(flipped, 5007));  // the frame's checksum
}

// New versions are zstd frames (RFC 8878: magic 28 B5 2F FD).
TEST(ArchiveTest, CompressWritesZstdFrames) {
  auto compressed = Compress("<html>podcast</html>");
  ASSERT_TRUE(compressed);
  ASSERT_GE(compressed->size(), 4u);
  EXPECT_EQ(compressed->substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));
}

// Databases written before the switch to zstd hold zlib streams (RFC 1950);
// they still read back. The bytes below are zlib's compress() of "hello".
TEST(ArchiveTest, DecompressReadsTheZlibArchiveOfOlderDatabases) {
  const std::string zlib_hello(
      "\x78\x9c\xcb\x48\xcd\xc9\xc9\x07\x00\x06"
      "\x2c\x02\x15",
      13);
  auto back = Decompress(zlib_hello, 5);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, "hello");
  EXPECT_FALSE(Decompress(zlib_hello, 4));
}

TEST(ArchiveTest, ContentHashDiffersOnAnyChange) {
  EXPECT_EQ(ContentHash("abc"), ContentHash("abc"));
  EXPECT_NE(ContentHash("abc"), ContentHash("abd"));
  EXPECT_NE(ContentHash(""), ContentHash(std::string(1, '\0')));
}

TEST(ArchiveTest, ContentHashIsXxh3AndReadsLegacyHashes) {
  const std::string hash = ContentHash("abc");
  EXPECT_EQ(hash.rfind("xxh3-", 0), 0U) << hash;
  EXPECT_EQ(hash.size(), std::string("xxh3-").size() + 32 + 2);  // "-3"
  EXPECT_TRUE(SameContent(hash, "abc", hash));
  EXPECT_FALSE(SameContent(ContentHash("abd"), "abc", hash));
  // A database written before 0.3 holds FNV-1a hashes.
  EXPECT_EQ(LegacyContentHash("abc"), "e71fa2190541574b-3");
  EXPECT_TRUE(SameContent(LegacyContentHash("abc"), "abc", hash));
  EXPECT_FALSE(SameContent(LegacyContentHash("abd"), "abc", hash));
}

// A page stored before 0.3 (legacy hashes) and fetched again unchanged is
// unchanged, and its row gets today's hashes.
TEST_F(AnalysisTest, UnchangedPageWithLegacyHashesIsUnchangedAndRehashed) {
  const std::string body = "<html>v1 312 ratings</html>";
  ASSERT_EQ(Save(ShowRecord(312), body, kT0).value(), PageSaveOutcome::kStored);
  const std::string record_json =
      core::ToJson(ShowRecord(312))
          .dump(-1, ' ', /*ensure_ascii=*/false,
                nlohmann::json::error_handler_t::replace);
  {
    auto db = Connection::Open(path_, OpenMode::kReadWrite);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Exec("UPDATE pages SET body_hash = ?1, record_hash = ?2",
                         LegacyContentHash(body),
                         LegacyContentHash(record_json)));
  }
  ASSERT_EQ(Save(ShowRecord(312), body, kT1).value(),
            PageSaveOutcome::kUnchanged);
  EXPECT_EQ(Query("SELECT count(*) FROM rating_snapshots"), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM page_archive"), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM pages WHERE body_hash LIKE 'xxh3-%' "
                  "AND record_hash LIKE 'xxh3-%'"),
            1);
}

TEST(CsvTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST_F(AnalysisTest, MigratesToTheCurrentVersionWithViews) {
  EXPECT_EQ(store_->SchemaVersion().value(), kSchemaVersion);
  EXPECT_EQ(Query("SELECT count(*) FROM sqlite_schema WHERE type = 'view' AND "
                  "name IN ('episode_latest', 'show_rating_history', "
                  "'related_graph', 'show_summary')"),
            4);
}

TEST_F(AnalysisTest, UnchangedPageWritesNothingChangedRatingOneSnapshot) {
  const std::string body_v1 = "<html>v1 312 ratings</html>";
  ASSERT_EQ(Save(ShowRecord(312), body_v1, kT0).value(),
            PageSaveOutcome::kStored);
  const int64_t last_seen = Query(
      "SELECT last_seen_ms FROM shows WHERE url = "
      "'https://pods.example/show/harbour/'");
  EXPECT_EQ(last_seen, kT0);

  // Same bytes, same record: nothing is written.
  ASSERT_EQ(Save(ShowRecord(312), body_v1, kT1).value(),
            PageSaveOutcome::kUnchanged);
  EXPECT_EQ(Query("SELECT count(*) FROM rating_snapshots"), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM page_archive"), 1);
  EXPECT_EQ(Query("SELECT last_seen_ms FROM shows WHERE url = "
                  "'https://pods.example/show/harbour/'"),
            kT0);
  EXPECT_EQ(Query("SELECT last_changed_ms FROM pages"), kT0);

  // The rating count changes: exactly one new snapshot, one new version.
  ASSERT_EQ(Save(ShowRecord(313), "<html>v2 313 ratings</html>", kT2).value(),
            PageSaveOutcome::kStored);
  EXPECT_EQ(Query("SELECT count(*) FROM rating_snapshots"), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM page_archive"), 2);
  EXPECT_EQ(Query("SELECT rating_count FROM shows WHERE url = "
                  "'https://pods.example/show/harbour/'"),
            313);
  EXPECT_EQ(Query("SELECT count_change FROM show_rating_history ORDER BY "
                  "observed_ms DESC LIMIT 1"),
            1);
}

TEST_F(AnalysisTest, NewBytesWithTheSameRecordAreArchivedButNotStored) {
  ASSERT_TRUE(Save(ShowRecord(312), "<html>a</html>", kT0));
  auto outcome = Save(ShowRecord(312), "<html>a<!-- nonce 2 --></html>", kT1);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, PageSaveOutcome::kUnchanged);
  EXPECT_EQ(Query("SELECT count(*) FROM page_archive"), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM rating_snapshots"), 1);
}

TEST_F(AnalysisTest, ArchiveKeepsTheLatestVersionPerUrl) {
  ASSERT_TRUE(Save(ShowRecord(1), "<html>show v1</html>", kT0));
  ASSERT_TRUE(Save(EpisodeRecord(), "<html>episode</html>", kT0));
  ASSERT_TRUE(Save(ShowRecord(2), "<html>show v2</html>", kT1));
  auto ids = store_->LatestArchivedPageIds();
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 2u);
  std::vector<std::string> bodies;
  for (int64_t id : *ids) {
    auto page = store_->LoadArchivedPage(id);
    ASSERT_TRUE(page) << page.error().message;
    bodies.push_back(page->body);
    EXPECT_EQ(page->content_type, "text/html");
  }
  EXPECT_THAT(bodies, ::testing::UnorderedElementsAre("<html>show v2</html>",
                                                      "<html>episode</html>"));
  EXPECT_FALSE(store_->LoadArchivedPage(9999));
}

TEST_F(AnalysisTest, ArchiveOffKeepsHashesButNoBytes) {
  StoreOptions options;
  options.archive.enabled = false;
  auto store = Store::Open(dir_.File("noarchive.db"), options);
  ASSERT_TRUE(store);
  PageVersion page{kShowUrl, "<html>x</html>", std::nullopt};
  ASSERT_EQ((*store)->SavePage(page, ShowRecord(1), kT0).value(),
            PageSaveOutcome::kStored);
  ASSERT_EQ((*store)->SavePage(page, ShowRecord(1), kT1).value(),
            PageSaveOutcome::kUnchanged);
  EXPECT_TRUE((*store)->LatestArchivedPageIds().value().empty());
}

TEST_F(AnalysisTest, ExportsEpisodesAsJsonLinesWithRecordFieldNames) {
  ASSERT_TRUE(Save(ShowRecord(312), "s", kT0));
  ASSERT_TRUE(Save(EpisodeRecord(), "e", kT0));
  const std::string out = Export(ExportWhat::kEpisodes, ExportFormat::kJsonl);
  std::istringstream lines(out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    auto json = nlohmann::json::parse(line);
    EXPECT_EQ(json["url"], kEpisodeUrl);
    EXPECT_EQ(json["show_name"], "Harbour, \"Lights\"");
    EXPECT_EQ(json["episode_title"], "The Keeper");
    EXPECT_EQ(json["duration_s"], 2710);
    EXPECT_EQ(json["rating"]["count"], 312);
    EXPECT_EQ(json["rating"]["value"], 4.5);
    EXPECT_TRUE(json["description"].is_null());
    EXPECT_EQ(json["first_seen"], "2023-11-14T22:13:20.000Z");
  }
  EXPECT_EQ(count, 1);
}

TEST_F(AnalysisTest, ExportsShowsAsCsvWithQuoting) {
  ASSERT_TRUE(Save(ShowRecord(312), "s", kT0));
  const std::string out = Export(ExportWhat::kShows, ExportFormat::kCsv);
  EXPECT_EQ(out.substr(0, out.find("\r\n")),
            "url,show_name,description,feed_url,language,rating_value,"
            "rating_count,listeners,episodes,related,first_seen,last_seen,"
            "last_crawled,host,feed_key,apple_id,spotify_id,podcast_guid,"
            "linked_apple_id,linked_spotify_id");
  EXPECT_THAT(out, HasSubstr("https://pods.example/show/harbour/,\"Harbour, "
                             "\"\"Lights\"\"\",\"Line one\nline two, with a "
                             "comma\",,,4.5,312,,0,2,"));
  // Three shows: the page's and the two it lists; a header and three rows.
  size_t rows = 0;
  for (size_t at = out.find("\r\n"); at != std::string::npos;
       at = out.find("\r\n", at + 2)) {
    ++rows;
  }
  EXPECT_EQ(rows, 4u);
}

TEST_F(AnalysisTest, ExportSinceSkipsOlderRows) {
  ASSERT_TRUE(Save(ShowRecord(1), "v1", kT0));
  ASSERT_TRUE(Save(ShowRecord(2), "v2", kT2));
  const std::string all = Export(ExportWhat::kRatings, ExportFormat::kJsonl);
  const std::string recent =
      Export(ExportWhat::kRatings, ExportFormat::kJsonl, kT1);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 2);
  EXPECT_EQ(std::count(recent.begin(), recent.end(), '\n'), 1);
  EXPECT_THAT(recent, HasSubstr("\"rating_count\":2"));
  const std::string related =
      Export(ExportWhat::kRelated, ExportFormat::kCsv, kT1);
  EXPECT_THAT(related, HasSubstr("https://pods.example/show/ferry/"));
}

TEST_F(AnalysisTest, StatsCountTablesFetchesAndFrontier) {
  ASSERT_TRUE(Save(ShowRecord(1), "v1", kT0));
  FetchLogEntry ok;
  ok.url = kShowUrl;
  ok.fetched_at_ms = kT0;
  ok.status = 200;
  ASSERT_TRUE(store_->LogFetch(ok));
  FetchLogEntry missing;
  missing.url = "https://pods.example/x";
  missing.fetched_at_ms = kT1;
  missing.status = 404;
  missing.error_code = "http_status";
  ASSERT_TRUE(store_->LogFetch(missing));
  StoreOptions options;
  options.read_only = true;
  auto db = OpenDatabase(path_, options);
  ASSERT_TRUE(db);
  auto stats = GatherStats(*db, kT2);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->shows, 3);
  EXPECT_EQ(stats->shows_with_page, 1);
  EXPECT_EQ(stats->related_edges, 2);
  EXPECT_EQ(stats->fetches, 2);
  EXPECT_EQ(stats->pages, 1);
  EXPECT_EQ(stats->archived_versions, 1);
  EXPECT_EQ(stats->last_fetch_ms, kT1);
  EXPECT_THAT(stats->fetches_by_outcome,
              ::testing::UnorderedElementsAre(
                  std::make_pair(std::string("ok"), int64_t{1}),
                  std::make_pair(std::string("http_status"), int64_t{1})));
  EXPECT_EQ(stats->frontier_by_state.size(), 4u);
  EXPECT_EQ(stats->frontier_due, 0);
}

// The frontier counts add up the one-off crawl's frontier and every
// schedule's.
TEST_F(AnalysisTest, StatsAddUpTheFrontiersOfAllSchedules) {
  FrontierPartition news;
  news.schedule = "news";
  for (const FrontierPartition& partition : {FrontierPartition{}, news}) {
    auto frontier = OpenFrontierStore(path_, {}, partition);
    ASSERT_TRUE(frontier) << frontier.error().message;
    ASSERT_TRUE((*frontier)->Add(
        {{"https://pods.example/a", 0}, {"https://pods.example/b", 1}}, kT0));
  }
  StoreOptions options;
  options.read_only = true;
  auto db = OpenDatabase(path_, options);
  ASSERT_TRUE(db);
  auto stats = GatherStats(*db, kT1);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_THAT(stats->frontier_by_state,
              ::testing::ElementsAre(
                  std::make_pair(std::string("queued"), int64_t{4}),
                  std::make_pair(std::string("in_flight"), int64_t{0}),
                  std::make_pair(std::string("done"), int64_t{0}),
                  std::make_pair(std::string("failed"), int64_t{0})));
  EXPECT_EQ(stats->frontier_due, 4);
}

TEST_F(AnalysisTest, ReadOnlyExportRefusesAMissingDatabase) {
  StoreOptions options;
  options.read_only = true;
  auto db = OpenDatabase(dir_.File("missing.db"), options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, core::ErrorCode::kStorage);
}

}  // namespace
}  // namespace storage
