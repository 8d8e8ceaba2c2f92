// Tests of storage::Store: migrations by PRAGMA user_version, the dedupe rules
// of DESIGN.md
// ("one row per show and per episode, keyed by canonical URL"; "a new snapshot
// ... only when a value changed"), the ownership rules documented at the top of
// storage/store.cc (rating and related shows belong to the show; synthetic
// keys), all-or-nothing saves, and storage faults (read-only, not a database,
// disk full) surfacing as kStorage.
#include "storage/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/sqlite.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kT1 = kT0 + 86'400'000;
constexpr int64_t kT2 = kT1 + 86'400'000;

const char kShowUrl[] = "https://goodpods.com/podcasts/the-daily-123";
const char kEpisodeUrl[] =
    "https://goodpods.com/podcasts/the-daily-123/big-news-456";

core::RelatedShow Related(std::string name, std::optional<std::string> url,
                          std::optional<int64_t> listeners) {
  return core::RelatedShow{std::move(name), std::move(url), listeners};
}

core::Record ShowRecord() {
  core::Record record;
  record.url = std::string(kShowUrl) + "?utm_source=x";
  record.canonical_url = kShowUrl;
  record.kind = core::PageKind::kShow;
  record.show_name = "The Daily";
  record.description = "News, every weekday.";
  record.rating = core::Rating{4.5, 1200};
  record.feed_url = "https://feeds.example.com/daily.xml";
  record.language = "en";
  record.related_shows = {
      Related("Up First", "https://goodpods.com/podcasts/up-first-1", 51000),
      Related("Pod Save America", "https://goodpods.com/podcasts/psa-2", 23000),
      Related("Hard Fork", "https://goodpods.com/podcasts/hard-fork-3",
              std::nullopt),
  };
  return record;
}

core::Record EpisodeRecord() {
  core::Record record;
  record.url = kEpisodeUrl;
  record.kind = core::PageKind::kEpisode;
  record.show_name = "The Daily";
  record.show_url = kShowUrl;
  record.episode_title = "Big News";
  record.description = "Today: big news.";
  record.rating = core::Rating{4.5, 1200};
  record.audio_url = "https://cdn.example.com/big-news.mp3";
  record.published = "2024-05-01T09:00:00Z";
  record.duration_s = 1800;
  record.language = "en";
  return record;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Result<std::unique_ptr<Store>> store = Store::Open(":memory:");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(store).value();
  }

  StoreCounts Counts() {
    core::Result<StoreCounts> counts = store_->Counts();
    EXPECT_TRUE(counts.has_value()) << counts.error().message;
    return counts ? *counts : StoreCounts{};
  }

  ShowRow Show(const std::string& url) {
    core::Result<std::optional<ShowRow>> show = store_->FindShow(url);
    EXPECT_TRUE(show.has_value()) << show.error().message;
    EXPECT_TRUE(show.has_value() && show->has_value()) << "no show " << url;
    return show && *show ? **show : ShowRow{};
  }

  std::vector<std::string> RelatedUrls(const std::string& show_url) {
    core::Result<std::vector<RelatedRow>> related =
        store_->RelatedShows(show_url);
    EXPECT_TRUE(related.has_value()) << related.error().message;
    std::vector<std::string> urls;
    if (related) {
      for (const RelatedRow& row : *related) urls.push_back(row.url);
    }
    return urls;
  }

  void Save(const core::Record& record, int64_t at) {
    core::Status status = store_->SaveRecord(record, at);
    ASSERT_TRUE(status) << status.error().message;
  }

  std::unique_ptr<Store> store_;
};

// --- migrations ---

TEST(StoreMigrationTest, FreshDatabaseGetsEveryTableAndTheCurrentVersion) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  {
    core::Result<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
  }
  core::Result<Connection> db = Connection::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.has_value());
  EXPECT_EQ(db->QueryInt64("PRAGMA user_version").value(), kSchemaVersion);
  for (const char* table :
       {"shows", "episodes", "related_shows", "rating_snapshots",
        "listener_snapshots", "fetches"}) {
    core::Result<Statement> st = db->Prepare(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
        "?1");
    ASSERT_TRUE(st.has_value());
    ASSERT_TRUE(st->Bind(1, table));
    ASSERT_TRUE(st->Step().value());
    EXPECT_EQ(st->ColumnInt64(0), 1) << table;
  }
}

TEST(StoreMigrationTest, ReopeningAnExistingDatabaseKeepsItsRows) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  {
    core::Result<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE((*store)->SaveRecord(EpisodeRecord(), kT0));
  }
  core::Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
  StoreCounts counts = (*store)->Counts().value();
  EXPECT_EQ(counts.shows, 1);
  EXPECT_EQ(counts.episodes, 1);
  EXPECT_EQ(counts.rating_snapshots, 1);
}

