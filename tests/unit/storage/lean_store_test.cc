// Tests of the lean-database rules of storage::Store (issue 13, items 14-16;
// README "Archive retention", "Listener counts", "Provenance" and the rules at
// the top of storage/store.cc): archive retention when a version is archived
// and by PruneArchive, VACUUM, the provenance columns of pages and their
// views, listener counts that do not flap between pages, the related-show
// edge history, and the migration of a schema 4 database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "storage/analysis.h"
#include "storage/schema.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kT0 = 1'700'000'000'000;

const char kShowUrl[] = "https://pods.example/show/harbour/";
const char kOtherShowUrl[] = "https://pods.example/show/lamps/";
const char kFerryUrl[] = "https://pods.example/show/ferry/";
const char kSaltUrl[] = "https://pods.example/show/salt/";
const char kTideUrl[] = "https://pods.example/show/tide/";

core::Record ShowRecord(const std::string& url, int64_t rating_count) {
  core::Record r;
  r.url = url;
  r.kind = core::PageKind::kShow;
  r.show_name = "Harbour";
  r.rating = core::Rating{4.5, rating_count};
  r.sources = {{"show_name", "json-ld"}, {"rating", "text"}};
  return r;
}

class LeanStoreTest : public ::testing::Test {
 protected:
  void Open(StoreOptions options = {}) {
    store_.reset();
    auto store = Store::Open(path_, options);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store).value();
  }

  void SetUp() override {
    path_ = dir_.File("lean.db");
    Open();
  }

  int64_t Query(const std::string& sql) {
    auto db = Connection::Open(path_, OpenMode::kReadOnly);
    EXPECT_TRUE(db);
    auto n = db->QueryInt64(sql);
    EXPECT_TRUE(n) << sql << ": " << n.error().message;
    return n ? *n : -1;
  }

  std::string QueryText(const std::string& sql) {
    auto db = Connection::Open(path_, OpenMode::kReadOnly);
    EXPECT_TRUE(db);
    auto text = db->QueryText(sql);
    EXPECT_TRUE(text) << sql << ": " << text.error().message;
    return text ? *text : "";
  }

  // Saves `record` as fetched at `at` with `body`, in the round that began
  // at `round` (nullopt: a round of its own).
  void Save(const core::Record& record, const std::string& body, int64_t at,
            std::optional<int64_t> round = std::nullopt) {
    PageVersion page;
    page.url = record.url;
    page.body = body;
    page.content_type = "text/html";
    page.round_started_ms = round;
    auto saved = store_->SavePage(page, record, at);
    ASSERT_TRUE(saved) << saved.error().message;
  }

  // Saves a version of the show page a day after the previous one.
  void SaveVersions(int count) {
    for (int i = 0; i < count; ++i) {
      Save(ShowRecord(kShowUrl, 100 + i),
           "<html>version " + std::to_string(i) + "</html>", kT0 + i * kDay);
    }
  }

  std::vector<int64_t> ArchivedTimes() {
    auto db = Connection::Open(path_, OpenMode::kReadOnly);
    EXPECT_TRUE(db);
    auto times = db->QueryAll(
        "SELECT fetched_at_ms FROM page_archive ORDER BY fetched_at_ms",
        ReadColumns<int64_t>);
    EXPECT_TRUE(times);
    return times ? *times : std::vector<int64_t>{};
  }

  testsupport::TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

// --- archive retention (item 14) ---

// archive.keep_versions applies each time a version is archived: a daily
// schedule stays bounded without running prune.
TEST_F(LeanStoreTest, ArchivingANewVersionKeepsTheNewestKeepVersions) {
  StoreOptions options;
  options.archive.keep_versions = 3;
  Open(options);
  SaveVersions(6);
  EXPECT_THAT(ArchivedTimes(),
              ElementsAre(kT0 + 3 * kDay, kT0 + 4 * kDay, kT0 + 5 * kDay));
  // The newest version is the one reparse reads.
  auto ids = store_->LatestArchivedPageIds();
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 1u);
  EXPECT_EQ(store_->LoadArchivedPage(ids->front())->body,
            "<html>version 5</html>");
}

