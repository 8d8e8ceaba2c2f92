// Tests of schema step 8 (issue 16): the identity columns of shows, the
// history views (listener_history, listener_change, rating_change,
// related_edge_history, show_identity), the ISO 8601 columns of every view,
// the export conventions of storage/analysis.h (JSON array, --fields, NULL as
// an empty CSV field, listeners and fetches) and GatherReport.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "storage/analysis.h"
#include "storage/report_data.h"
#include "storage/schema.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2026-11-28T15:00:00Z
constexpr int64_t kT0 = 1'795'878'000'000;
constexpr int64_t kMinute = 60'000;

class HistoryViewsTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("h.db");
    auto db = OpenDatabase(path_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::make_unique<Connection>(std::move(*db));
  }

  void Exec(const std::string& sql) {
    auto status = db_->ExecScript(sql);
    ASSERT_TRUE(status) << status.error().message << "\n" << sql;
  }

  int64_t Show(const std::string& url, const std::string& name,
               const std::string& feed = "") {
    auto status = db_->Exec(
        "INSERT INTO shows (url, name, feed_url, first_seen_ms, last_seen_ms) "
        "VALUES (?1, ?2, nullif(?3, ''), ?4, ?4)",
        std::string_view(url), std::string_view(name), std::string_view(feed),
        kT0);
    EXPECT_TRUE(status) << status.error().message;
    return db_->LastInsertRowId();
  }

  void Listeners(int64_t show, int64_t at, int64_t n) {
    ASSERT_TRUE(db_->Exec(
        "INSERT INTO listener_snapshots (show_id, observed_ms, listeners) "
        "VALUES (?1, ?2, ?3)",
        show, at, n));
  }

  void Rating(int64_t show, int64_t at, double value, int64_t count) {
    ASSERT_TRUE(db_->Exec(
        "INSERT INTO rating_snapshots (show_id, observed_ms, value, count) "
        "VALUES (?1, ?2, ?3, ?4)",
        show, at, value, count));
  }

  void Event(int64_t show, int64_t related, int64_t at,
             const std::string& change, std::optional<int64_t> position,
             std::optional<int64_t> old_position) {
    ASSERT_TRUE(db_->Exec(
        "INSERT INTO related_events (show_id, related_show_id, observed_ms, "
        "change, position, old_position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        show, related, at, std::string_view(change), position, old_position));
  }

  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    auto status = db_->ForEachRow(sql, [&rows](const Statement& row) {
      std::vector<std::string> cells;
      for (int i = 0; i < row.ColumnCount(); ++i)
        cells.push_back(row.IsNull(i) ? "NULL" : row.ColumnText(i));
      rows.push_back(std::move(cells));
    });
    EXPECT_TRUE(status) << status.error().message << "\n" << sql;
    return rows;
  }

  std::string Export(ExportOptions options,
                     const std::vector<std::string>& fields = {}) {
    std::ostringstream out;
    auto rows = ExportRows(*db_, options, out, {fields, true});
    EXPECT_TRUE(rows) << rows.error().message;
    return out.str();
  }

  testsupport::TempDir dir_;
  std::string path_;
  std::unique_ptr<Connection> db_;
};

using Row = std::vector<std::string>;

TEST_F(HistoryViewsTest, SchemaIsAtStepNine) {
  EXPECT_EQ(db_->QueryInt64("PRAGMA user_version").value(), 9);
  EXPECT_EQ(kSchemaVersion, 9);
}