// A database written by a newer podcrawl is refused, not silently used with an
// older schema.
TEST(StoreMigrationTest, RefusesADatabaseFromANewerVersion) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  {
    core::Result<Connection> db = Connection::Open(path);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->ExecScript("PRAGMA user_version = " +
                               std::to_string(kSchemaVersion + 1)));
  }
  core::Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(store.error().message, HasSubstr("newer"));
  EXPECT_THAT(store.error().message, HasSubstr(path));
  // Nothing was created in it.
  core::Result<Connection> db = Connection::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.has_value());
  EXPECT_EQ(db->QueryInt64("SELECT count(*) FROM sqlite_schema").value(), 0);
}

// WAL lets readers run beside a crawl (DESIGN.md "Storage").
TEST(StoreMigrationTest, WalIsOnAfterOpen) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  core::Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.has_value());
  core::Result<Connection> db = Connection::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.has_value());
  EXPECT_EQ(db->QueryText("PRAGMA journal_mode").value(), "wal");
}

TEST(StoreMigrationTest, NotADatabaseFileIsAStorageError) {
  testsupport::TempDir dir;
  std::string path = dir.File("junk.db");
  std::ofstream(path) << std::string(4096, 'x');
  core::Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(store.error().message, HasSubstr("not a database"));
}

TEST(StoreMigrationTest, ReadOnlyOpenRefusesAnUnmigratedDatabase) {
  testsupport::TempDir dir;
  std::string path = dir.File("empty.db");
  ASSERT_TRUE(Connection::Open(path).has_value());  // creates an empty file
  core::Result<std::unique_ptr<Store>> store =
      Store::Open(path, StoreOptions{.read_only = true});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(store.error().message, HasSubstr("older"));
}

// Each migration step runs in one transaction: a step that fails halfway (here
// a foreign table already called "shows") leaves neither tables nor a new
// user_version behind.
TEST(StoreMigrationTest, AFailedStepLeavesTheDatabaseAsItWas) {
  testsupport::TempDir dir;
  std::string path = dir.File("foreign.db");
  {
    Connection db = Connection::Open(path).value();
    ASSERT_TRUE(db.ExecScript("CREATE TABLE fetches (something_else TEXT)"));
  }
  core::Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(store.error().message, HasSubstr("cannot migrate"));
  EXPECT_THAT(store.error().message, HasSubstr("already exists"));
  Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
  EXPECT_EQ(db.QueryInt64("PRAGMA user_version").value(), 0);
  EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM sqlite_schema WHERE name = "
                          "'shows'")
                .value(),
            0);
}

// --- dedupe and idempotence ---

TEST_F(StoreTest, SavingAShowPageTwiceLeavesTheSameRows) {
  Save(ShowRecord(), kT0);
  StoreCounts first = Counts();
  EXPECT_EQ(first.shows, 4);  // the show and its three related shows
  EXPECT_EQ(first.episodes, 0);
  EXPECT_EQ(first.related_shows, 3);
  EXPECT_EQ(first.rating_snapshots, 1);
  EXPECT_EQ(first.listener_snapshots, 2);  // Hard Fork has no listener count

  Save(ShowRecord(), kT0);
  Save(ShowRecord(), kT1);
  StoreCounts again = Counts();
  EXPECT_EQ(again.shows, first.shows);
  EXPECT_EQ(again.related_shows, first.related_shows);
  EXPECT_EQ(again.rating_snapshots, first.rating_snapshots);
  EXPECT_EQ(again.listener_snapshots, first.listener_snapshots);

  ShowRow show = Show(kShowUrl);
  EXPECT_EQ(show.url,
            kShowUrl);  // keyed by the canonical URL, not the fetched one
  EXPECT_EQ(show.name, "The Daily");
  EXPECT_EQ(show.description, "News, every weekday.");
  EXPECT_EQ(show.feed_url, "https://feeds.example.com/daily.xml");
  EXPECT_EQ(show.language, "en");
  EXPECT_EQ(show.rating_value, 4.5);
  EXPECT_EQ(show.rating_count, 1200);
  EXPECT_EQ(show.first_seen_ms, kT0);
  EXPECT_EQ(show.last_seen_ms, kT1);
  EXPECT_EQ(show.last_page_ms, kT1);
}