TEST_F(LeanStoreTest, KeepVersionsZeroKeepsEveryVersion) {
  StoreOptions options;
  options.archive.keep_versions = 0;
  Open(options);
  SaveVersions(6);
  EXPECT_EQ(ArchivedTimes().size(), 6u);
}

// archive.max_age: versions older than the age at the new version's fetch
// go; the newest always stays.
TEST_F(LeanStoreTest, ArchivingANewVersionDropsVersionsPastMaxAge) {
  StoreOptions options;
  options.archive.keep_versions = 0;
  options.archive.max_age_ms = 2 * kDay;
  Open(options);
  SaveVersions(5);
  EXPECT_THAT(ArchivedTimes(),
              ElementsAre(kT0 + 2 * kDay, kT0 + 3 * kDay, kT0 + 4 * kDay));
}

TEST_F(LeanStoreTest, PruneKeepsTheNewestVersionsOfEveryPage) {
  StoreOptions keep_all;
  keep_all.archive.keep_versions = 0;
  Open(keep_all);
  SaveVersions(5);
  Save(ShowRecord(kOtherShowUrl, 7), "<html>other</html>", kT0);

  PruneOptions dry;
  dry.retention.keep_versions = 2;
  dry.now_ms = kT0 + 10 * kDay;
  dry.dry_run = true;
  auto would = store_->PruneArchive(dry);
  ASSERT_TRUE(would) << would.error().message;
  EXPECT_EQ(would->versions, 3);
  EXPECT_EQ(would->pages, 1);
  EXPECT_GT(would->bytes, 0);
  EXPECT_EQ(would->raw_bytes, 3 * 22);  // "<html>version N</html>"
  EXPECT_EQ(would->kept, 3);
  EXPECT_EQ(ArchivedTimes().size(), 6u);  // a dry run changes nothing

  PruneOptions prune = dry;
  prune.dry_run = false;
  auto pruned = store_->PruneArchive(prune);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(pruned->versions, 3);
  EXPECT_EQ(pruned->kept, 3);
  EXPECT_THAT(ArchivedTimes(),
              ElementsAre(kT0, kT0 + 3 * kDay, kT0 + 4 * kDay));
  // Pruning again removes nothing.
  EXPECT_EQ(store_->PruneArchive(prune)->versions, 0);
}

// max_age by prune never removes a page's only (newest) version, however old.
TEST_F(LeanStoreTest, PruneByAgeKeepsEachPagesNewestVersion) {
  StoreOptions keep_all;
  keep_all.archive.keep_versions = 0;
  Open(keep_all);
  SaveVersions(3);
  Save(ShowRecord(kOtherShowUrl, 7), "<html>other</html>", kT0);
  PruneOptions prune;
  prune.retention.keep_versions = 0;
  prune.retention.max_age_ms = kDay;
  prune.now_ms = kT0 + 100 * kDay;
  auto pruned = store_->PruneArchive(prune);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(pruned->versions, 2);
  EXPECT_THAT(ArchivedTimes(), ElementsAre(kT0, kT0 + 2 * kDay));
}