// A database of schema 7 with shows migrates: the generated columns read the
// rows already there.
TEST(HistoryViewsMigrationTest, StepEightComputesIdentityOfExistingRows) {
  testsupport::TempDir dir;
  const std::string path = dir.File("v7.db");
  {
    auto db = Connection::Open(path, OpenMode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE(MigrateToForTesting(*db, 7));
    ASSERT_TRUE(db->ExecScript(
        "INSERT INTO shows (url, name, feed_url, first_seen_ms, last_seen_ms) "
        "VALUES ('https://podcasts.apple.com/us/podcast/x/id42', 'X', "
        "'https://f.example/x.xml', 1, 1)"));
  }
  auto db = OpenDatabase(path);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->QueryInt64("PRAGMA user_version").value(), kSchemaVersion);
  EXPECT_EQ(db->QueryText("SELECT host || ' ' || apple_id || ' ' || feed_key "
                          "FROM shows")
                .value(),
            "podcasts.apple.com 42 f.example/x.xml");
  EXPECT_EQ(db->QueryText("SELECT first_seen FROM show_summary").value(),
            "1970-01-01T00:00:00Z");
}

// A database of schema 8 migrates to 9: its shows keep their rows and
// groups, the identifiers that pages name are NULL until a page of the show
// is stored again, and show_summary and show_identity gain their columns.
TEST(HistoryViewsMigrationTest, StepNineAddsNamedIdentifiers) {
  testsupport::TempDir dir;
  const std::string path = dir.File("v8.db");
  {
    auto db = Connection::Open(path, OpenMode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE(MigrateToForTesting(*db, 8));
    ASSERT_TRUE(db->ExecScript(
        "INSERT INTO shows (url, name, feed_url, first_seen_ms, last_seen_ms) "
        "VALUES ('https://podcasts.apple.com/us/podcast/x/id42', 'X', "
        "'https://f.example/x.xml', 1, 1), "
        "('https://goodpods.com/podcasts/x-1', 'X', 'http://f.example/x.xml', "
        "1, 1)"));
  }
  auto db = OpenDatabase(path);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->QueryInt64("PRAGMA user_version").value(), 9);
  EXPECT_EQ(db->QueryInt64("SELECT count(*) FROM shows WHERE podcast_guid IS "
                           "NULL AND linked_apple_id IS NULL AND "
                           "linked_spotify_id IS NULL")
                .value(),
            2);
  EXPECT_EQ(db->QueryText("SELECT count(DISTINCT identity_id) || '/' || "
                          "count(linked_apple_id) FROM show_identity")
                .value(),
            "1/0");
  EXPECT_EQ(db->QueryText("SELECT ifnull(podcast_guid, 'NULL') || ' ' || "
                          "apple_id FROM show_summary WHERE host LIKE "
                          "'%apple.com'")
                .value(),
            "NULL 42");
}

// Apple's show URLs end in "id" and the numeric id; Spotify's hold
// "/show/ID"; a feed URL is compared without scheme, "www." and a trailing
// slash.
TEST_F(HistoryViewsTest, ShowsCarryHostAndIdentifiers) {
  Show("https://podcasts.apple.com/us/podcast/harbour-lights/id1234567890",
       "Harbour Lights", "HTTP://WWW.Feeds.Example.com/harbour.xml/");
  Show("https://podcasts.apple.com/us/podcast/idea-lab/", "Idea Lab");
  Show("https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk?si=x", "HL");
  Show("podcrawl-show://goodpods.com/Quiet", "Quiet");
  EXPECT_THAT(
      Rows("SELECT host, ifnull(feed_key, 'NULL'), ifnull(apple_id, 'NULL'), "
           "ifnull(spotify_id, 'NULL') FROM shows ORDER BY id"),
      ElementsAre(
          Row{"podcasts.apple.com", "feeds.example.com/harbour.xml",
              "1234567890", "NULL"},
          Row{"podcasts.apple.com", "NULL", "NULL", "NULL"},
          Row{"open.spotify.com", "NULL", "NULL", "4rOoJ6Egrf8K2IrywzwOMk"},
          Row{"goodpods.com", "NULL", "NULL", "NULL"}));
}