TEST_F(StoreTest, SavingAnEpisodePageTwiceLeavesOneEpisodeAndOneShow) {
  Save(EpisodeRecord(), kT0);
  Save(EpisodeRecord(), kT1);
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.shows, 1);
  EXPECT_EQ(counts.episodes, 1);
  EXPECT_EQ(counts.rating_snapshots, 1);

  core::Result<std::optional<EpisodeRow>> episode =
      store_->FindEpisode(kEpisodeUrl);
  ASSERT_TRUE(episode.has_value() && episode->has_value());
  const EpisodeRow& row = **episode;
  EXPECT_EQ(row.show_url, kShowUrl);
  EXPECT_EQ(row.title, "Big News");
  EXPECT_EQ(row.description, "Today: big news.");
  EXPECT_EQ(row.audio_url, "https://cdn.example.com/big-news.mp3");
  EXPECT_EQ(row.published, "2024-05-01T09:00:00Z");
  EXPECT_EQ(row.duration_s, 1800);
  EXPECT_EQ(row.language, "en");
  EXPECT_EQ(row.first_seen_ms, kT0);
  EXPECT_EQ(row.last_seen_ms, kT1);
}

// On an episode page the rating and "you may also like" are the show's
// (store.cc header).
TEST_F(StoreTest, EpisodePageRatingAndRelatedBelongToTheShow) {
  core::Record episode = EpisodeRecord();
  episode.related_shows = {
      Related("Up First", "https://goodpods.com/podcasts/up-first-1", 100)};
  Save(episode, kT0);
  ShowRow show = Show(kShowUrl);
  EXPECT_EQ(show.rating_value, 4.5);
  EXPECT_EQ(show.rating_count, 1200);
  // The episode's description is not the show's.
  EXPECT_EQ(show.description, std::nullopt);
  EXPECT_THAT(RelatedUrls(kShowUrl),
              ElementsAre("https://goodpods.com/podcasts/up-first-1"));
  EXPECT_EQ(store_->RatingHistory(kShowUrl).value().size(), 1u);
}

TEST_F(StoreTest, ShowPageAndEpisodePageShareOneShowRow) {
  Save(ShowRecord(), kT0);
  Save(EpisodeRecord(), kT1);
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.shows, 4);
  EXPECT_EQ(counts.episodes, 1);
  EXPECT_EQ(counts.rating_snapshots, 1);  // same rating on both pages
  EXPECT_EQ(counts.related_shows,
            3);  // the episode page had no list: the show's stays
}

// Null in a record never erases a known value (COALESCE(new, old)).
TEST_F(StoreTest, NullFieldsDoNotOverwriteKnownValues) {
  Save(ShowRecord(), kT0);
  core::Record sparse;
  sparse.url = kShowUrl;
  sparse.kind = core::PageKind::kShow;
  Save(sparse, kT1);
  ShowRow show = Show(kShowUrl);
  EXPECT_EQ(show.name, "The Daily");
  EXPECT_EQ(show.description, "News, every weekday.");
  EXPECT_EQ(show.rating_count, 1200);
  EXPECT_EQ(show.last_seen_ms, kT1);

  core::Record changed = ShowRecord();
  changed.description = "News, every weekday, now longer.";
  Save(changed, kT2);
  EXPECT_EQ(Show(kShowUrl).description, "News, every weekday, now longer.");
}

// A show page that links its show elsewhere (show_url) is stored under
// show_url, the key the episode pages of that show use too.
TEST_F(StoreTest, ShowUrlWinsOverThePageUrlOfAShowPage) {
  core::Record record = ShowRecord();
  record.url = "https://goodpods.com/podcasts/the-daily-123/reviews";
  record.canonical_url.reset();
  record.show_url = kShowUrl;
  Save(record, kT0);
  Save(EpisodeRecord(), kT0);
  EXPECT_EQ(Show(kShowUrl).description, "News, every weekday.");
  EXPECT_EQ(Counts().shows, 4);
}

// --- snapshots only on change ---

TEST_F(StoreTest, ChangingTheRatingCountAddsExactlyOneSnapshot) {
  Save(ShowRecord(), kT0);
  core::Record changed = ShowRecord();
  changed.rating->count = 1201;
  Save(changed, kT1);
  Save(changed, kT2);  // unchanged again
  core::Result<std::vector<RatingSnapshot>> history =
      store_->RatingHistory(kShowUrl);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].observed_ms, kT0);
  EXPECT_EQ((*history)[0].count, 1200);
  EXPECT_EQ((*history)[1].observed_ms, kT1);
  EXPECT_EQ((*history)[1].count, 1201);
  EXPECT_EQ((*history)[1].value, 4.5);
  EXPECT_EQ(Show(kShowUrl).rating_count, 1201);
}