TEST_F(LeanStoreTest, VacuumShrinksTheFileAfterAPrune) {
  StoreOptions keep_all;
  keep_all.archive.keep_versions = 0;
  Open(keep_all);
  // Pages that do not compress: each version takes its own database pages.
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 60'000; ++i) {
    x = x * 1103515245 + 12345;
    noise.push_back(static_cast<char>('!' + (x >> 16) % 90));
  }
  for (int i = 0; i < 20; ++i) {
    Save(ShowRecord(kShowUrl, 100 + i), noise + std::to_string(i),
         kT0 + i * kDay);
  }
  auto before = store_->Size();
  ASSERT_TRUE(before);
  PruneOptions prune;
  prune.retention.keep_versions = 1;
  prune.now_ms = kT0 + 30 * kDay;
  ASSERT_EQ(store_->PruneArchive(prune)->versions, 19);
  auto pruned = store_->Size();
  ASSERT_TRUE(pruned);
  EXPECT_GT(pruned->free_bytes, 19 * 40'000);  // freed, not yet given back
  ASSERT_TRUE(store_->Vacuum());
  auto after = store_->Size();
  ASSERT_TRUE(after);
  EXPECT_LT(after->bytes, before->bytes - 19 * 40'000);
  EXPECT_EQ(after->free_bytes, 0);
  EXPECT_LT(std::filesystem::file_size(path_),
            static_cast<uintmax_t>(before->bytes));
}

// --- provenance (item 16) ---

TEST_F(LeanStoreTest, PagesKeepTheRecordsKindKeysSourcesAndErrors) {
  core::Record record = ShowRecord(kShowUrl, 312);
  record.errors = {"input cut at 8388608 of 9000000 bytes"};
  Save(record, "<html>a</html>", kT0);
  EXPECT_EQ(QueryText("SELECT kind || ' ' || show_url FROM pages"),
            std::string("show ") + kShowUrl);
  EXPECT_EQ(Query("SELECT count(*) FROM pages WHERE episode_url IS NULL"), 1);
  EXPECT_EQ(QueryText("SELECT json_extract(sources, '$.rating') FROM pages"),
            "text");
  // The analyst's filters, through the views.
  EXPECT_EQ(QueryText("SELECT url FROM page_sources WHERE field = 'rating' "
                      "AND source = 'text'"),
            kShowUrl);
  EXPECT_EQ(QueryText("SELECT url FROM page_errors WHERE error LIKE "
                      "'input cut at %'"),
            kShowUrl);
  // A page without errors has an empty array, not NULL.
  Save(ShowRecord(kOtherShowUrl, 5), "<html>b</html>", kT0);
  EXPECT_EQ(QueryText("SELECT errors FROM pages WHERE url = '" +
                      std::string(kOtherShowUrl) + "'"),
            "[]");
  EXPECT_EQ(Query("SELECT count(*) FROM page_errors"), 1);
}

// `export --what pages`: JSON Lines carry sources and errors as JSON values,
// CSV their JSON text.
TEST_F(LeanStoreTest, ExportOfPagesCarriesTheProvenance) {
  core::Record record = ShowRecord(kShowUrl, 312);
  record.errors = {"input cut at 10 of 20 bytes"};
  Save(record, "<html>a</html>", kT0);
  StoreOptions read_only;
  read_only.read_only = true;
  auto db = OpenDatabase(path_, read_only);
  ASSERT_TRUE(db) << db.error().message;
  std::ostringstream jsonl;
  ASSERT_EQ(
      ExportRows(*db, {ExportFormat::kJsonl, ExportWhat::kPages, {}}, jsonl)
          .value(),
      1);
  EXPECT_THAT(jsonl.str(),
              HasSubstr(R"("sources":{"rating":"text","show_name":"json-ld"},)"
                        R"("errors":["input cut at 10 of 20 bytes"])"));
  std::ostringstream csv;
  ASSERT_TRUE(
      ExportRows(*db, {ExportFormat::kCsv, ExportWhat::kPages, {}}, csv));
  EXPECT_THAT(
      csv.str(),
      HasSubstr(R"("{""rating"":""text"",""show_name"":""json-ld""}")"));
}

// A page row from before schema 6 gets its provenance on the next fetch even
// when nothing changed (and the save still counts as unchanged).
TEST_F(LeanStoreTest, AnUnchangedPageFillsInMissingProvenance) {
  Save(ShowRecord(kShowUrl, 312), "<html>a</html>", kT0);
  {
    auto db = Connection::Open(path_, OpenMode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE(
        db->ExecScript("UPDATE pages SET kind = NULL, show_url = NULL,"
                       " sources = NULL, errors = NULL"));
  }
  PageVersion page{kShowUrl, "<html>a</html>", "text/html", std::nullopt};
  auto saved = store_->SavePage(page, ShowRecord(kShowUrl, 312), kT0 + kDay);
  ASSERT_TRUE(saved);
  EXPECT_EQ(*saved, PageSaveOutcome::kUnchanged);
  EXPECT_EQ(Query("SELECT count(*) FROM page_sources"), 2);
  EXPECT_EQ(QueryText("SELECT kind FROM pages"), "show");
}

// --- listener counts (item 15) ---

// A show page at `url` that lists Night Ferry with `listeners`; `version`
// changes its own rating count, so that each round stores the record again
// (an unchanged record is not stored at all).
core::Record Lists(const std::string& url, std::optional<int64_t> listeners,
                   int64_t version = 0) {
  core::Record r;
  r.url = url;
  r.kind = core::PageKind::kShow;
  r.show_name = url;
  r.rating = core::Rating{4.0, 10 + version};
  r.related_shows = {core::RelatedShow{"Night Ferry", kFerryUrl, listeners}};
  return r;
}

std::vector<std::pair<int64_t, std::string>> History(Store& store) {
  std::vector<std::pair<int64_t, std::string>> out;
  auto history = store.ListenerHistory(kFerryUrl);
  EXPECT_TRUE(history);
  if (!history) return out;
  for (const ListenerSnapshot& s : *history)
    out.emplace_back(s.listeners, s.page_url.value_or("-"));
  return out;
}

// Two pages show one count, one rounded ("1.2K") and one exact: the exact one
// is kept, in any order and across rounds, and the history does not flap.
TEST_F(LeanStoreTest, ARoundedCountDoesNotReplaceTheExactOne) {
  for (int round = 0; round < 3; ++round) {
    const int64_t start = kT0 + round * kDay;
    Save(Lists(kShowUrl, 1234, round), "<html>a" + std::to_string(round),
         start + 1, start);
    Save(Lists(kOtherShowUrl, 1200, round), "<html>b" + std::to_string(round),
         start + 2, start);
  }
  EXPECT_THAT(History(*store_), ElementsAre(std::make_pair(1234, kShowUrl)));
  EXPECT_EQ(store_->FindShow(kFerryUrl).value()->listeners, 1234);
}

// The rounded page first: the exact count of the same round replaces the
// round's snapshot instead of adding one.
TEST_F(LeanStoreTest, AnExactCountRefinesTheRoundsRoundedSnapshot) {
  Save(Lists(kOtherShowUrl, 1200), "<html>b", kT0 + 1, kT0);
  Save(Lists(kShowUrl, 1234), "<html>a", kT0 + 2, kT0);
  EXPECT_THAT(History(*store_), ElementsAre(std::make_pair(1234, kShowUrl)));
  // A later round's rounded reading says nothing new either.
  Save(Lists(kOtherShowUrl, 1200, 1), "<html>b2", kT0 + kDay, kT0 + kDay);
  EXPECT_EQ(History(*store_).size(), 1u);
}

// Two pages disagree in one round: the latest page's value is kept, one
// snapshot per round; a round that ends where the last one did adds none.
TEST_F(LeanStoreTest, DisagreeingPagesKeepTheLatestValueOncePerRound) {
  Save(Lists(kShowUrl, 5000), "<html>a0", kT0 + 1, kT0);
  Save(Lists(kOtherShowUrl, 4100), "<html>b0", kT0 + 2, kT0);
  EXPECT_THAT(History(*store_),
              ElementsAre(std::make_pair(4100, kOtherShowUrl)));
  const int64_t r1 = kT0 + kDay;
  Save(Lists(kShowUrl, 5000, 1), "<html>a1", r1 + 1, r1);
  EXPECT_EQ(History(*store_).size(), 2u);  // the round's first reading
  Save(Lists(kOtherShowUrl, 4100, 1), "<html>b1", r1 + 2, r1);
  EXPECT_THAT(History(*store_),
              ElementsAre(std::make_pair(4100, kOtherShowUrl)));
  EXPECT_EQ(store_->FindShow(kFerryUrl).value()->listeners, 4100);
}

// The same page showing a new count is a change, in any round.
TEST_F(LeanStoreTest, OnePageShowingANewCountIsAChange) {
  Save(Lists(kShowUrl, 1200), "<html>a0", kT0, kT0);
  Save(Lists(kShowUrl, 1300), "<html>a1", kT0 + kDay, kT0 + kDay);
  EXPECT_THAT(History(*store_), ElementsAre(std::make_pair(1200, kShowUrl),
                                            std::make_pair(1300, kShowUrl)));
}

// --- related-show history (item 15) ---

core::Record WithRelated(std::vector<std::string> urls) {
  core::Record r;
  r.url = kShowUrl;
  r.kind = core::PageKind::kShow;
  r.show_name = "Harbour";
  for (const std::string& url : urls)
    r.related_shows.push_back(core::RelatedShow{url, url, std::nullopt});
  return r;
}

TEST_F(LeanStoreTest, RelatedEdgesThatEnterMoveOrLeaveAreRecorded) {
  Save(WithRelated({kFerryUrl, kSaltUrl}), "<html>1", kT0);
  Save(WithRelated({kSaltUrl, kFerryUrl}), "<html>2", kT0 + kDay);
  Save(WithRelated({kSaltUrl, kTideUrl}), "<html>3", kT0 + 40 * kDay);
  auto history = store_->RelatedHistory(kShowUrl);
  ASSERT_TRUE(history) << history.error().message;
  std::vector<std::string> lines;
  for (const RelatedEvent& e : *history) {
    lines.push_back(std::to_string((e.observed_ms - kT0) / kDay) + " " +
                    e.change + " " + e.related_url + " " +
                    std::to_string(e.position.value_or(0)) + "<-" +
                    std::to_string(e.old_position.value_or(0)));
  }
  EXPECT_THAT(lines,
              ElementsAre(std::string("0 added ") + kFerryUrl + " 1<-0",
                          std::string("0 added ") + kSaltUrl + " 2<-0",
                          std::string("1 moved ") + kSaltUrl + " 1<-2",
                          std::string("1 moved ") + kFerryUrl + " 2<-1",
                          std::string("40 added ") + kTideUrl + " 2<-0",
                          std::string("40 removed ") + kFerryUrl + " 0<-2"));
  // "Who entered the related list of Harbour this month" is one query.
  EXPECT_EQ(QueryText("SELECT group_concat(related_url) FROM related_history "
                      "WHERE show_url = '" +
                      std::string(kShowUrl) +
                      "' AND change = 'added' AND observed_ms >= " +
                      std::to_string(kT0 + 30 * kDay)),
            kTideUrl);
  // Saving the same list again records nothing.
  Save(WithRelated({kSaltUrl, kTideUrl}), "<html>4", kT0 + 41 * kDay);
  EXPECT_EQ(store_->RelatedHistory(kShowUrl)->size(), 6u);
}

// --- migration ---

// A schema 4 database gains the columns, the table and the views; its edges
// get an 'added' event each, so the history replays to the current lists.
TEST(LeanStoreMigrationTest, Schema4GetsProvenanceColumnsAndEdgeEvents) {
  testsupport::TempDir dir;
  const std::string path = dir.File("v4.db");
  {
    auto db = Connection::Open(path, OpenMode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE(MigrateToForTesting(*db, 4));
    ASSERT_TRUE(db->ExecScript(R"sql(
INSERT INTO shows (id, url, first_seen_ms, last_seen_ms) VALUES
  (1, 'https://pods.example/show/harbour/', 1, 1),
  (2, 'https://pods.example/show/ferry/', 1, 1);
INSERT INTO related_shows VALUES (1, 2, 1, 900, 5);
INSERT INTO listener_snapshots VALUES (2, 5, 900);
INSERT INTO pages VALUES ('https://pods.example/show/harbour/', 'h', 'r', 1, 1);
)sql"));
  }
  auto store = Store::Open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
  auto history = (*store)->RelatedHistory("https://pods.example/show/harbour/");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].change, "added");
  EXPECT_EQ((*history)[0].observed_ms, 5);
  auto listeners =
      (*store)->ListenerHistory("https://pods.example/show/ferry/");
  ASSERT_TRUE(listeners);
  ASSERT_EQ(listeners->size(), 1u);
  EXPECT_EQ((*listeners)[0].page_url, std::nullopt);
  auto db = Connection::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->QueryInt64("SELECT count(*) FROM pages WHERE sources IS NULL")
                .value(),
            1);
  EXPECT_EQ(db->QueryInt64("SELECT count(*) FROM page_sources").value(), 0);
}

}  // namespace
}  // namespace storage