// "The same show on Apple, Spotify and Goodpods is one query": rows that
// share a feed or an identifier are one group, also through a third row.
TEST_F(HistoryViewsTest, ShowIdentityGroupsSharedFeedsAndIds) {
  const int64_t goodpods =
      Show("https://goodpods.com/podcasts/harbour-lights-1234", "Harbour",
           "https://feeds.example.com/harbour.xml");
  const int64_t apple =
      Show("https://podcasts.apple.com/us/podcast/harbour-lights/id1234567890",
           "Harbour Lights", "http://feeds.example.com/harbour.xml/");
  Show("https://podcasts.apple.com/gb/podcast/harbour/id1234567890?l=en",
       "Harbour Lights (GB)");
  const int64_t other = Show("https://goodpods.com/podcasts/night-ferry-9",
                             "Night Ferry", "https://feeds.example.com/nf");
  EXPECT_THAT(
      Rows("SELECT identity_id, identity_shows, show_name "
           "FROM show_identity ORDER BY show_id"),
      ElementsAre(Row{std::to_string(goodpods), "3", "Harbour"},
                  Row{std::to_string(goodpods), "3", "Harbour Lights"},
                  Row{std::to_string(goodpods), "3", "Harbour Lights (GB)"},
                  Row{std::to_string(other), "1", "Night Ferry"}));
  EXPECT_THAT(Rows("SELECT group_concat(host, ' ') FROM (SELECT * FROM "
                   "show_identity WHERE identity_id = " +
                   std::to_string(goodpods) + " ORDER BY show_id)"),
              ElementsAre(Row{"goodpods.com podcasts.apple.com "
                              "podcasts.apple.com"}));
  (void)apple;
}

// Step 9: a page's podcast:guid, and the Apple or Spotify id it links to,
// group rows too: a linked id meets another row's own apple_id / spotify_id
// (from its URL) or the same linked id; two rows with the same guid are one
// show whatever their feeds.
TEST_F(HistoryViewsTest, ShowIdentityGroupsGuidsAndLinkedIds) {
  const int64_t goodpods =
      Show("https://goodpods.com/podcasts/night-ferry-1", "Night Ferry");
  const int64_t apple = Show(
      "https://podcasts.apple.com/us/podcast/night-ferry/id1622876113", "NF");
  const int64_t spotify =
      Show("https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB", "NF");
  const int64_t podchaser =
      Show("https://www.podchaser.com/podcasts/night-ferry-9", "NF");
  const int64_t site = Show("https://tidewater.example.org/", "Tidewater",
                            "https://feeds.example.org/tt.rss");
  const int64_t index = Show("https://podcastindex.org/podcast/61", "TT",
                             "https://tidewater.example.net/feed.xml");
  const int64_t alone = Show("https://goodpods.com/podcasts/quiet-2", "Quiet");
  Exec(
      "UPDATE shows SET linked_apple_id = '1622876113', linked_spotify_id = "
      "'5Cq0AbpyWcmRZKEBlRzqVB' WHERE id = " +
      std::to_string(goodpods));
  Exec(
      "UPDATE shows SET linked_spotify_id = '5Cq0AbpyWcmRZKEBlRzqVB' WHERE "
      "id = " +
      std::to_string(podchaser));
  Exec(
      "UPDATE shows SET podcast_guid = 'ca2c40c0-728d-50f5-be4a-365874dd386d'"
      " WHERE id IN (" +
      std::to_string(site) + ", " + std::to_string(index) + ")");
  Exec("UPDATE shows SET linked_apple_id = '1599210364' WHERE id = " +
       std::to_string(alone));
  const std::string g = std::to_string(goodpods);
  const std::string t = std::to_string(site);
  EXPECT_THAT(Rows("SELECT identity_id, identity_shows, host, "
                   "ifnull(podcast_guid, '-'), ifnull(linked_apple_id, '-'), "
                   "ifnull(linked_spotify_id, '-') FROM show_identity "
                   "ORDER BY show_id"),
              ElementsAre(Row{g, "4", "goodpods.com", "-", "1622876113",
                              "5Cq0AbpyWcmRZKEBlRzqVB"},
                          Row{g, "4", "podcasts.apple.com", "-", "-", "-"},
                          Row{g, "4", "open.spotify.com", "-", "-", "-"},
                          Row{g, "4", "www.podchaser.com", "-", "-",
                              "5Cq0AbpyWcmRZKEBlRzqVB"},
                          Row{t, "2", "tidewater.example.org",
                              "ca2c40c0-728d-50f5-be4a-365874dd386d", "-", "-"},
                          Row{t, "2", "podcastindex.org",
                              "ca2c40c0-728d-50f5-be4a-365874dd386d", "-", "-"},
                          Row{std::to_string(alone), "1", "goodpods.com", "-",
                              "1599210364", "-"}));
  (void)apple;
  (void)spotify;
}