// A page that shows only part of the rating (value without count) merges with
// what is known, so alternating page types do not make the history flap.
TEST_F(StoreTest, PartialRatingMergesWithoutANewSnapshot) {
  Save(ShowRecord(), kT0);
  core::Record partial = EpisodeRecord();
  partial.rating = core::Rating{4.5, std::nullopt};
  Save(partial, kT1);
  partial.rating = std::nullopt;
  Save(partial, kT2);
  EXPECT_EQ(Counts().rating_snapshots, 1);
  EXPECT_EQ(Show(kShowUrl).rating_count, 1200);
}

TEST_F(StoreTest, ChangingAListenerCountAddsExactlyOneSnapshot) {
  Save(ShowRecord(), kT0);
  core::Record changed = ShowRecord();
  changed.related_shows[0].listeners = 52000;
  Save(changed, kT1);
  Save(changed, kT2);
  const std::string up_first = "https://goodpods.com/podcasts/up-first-1";
  core::Result<std::vector<ListenerSnapshot>> history =
      store_->ListenerHistory(up_first);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].listeners, 51000);
  EXPECT_EQ((*history)[1].listeners, 52000);
  EXPECT_EQ((*history)[1].observed_ms, kT1);
  EXPECT_EQ(Counts().listener_snapshots, 3);
  EXPECT_EQ(Show(up_first).listeners, 52000);
  core::Result<std::vector<RelatedRow>> related =
      store_->RelatedShows(kShowUrl);
  ASSERT_TRUE(related.has_value());
  EXPECT_EQ((*related)[0].listeners, 52000);
}

// --- related shows ---

TEST_F(StoreTest, ANewRelatedListReplacesTheOldOne) {
  Save(ShowRecord(), kT0);
  core::Record next = ShowRecord();
  next.related_shows = {
      Related("Hard Fork", "https://goodpods.com/podcasts/hard-fork-3", 9000),
      Related("Serial", "https://goodpods.com/podcasts/serial-4", 70000),
  };
  Save(next, kT1);
  core::Result<std::vector<RelatedRow>> related =
      store_->RelatedShows(kShowUrl);
  ASSERT_TRUE(related.has_value());
  ASSERT_EQ(related->size(), 2u);
  EXPECT_EQ((*related)[0].url, "https://goodpods.com/podcasts/hard-fork-3");
  EXPECT_EQ((*related)[0].name, "Hard Fork");
  EXPECT_EQ((*related)[0].position, 1);
  EXPECT_EQ((*related)[0].listeners, 9000);
  EXPECT_EQ((*related)[0].observed_ms, kT1);
  EXPECT_EQ((*related)[1].url, "https://goodpods.com/podcasts/serial-4");
  EXPECT_EQ((*related)[1].position, 2);
  // Shows that left the list keep their own rows.
  EXPECT_EQ(Counts().shows, 5);
  EXPECT_EQ(Show("https://goodpods.com/podcasts/up-first-1").name, "Up First");
}

TEST_F(StoreTest, AnEmptyRelatedListKeepsTheStoredList) {
  Save(ShowRecord(), kT0);
  core::Record without = ShowRecord();
  without.related_shows.clear();
  Save(without, kT1);
  EXPECT_EQ(RelatedUrls(kShowUrl).size(), 3u);
}

TEST_F(StoreTest, RepeatsAndSelfLinksInTheRelatedListAreSkipped) {
  core::Record record = ShowRecord();
  record.related_shows = {
      Related("Up First", "https://goodpods.com/podcasts/up-first-1", 1),
      Related("The Daily", kShowUrl, 2),
      Related("Up First again", "https://goodpods.com/podcasts/up-first-1", 3),
      Related("Serial", "https://goodpods.com/podcasts/serial-4", 4),
  };
  Save(record, kT0);
  core::Result<std::vector<RelatedRow>> related =
      store_->RelatedShows(kShowUrl);
  ASSERT_TRUE(related.has_value());
  ASSERT_EQ(related->size(), 2u);
  EXPECT_EQ((*related)[0].url, "https://goodpods.com/podcasts/up-first-1");
  EXPECT_EQ((*related)[0].position, 1);
  EXPECT_EQ((*related)[1].url, "https://goodpods.com/podcasts/serial-4");
  EXPECT_EQ((*related)[1].position, 2);
  // A listed name never overrides the show's own name.
  EXPECT_EQ(Show(kShowUrl).name, "The Daily");
}

TEST_F(StoreTest, RelatedShowWithoutUrlIsKeyedByHostAndName) {
  core::Record record = ShowRecord();
  record.related_shows = {Related("  Night  Vale ", std::nullopt, 300)};
  Save(record, kT0);
  Save(record, kT1);
  std::string key = SyntheticShowKey(kShowUrl, "Night Vale");
  EXPECT_THAT(RelatedUrls(kShowUrl), ElementsAre(key));
  EXPECT_EQ(Show(key).name, "  Night  Vale ");
  EXPECT_EQ(Counts().shows, 2);
}

// A listed show's name fills a gap, but its own page's name wins.
TEST_F(StoreTest, OwnPageNameBeatsTheNameInARelatedList) {
  core::Record other;
  other.url = "https://goodpods.com/podcasts/up-first-1";
  other.kind = core::PageKind::kShow;
  other.show_name = "Up First from NPR";
  Save(other, kT0);
  Save(ShowRecord(), kT1);  // lists it as "Up First"
  EXPECT_EQ(Show("https://goodpods.com/podcasts/up-first-1").name,
            "Up First from NPR");
}

// --- show keys ---

TEST(SyntheticShowKeyTest, UsesHostAndFoldedEncodedName) {
  EXPECT_EQ(SyntheticShowKey("https://GoodPods.com/x/y",
                             "  The \t Daily\xC2\xA0Show "),
            "podcrawl-show://goodpods.com/the%20daily%20show");
  EXPECT_EQ(SyntheticShowKey("https://a.example/", "Caf\xC3\xA9 & Co"),
            "podcrawl-show://a.example/caf%C3%A9%20%26%20co");
  EXPECT_EQ(SyntheticShowKey("https://a.example/1", "X"),
            SyntheticShowKey("https://a.example/2", "x"));
  EXPECT_NE(SyntheticShowKey("https://a.example/1", "X"),
            SyntheticShowKey("https://b.example/1", "X"));
}

TEST(StorageKeyTest, NormalisesUrlsAndKeepsOthers) {
  EXPECT_EQ(StorageKey("HTTPS://Example.COM:443/a#frag"),
            "https://example.com/a");
  EXPECT_EQ(StorageKey("podcrawl-show://a.example/x"),
            "podcrawl-show://a.example/x");
}

TEST_F(StoreTest, EpisodeWithoutShowUrlUsesAStableSyntheticShowKey) {
  core::Record first = EpisodeRecord();
  first.show_url.reset();
  core::Record second = first;
  second.url = "https://goodpods.com/podcasts/the-daily-123/other-789";
  second.episode_title = "Other";
  Save(first, kT0);
  Save(second, kT0);
  Save(first, kT1);
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.shows, 1);
  EXPECT_EQ(counts.episodes, 2);
  std::string key = SyntheticShowKey(kEpisodeUrl, "The Daily");
  EXPECT_EQ(Show(key).rating_count, 1200);
  core::Result<std::optional<EpisodeRow>> episode =
      store_->FindEpisode(second.url);
  ASSERT_TRUE(episode.has_value() && episode->has_value());
  EXPECT_EQ((**episode).show_url, key);
}

TEST_F(StoreTest, EpisodeThatNamesNoShowIsStoredWithoutOne) {
  core::Record record = EpisodeRecord();
  record.show_url.reset();
  record.show_name.reset();
  record.rating.reset();
  Save(record, kT0);
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.shows, 0);
  EXPECT_EQ(counts.episodes, 1);
  core::Result<std::optional<EpisodeRow>> episode =
      store_->FindEpisode(kEpisodeUrl);
  ASSERT_TRUE(episode.has_value() && episode->has_value());
  EXPECT_EQ((**episode).show_url, std::nullopt);
  // A later page that names the show attaches it.
  Save(EpisodeRecord(), kT1);
  EXPECT_EQ(store_->FindEpisode(kEpisodeUrl).value()->show_url, kShowUrl);
}

TEST_F(StoreTest, UnknownPageWithoutShowNameStoresNothing) {
  core::Record record;
  record.url = "https://goodpods.com/about";
  record.description = "About us";
  record.related_shows = {
      Related("Up First", "https://goodpods.com/podcasts/up-first-1", 1)};
  Save(record, kT0);
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.shows, 0);
  EXPECT_EQ(counts.episodes, 0);
  EXPECT_EQ(counts.related_shows, 0);
}