TEST_F(HistoryViewsTest, ListenerHistoryHasChangesAndIsoTimes) {
  const int64_t show = Show("https://pods.example/a/", "A");
  Listeners(show, kT0, 100);
  Listeners(show, kT0 + kMinute, 130);
  Listeners(show, kT0 + 2 * kMinute, 120);
  EXPECT_THAT(Rows("SELECT observed, listeners, change FROM listener_history "
                   "ORDER BY observed_ms"),
              ElementsAre(Row{"2026-11-28T15:00:00Z", "100", "NULL"},
                          Row{"2026-11-28T15:01:00Z", "130", "30"},
                          Row{"2026-11-28T15:02:00Z", "120", "-10"}));
}

// The change over a period is the latest count against the one at the
// period's start (the latest snapshot at or before it, else the first inside
// it).
TEST_F(HistoryViewsTest, ListenerChangeComparesWithThePeriodsStart) {
  const int64_t now = db_->QueryInt64("SELECT unixepoch('now') * 1000").value();
  const int64_t day = 86'400'000;
  const int64_t old = Show("https://pods.example/old/", "Old");
  Listeners(old, now - 40 * day, 50);
  Listeners(old, now - 10 * day, 80);
  Listeners(old, now - 3 * day, 95);
  Listeners(old, now - 1000, 120);
  const int64_t fresh = Show("https://pods.example/new/", "New");
  Listeners(fresh, now - 2 * 3'600'000, 10);
  Listeners(fresh, now - 1000, 25);
  EXPECT_THAT(
      Rows("SELECT period, show_name, listeners_before, listeners, change "
           "FROM listener_change ORDER BY period, show_name"),
      ElementsAre(Row{"day", "New", "10", "25", "15"},
                  Row{"day", "Old", "95", "120", "25"},
                  Row{"month", "New", "10", "25", "15"},
                  Row{"month", "Old", "50", "120", "70"},
                  Row{"week", "New", "10", "25", "15"},
                  Row{"week", "Old", "80", "120", "40"}));
}