// Issue 11 item 7: a page with no podcast signal (a site's index, about,
// search or careers page) is of kind unknown; the name it carries is mostly
// the site's (og:site_name), so it must not become a show, nor rate one.
TEST_F(StoreTest, UnknownPageThatNamesAShowMakesNoShowRow) {
  core::Record page;
  page.url = "https://goodpods.com/careers";
  page.kind = core::PageKind::kUnknown;
  page.show_name = "Goodpods";
  page.rating = core::Rating{4.8, 5000};
  page.related_shows = {
      Related("Up First", "https://goodpods.com/podcasts/up-first-1", 1)};
  Save(page, kT0);
  // SavePage still keeps the page's hashes and bytes.
  PageVersion version{page.url, "<html>careers</html>", "text/html"};
  core::Result<PageSaveOutcome> saved = store_->SavePage(version, page, kT0);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(*saved, PageSaveOutcome::kStored);
  EXPECT_EQ(store_->LatestArchivedPageIds().value().size(), 1U);
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.shows, 0);
  EXPECT_EQ(counts.episodes, 0);
  EXPECT_EQ(counts.related_shows, 0);
  EXPECT_EQ(counts.rating_snapshots, 0);
  EXPECT_EQ(store_->FindShow(SyntheticShowKey(page.url, "Goodpods")).value(),
            std::nullopt);

  // An episode record still makes its show, keyed by name here ...
  core::Record episode = EpisodeRecord();
  episode.show_url.reset();
  episode.show_name = "Goodpods";
  Save(episode, kT1);
  const std::string key = SyntheticShowKey(kEpisodeUrl, "Goodpods");
  ASSERT_EQ(key, SyntheticShowKey(page.url, "Goodpods"));
  EXPECT_EQ(Show(key).rating_count, 1200);
  // ... and an unknown page naming that show, or linking to a show page,
  // changes neither show row nor adds a rating snapshot.
  Save(page, kT2);
  page.show_url = kShowUrl;
  page.rating = core::Rating{3.1, 7};
  Save(page, kT2);
  counts = Counts();
  EXPECT_EQ(counts.shows, 1);
  EXPECT_EQ(counts.episodes, 1);
  EXPECT_EQ(counts.rating_snapshots, 1);
  EXPECT_EQ(counts.related_shows, 0);
  const ShowRow show = Show(key);
  EXPECT_EQ(show.rating_value, 4.5);
  EXPECT_EQ(show.rating_count, 1200);
  EXPECT_EQ(show.last_seen_ms, kT1);
  EXPECT_EQ(store_->FindShow(kShowUrl).value(), std::nullopt);
}

// --- the fetch log ---

TEST_F(StoreTest, LogFetchAppendsOneRowPerFetch) {
  FetchLogEntry ok;
  ok.url = kShowUrl;
  ok.final_url = kShowUrl;
  ok.fetched_at_ms = kT0;
  ok.status = 200;
  ok.bytes = 12345;
  ok.duration_ms = 321;
  ok.content_type = "text/html; charset=utf-8";
  ok.etag = "\"abc\"";
  ok.last_modified = "Wed, 01 May 2024 09:00:00 GMT";
  ASSERT_TRUE(store_->LogFetch(ok));
  FetchLogEntry failed;
  failed.url = "http://127.0.0.1:1/";
  failed.fetched_at_ms = kT1;
  failed.error_code = "network";
  failed.error_message = "Connection refused";
  ASSERT_TRUE(store_->LogFetch(failed));
  ASSERT_TRUE(store_->LogFetch(failed));
  EXPECT_EQ(Counts().fetches, 3);
}

TEST(StoreFetchLogTest, FetchRowsKeepEveryColumn) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  {
    std::unique_ptr<Store> store = Store::Open(path).value();
    FetchLogEntry entry;
    entry.url = "https://a.example/";
    entry.final_url = "https://a.example/final";
    entry.fetched_at_ms = kT0;
    entry.status = 404;
    entry.bytes = 10;
    entry.duration_ms = 20;
    entry.content_type = "text/html";
    entry.error_code = "http_status";
    entry.error_message = "HTTP 404";
    ASSERT_TRUE(store->LogFetch(entry));
  }
  Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
  Statement st =
      db.Prepare(
            "SELECT url, final_url, fetched_at_ms, status, bytes, duration_ms, "
            "content_type, etag, last_modified, error_code, error_message FROM "
            "fetches")
          .value();
  ASSERT_TRUE(st.Step().value());
  EXPECT_EQ(st.ColumnText(0), "https://a.example/");
  EXPECT_EQ(st.ColumnText(1), "https://a.example/final");
  EXPECT_EQ(st.ColumnInt64(2), kT0);
  EXPECT_EQ(st.ColumnInt64(3), 404);
  EXPECT_EQ(st.ColumnInt64(4), 10);
  EXPECT_EQ(st.ColumnInt64(5), 20);
  EXPECT_EQ(st.ColumnText(6), "text/html");
  EXPECT_TRUE(st.IsNull(7));
  EXPECT_TRUE(st.IsNull(8));
  EXPECT_EQ(st.ColumnText(9), "http_status");
  EXPECT_EQ(st.ColumnText(10), "HTTP 404");
}

// --- all or nothing ---

// Installs, through a second connection, a trigger that makes every insert into
// `table` fail, as a constraint error in the middle of a save would.
void BreakInsertsInto(const std::string& path, const std::string& table) {
  Connection db = Connection::Open(path).value();
  core::Status status = db.ExecScript(
      "CREATE TRIGGER fail_" + table + " BEFORE INSERT ON " + table +
      " BEGIN SELECT RAISE(ABORT, 'forced failure'); END");
  ASSERT_TRUE(status) << status.error().message;
}

void RepairInsertsInto(const std::string& path, const std::string& table) {
  Connection db = Connection::Open(path).value();
  ASSERT_TRUE(db.ExecScript("DROP TRIGGER fail_" + table));
}

TEST(StoreTransactionTest, AFailureMidwayLeavesNothingHalfWritten) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  std::unique_ptr<Store> store = Store::Open(path).value();
  // Warm the statement cache first, so the failure also hits reused statements.
  ASSERT_TRUE(store->SaveRecord(EpisodeRecord(), kT0));
  StoreCounts before = store->Counts().value();

  BreakInsertsInto(path, "related_shows");
  core::Record record = ShowRecord();
  record.rating->count = 5000;
  record.description = "changed";
  core::Status status = store->SaveRecord(record, kT1);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("forced failure"));

  StoreCounts after = store->Counts().value();
  EXPECT_EQ(after.shows, before.shows);  // neither the related shows' rows
  EXPECT_EQ(after.related_shows, 0);
  EXPECT_EQ(after.rating_snapshots, before.rating_snapshots);
  ShowRow show = store->FindShow(kShowUrl).value().value();
  EXPECT_EQ(show.rating_count, 1200);  // nor the show's update
  EXPECT_EQ(show.description, std::nullopt);

  // The store stays usable once the cause is gone.
  RepairInsertsInto(path, "related_shows");
  ASSERT_TRUE(store->SaveRecord(record, kT1));
  EXPECT_EQ(store->Counts().value().related_shows, 3);
  EXPECT_EQ(store->FindShow(kShowUrl).value()->rating_count, 5000);
}

TEST(StoreTransactionTest, SaveRecordsIsAllOrNothing) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  std::unique_ptr<Store> store = Store::Open(path).value();
  BreakInsertsInto(path, "related_shows");
  core::Status status =
      store->SaveRecords({EpisodeRecord(), ShowRecord()}, kT0);
  ASSERT_FALSE(status);
  StoreCounts counts = store->Counts().value();
  EXPECT_EQ(counts.shows, 0);
  EXPECT_EQ(counts.episodes, 0);
  RepairInsertsInto(path, "related_shows");
  ASSERT_TRUE(store->SaveRecords({EpisodeRecord(), ShowRecord()}, kT0));
  counts = store->Counts().value();
  EXPECT_EQ(counts.shows, 4);
  EXPECT_EQ(counts.episodes, 1);
}

// --- faults: read-only and full databases ---

// Tests run as root, which chmod does not stop, so the database is opened
// read-only through a "file:" URI (mode=ro) or StoreOptions::read_only.
TEST(StoreFaultTest, ReadOnlyDatabaseGivesAStorageError) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  ASSERT_TRUE(Store::Open(path).value()->SaveRecord(EpisodeRecord(), kT0));

  for (bool through_uri : {true, false}) {
    core::Result<std::unique_ptr<Store>> store =
        through_uri ? Store::Open("file:" + path + "?mode=ro")
                    : Store::Open(path, StoreOptions{.read_only = true});
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ((*store)->Counts().value().episodes, 1);  // reading works
    core::Status status = (*store)->SaveRecord(ShowRecord(), kT1);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
    EXPECT_THAT(status.error().message, HasSubstr("read-only"));
    FetchLogEntry fetch;
    fetch.url = kShowUrl;
    status = (*store)->LogFetch(fetch);
    ASSERT_FALSE(status);
    EXPECT_THAT(status.error().message, HasSubstr("read-only"));
    EXPECT_EQ((*store)->Counts().value().shows, 1);
  }
}