TEST_F(HistoryViewsTest, RatingChangeComparesValueAndCount) {
  const int64_t now = db_->QueryInt64("SELECT unixepoch('now') * 1000").value();
  const int64_t show = Show("https://pods.example/a/", "A");
  Rating(show, now - 20 * 86'400'000LL, 4.4, 1288);
  Rating(show, now - 60'000, 4.5, 1301);
  EXPECT_THAT(Rows("SELECT rating_value_before, rating_count_before, "
                   "value_change, count_change FROM rating_change "
                   "WHERE period = 'week'"),
              ElementsAre(Row{"4.4", "1288", "0.1", "13"}));
  EXPECT_THAT(Rows("SELECT observed, count_change, value_change FROM "
                   "show_rating_history ORDER BY observed_ms"),
              ElementsAre(testing::_, testing::_));
}

// An edge's stints: added, moved, removed, added again.
TEST_F(HistoryViewsTest, RelatedEdgeHistoryHasOneRowPerStint) {
  const int64_t a = Show("https://pods.example/a/", "A");
  const int64_t b = Show("https://pods.example/b/", "B");
  Event(a, b, kT0, "added", 2, std::nullopt);
  Event(a, b, kT0 + kMinute, "moved", 1, 2);
  Event(a, b, kT0 + 2 * kMinute, "removed", std::nullopt, 1);
  Event(a, b, kT0 + 3 * kMinute, "added", 3, std::nullopt);
  EXPECT_THAT(
      Rows("SELECT related_name, appeared, first_position, moves, "
           "ifnull(last_moved, 'NULL'), last_position, "
           "ifnull(disappeared, 'NULL'), listed FROM related_edge_history "
           "ORDER BY appeared_ms"),
      ElementsAre(Row{"B", "2026-11-28T15:00:00Z", "2", "1",
                      "2026-11-28T15:01:00Z", "1", "2026-11-28T15:02:00Z", "0"},
                  Row{"B", "2026-11-28T15:03:00Z", "3", "0", "NULL", "3",
                      "NULL", "1"}));
}

// Every view has an ISO 8601 text column beside each millisecond one.
TEST_F(HistoryViewsTest, EveryViewHasIsoColumnsBesideMilliseconds) {
  auto views = Rows("SELECT name FROM sqlite_schema WHERE type = 'view'");
  ASSERT_GE(views.size(), 12u);
  for (const Row& view : views) {
    auto columns =
        Rows("SELECT name FROM pragma_table_info('" + view[0] + "')");
    std::vector<std::string> names;
    for (const Row& c : columns) names.push_back(c[0]);
    for (const std::string& name : names) {
      if (name.size() < 3 || name.substr(name.size() - 3) != "_ms") continue;
      const std::string iso = name.substr(0, name.size() - 3);
      EXPECT_NE(std::find(names.begin(), names.end(), iso), names.end())
          << view[0] << "." << name << " has no " << iso;
    }
  }
}

TEST_F(HistoryViewsTest, ExportsJsonArrayFieldsAndNullAsEmptyCsv) {
  const int64_t show = Show("https://pods.example/a/", "A, \"quoted\"");
  Listeners(show, kT0, 100);
  Listeners(show, kT0 + kMinute, 130);
  ExportOptions options;
  options.what = ExportWhat::kListeners;
  options.format = ExportFormat::kJson;
  auto array = nlohmann::json::parse(Export(options));
  ASSERT_TRUE(array.is_array());
  ASSERT_EQ(array.size(), 2u);
  EXPECT_TRUE(array[0]["change"].is_null());
  EXPECT_EQ(array[1]["change"], 30);
  EXPECT_EQ(array[1]["observed"], "2026-11-28T15:01:00.000Z");

  options.format = ExportFormat::kCsv;
  const std::vector<std::string> fields = {"listeners", "change", "show_name"};
  EXPECT_EQ(Export(options, fields),
            "listeners,change,show_name\r\n100,,\"A, \"\"quoted\"\"\"\r\n"
            "130,30,\"A, \"\"quoted\"\"\"\r\n");

  options.format = ExportFormat::kJson;
  options.since_ms = kT0 + kMinute;
  EXPECT_EQ(Export(options, fields),
            "[\n{\"listeners\":130,\"change\":30,\"show_name\":\"A, "
            "\\\"quoted\\\"\"}\n]\n");
  options.since_ms = kT0 + 2 * kMinute;
  EXPECT_EQ(Export(options, fields), "[]\n");
}

TEST_F(HistoryViewsTest, ExportFieldsAreChecked) {
  EXPECT_TRUE(CheckExportFields(ExportWhat::kShows, {"rating", "url"}));
  auto bad = CheckExportFields(ExportWhat::kFetches, {"url", "nope"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("unknown field \"nope\""));
  EXPECT_THAT(bad.error().message, HasSubstr("error_code"));
  // "rating" is the object in JSON, its two columns in CSV.
  Show("https://pods.example/a/", "A");
  ASSERT_TRUE(db_->Exec("UPDATE shows SET rating_value = 4.5"));
  ExportOptions options;
  options.what = ExportWhat::kShows;
  const std::vector<std::string> fields = {"show_name", "rating"};
  EXPECT_EQ(
      Export(options, fields),
      "{\"show_name\":\"A\",\"rating\":{\"value\":4.5,\"count\":null}}\n");
  options.format = ExportFormat::kCsv;
  EXPECT_EQ(Export(options, fields),
            "show_name,rating_value,rating_count\r\nA,4.5,\r\n");
}

TEST_F(HistoryViewsTest, ExportsFetches) {
  Exec(
      "INSERT INTO fetches (url, fetched_at_ms, status, bytes, duration_ms, "
      "error_code) VALUES ('https://pods.example/x', 1795878000000, 404, 10, "
      "5, 'http_status')");
  ExportOptions options;
  options.what = ExportWhat::kFetches;
  options.format = ExportFormat::kCsv;
  EXPECT_EQ(
      Export(options, {"url", "status", "fetched_at", "error_code", "etag"}),
      "url,status,fetched_at,error_code,etag\r\n"
      "https://pods.example/x,404,2026-11-28T15:00:00.000Z,"
      "http_status,\r\n");
}

TEST_F(HistoryViewsTest, ReportGathersHealthMoversHistoryAndChanges) {
  const int64_t a = Show("https://pods.example/a/", "A");
  const int64_t b = Show("https://pods.example/b/", "B");
  Listeners(a, kT0, 100);
  Listeners(a, kT0 + kMinute, 150);
  Listeners(b, kT0, 1000);
  Listeners(b, kT0 + kMinute, 1010);
  Rating(a, kT0, 4.5, 10);
  Event(a, b, kT0, "added", 1, std::nullopt);
  ASSERT_TRUE(db_->Exec(
      "INSERT INTO related_shows (show_id, related_show_id, position, "
      "listeners, observed_ms) VALUES (?1, ?2, 1, 1010, ?3)",
      a, b, kT0));
  Exec(
      "INSERT INTO fetches (url, fetched_at_ms, status, bytes, duration_ms, "
      "error_code) VALUES ('u1', 1795878000000, 0, 0, 5, 'network'), "
      "('u2', 1795878060000, 200, 10, 5, NULL)");
  ReportQuery query;
  query.now_ms = kT0 + 2 * kMinute;
  query.since_ms = kT0 - kMinute;
  auto data = GatherReport(*db_, query);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->fetches_in_window, 2);
  ASSERT_EQ(data->failures.size(), 1u);
  EXPECT_EQ(data->failures[0].first, "network");
  ASSERT_GE(data->movers.size(), 2u);
  EXPECT_EQ(data->movers[0].name, "A");  // +50% before B's +1%
  EXPECT_EQ(data->movers[0].change, 50);
  ASSERT_GE(data->shows.size(), 2u);
  EXPECT_EQ(data->shows[0].name, "A");
  EXPECT_EQ(data->shows[0].listener_counts.size(), 2u);
  EXPECT_EQ(data->shows[0].rating_values.size(), 1u);
  ASSERT_EQ(data->shows[0].related.size(), 1u);
  EXPECT_EQ(data->shows[0].related[0].to_name, "B");
  ASSERT_TRUE(data->last_round_ms);
  EXPECT_EQ(*data->last_round_ms, kT0);  // one burst of fetches
  EXPECT_FALSE(data->changes.empty());

  query.show = "b";
  auto only_b = GatherReport(*db_, query);
  ASSERT_TRUE(only_b) << only_b.error().message;
  ASSERT_EQ(only_b->shows.size(), 1u);
  EXPECT_EQ(only_b->shows[0].listed_by.size(), 1u);
  ASSERT_FALSE(only_b->movers.empty());
  for (const ReportMover& m : only_b->movers) EXPECT_EQ(m.show_id, b);
  for (const ReportChange& c : only_b->changes) EXPECT_EQ(c.show, "B");
  query.show = "nobody";
  auto none = GatherReport(*db_, query);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace storage