// A small tmpfs stands in for a full disk. Mounting needs CAP_SYS_ADMIN; the
// test skips where the sandbox does not allow it.
class TmpfsMount {
 public:
  TmpfsMount(const std::filesystem::path& dir, const std::string& size)
      : dir_(dir) {
    std::filesystem::create_directories(dir_);
    std::string options = "size=" + size;
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsMount() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST(StoreFaultTest, FullDiskGivesAStorageErrorAndKeepsTheDatabaseIntact) {
  testsupport::TempDir dir;
  TmpfsMount disk(dir.path() / "disk", "512k");
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << disk.error() << ")";
  }
  std::string path = (dir.path() / "disk" / "podcasts.db").string();
  std::unique_ptr<Store> store = Store::Open(path).value();

  core::Status status;
  int saved = 0;
  for (int i = 0; i < 200 && status; ++i) {
    core::Record record = EpisodeRecord();
    record.url = std::string(kEpisodeUrl) + "-" + std::to_string(i);
    record.description =
        std::string(16 * 1024, static_cast<char>('a' + i % 26));
    status = store->SaveRecord(record, kT0 + i);
    if (status) ++saved;
  }
  ASSERT_FALSE(status) << "512 KiB never filled up";
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("disk full"));
  EXPECT_GT(saved, 0);

  // The failed page left nothing; what was saved before is intact.
  core::Result<StoreCounts> counts = store->Counts();
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(counts->episodes, saved);
  store.reset();
  Connection db = Connection::Open(path).value();
  EXPECT_EQ(db.QueryText("PRAGMA integrity_check").value(), "ok");
}

// WAL: a reader in the middle of a read transaction (a user's sqlite3 session,
// an export) neither blocks a save nor sees it half-done.
TEST(StoreConcurrencyTest, AnOpenReaderDoesNotBlockSaves) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  std::unique_ptr<Store> store = Store::Open(path).value();
  ASSERT_TRUE(store->SaveRecord(ShowRecord(), kT0));
  Connection reader = Connection::Open(path, OpenMode::kReadOnly).value();
  ASSERT_TRUE(reader.Exec("BEGIN"));
  EXPECT_EQ(reader.QueryInt64("SELECT count(*) FROM episodes").value(), 0);
  ASSERT_TRUE(store->SaveRecord(EpisodeRecord(), kT1));
  // The reader's snapshot is stable until it ends its transaction.
  EXPECT_EQ(reader.QueryInt64("SELECT count(*) FROM episodes").value(), 0);
  ASSERT_TRUE(reader.Exec("COMMIT"));
  EXPECT_EQ(reader.QueryInt64("SELECT count(*) FROM episodes").value(), 1);
}

// Two writers: the second waits for the first's short transaction
// (busy_timeout) instead of failing with "database is locked".
TEST(StoreConcurrencyTest, ASecondWriterWaitsForTheLock) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  std::unique_ptr<Store> store = Store::Open(path).value();
  Connection other = Connection::Open(path).value();
  std::optional<Transaction> held = Transaction::Begin(other).value();
  ASSERT_TRUE(other.Exec(
      "INSERT INTO fetches (url, fetched_at_ms, status, bytes, duration_ms) "
      "VALUES ('https://a.example/', 1, 200, 1, 1)"));
  std::thread release([&held] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_TRUE(held->Commit());
  });
  core::Status status = store->SaveRecord(EpisodeRecord(), kT0);
  release.join();
  ASSERT_TRUE(status) << status.error().message;
  StoreCounts counts = store->Counts().value();
  EXPECT_EQ(counts.episodes, 1);
  EXPECT_EQ(counts.fetches, 1);
}

// When the lock is held past the busy timeout, the save fails cleanly with
// kStorage.
TEST(StoreConcurrencyTest, ALockHeldPastTheTimeoutIsAStorageError) {
  testsupport::TempDir dir;
  std::string path = dir.File("podcasts.db");
  ASSERT_TRUE(Store::Open(path).has_value());
  std::unique_ptr<Store> store =
      Store::Open(path, StoreOptions{.busy_timeout_ms = 50}).value();
  Connection other = Connection::Open(path).value();
  Transaction held = Transaction::Begin(other).value();
  core::Status status = store->SaveRecord(EpisodeRecord(), kT0);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("busy"));
  ASSERT_TRUE(held.Commit());
  EXPECT_TRUE(store->SaveRecord(EpisodeRecord(), kT0));
}

// --- threads ---

// PageHandler::OnPage may run on several worker threads; the Store serialises
// them.
TEST(StoreThreadTest, ConcurrentSavesAreSerialised) {
  testsupport::TempDir dir;
  std::unique_ptr<Store> store = Store::Open(dir.File("podcasts.db")).value();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) {
        core::Record record = EpisodeRecord();
        record.url = std::string(kEpisodeUrl) + "-" + std::to_string(t) + "-" +
                     std::to_string(i);
        EXPECT_TRUE(store->SaveRecord(record, kT0 + i));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  StoreCounts counts = store->Counts().value();
  EXPECT_EQ(counts.episodes, 100);
  EXPECT_EQ(counts.shows, 1);
}

}  // namespace
}  // namespace storage
