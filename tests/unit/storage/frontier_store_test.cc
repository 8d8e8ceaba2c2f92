// Tests of storage::OpenFrontierStore, the crawl frontier in SQLite
// (core/frontier.h): dedupe, claim order and limits, skipped hosts, the state
// moves (complete, retry, fail, requeue), recovery of in-flight URLs after a
// crash, counts, partitions, recrawl intervals, the referrer, RequeueDone and
// ForEachFailure, the v1 -> v4, v3 -> v4 and v4 -> v5 migrations, and that
// every query walks an index with a large frontier (query plans, not timings:
// the machine is shared).
#include "storage/frontier_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/frontier.h"
#include "core/schedule.h"
#include "storage/schedule_store.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using core::FrontierCounts;
using core::FrontierEntry;
using core::FrontierStore;
using core::NewUrl;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kSecond = 1000;

std::vector<std::string> Urls(const std::vector<FrontierEntry>& entries) {
  std::vector<std::string> urls;
  urls.reserve(entries.size());
  for (const FrontierEntry& entry : entries) urls.push_back(entry.url);
  return urls;
}

// Builds a core::PageVisit field by field (designated initializers that
// leave fields out trip -Wmissing-field-initializers).
class VisitBuilder {
 public:
  VisitBuilder& Etag(std::string etag) {
    visit_.etag = std::move(etag);
    return *this;
  }
  VisitBuilder& LastModified(std::string last_modified) {
    visit_.last_modified = std::move(last_modified);
    return *this;
  }
  VisitBuilder& Changed(bool changed) {
    visit_.changed = changed;
    return *this;
  }
  VisitBuilder& Kind(core::PageKind kind) {
    visit_.kind = kind;
    return *this;
  }
  VisitBuilder& Links(std::vector<NewUrl> links) {
    visit_.links = std::move(links);
    return *this;
  }
  operator core::PageVisit() const { return visit_; }  // NOLINT

 private:
  core::PageVisit visit_;
};

VisitBuilder Visit() { return {}; }

// One frontier row as stored, read through a separate connection.
struct Row {
  std::string state;
  int64_t depth = 0;
  int64_t attempts = 0;
  int64_t next_fetch_ms = 0;
  std::optional<int64_t> last_fetch_ms;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> last_error;
  std::string host;
  std::optional<std::string> kind;
  std::optional<int64_t> interval_ms;
};

class FrontierStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("crawl.db");
    Open();
  }

  void Open() {
    frontier_.reset();
    core::Result<std::unique_ptr<FrontierStore>> frontier =
        OpenFrontierStore(path_);
    ASSERT_TRUE(frontier.has_value()) << frontier.error().message;
    frontier_ = std::move(frontier).value();
  }

  int64_t Add(const std::vector<NewUrl>& urls, int64_t now) {
    core::Result<int64_t> added = frontier_->Add(urls, now);
    EXPECT_TRUE(added.has_value()) << added.error().message;
    return added ? *added : -1;
  }

  std::vector<FrontierEntry> Claim(size_t limit, int64_t now,
                                   const std::vector<std::string>& skip = {}) {
    core::Result<std::vector<FrontierEntry>> claimed =
        frontier_->Claim(limit, now, skip);
    EXPECT_TRUE(claimed.has_value()) << claimed.error().message;
    return claimed ? *claimed : std::vector<FrontierEntry>{};
  }

  FrontierCounts Counts(int64_t now) {
    core::Result<FrontierCounts> counts = frontier_->Counts(now);
    EXPECT_TRUE(counts.has_value()) << counts.error().message;
    return counts ? *counts : FrontierCounts{};
  }

  // Returns the row of `url` in the partition `schedule`.
  std::optional<Row> ReadRow(const std::string& url,
                             const std::string& schedule = "") {
    Connection db = Connection::Open(path_, OpenMode::kReadOnly).value();
    Statement st =
        db.Prepare(
              "SELECT state, depth, attempts, next_fetch_ms, last_fetch_ms, "
              "etag, last_modified, last_error, host, kind, interval_ms "
              "FROM frontier WHERE url = ?1 AND schedule = ?2")
            .value();
    EXPECT_TRUE(st.BindAll(url, schedule));
    if (!st.Step().value()) return std::nullopt;
    return Row{st.ColumnText(0),   st.ColumnInt64(1),   st.ColumnInt64(2),
               st.ColumnInt64(3),  st.OptionalInt64(4), st.OptionalText(5),
               st.OptionalText(6), st.OptionalText(7),  st.ColumnText(8),
               st.OptionalText(9), st.OptionalInt64(10)};
  }

  // Opens another store on the same file, on the partition `schedule`.
  std::unique_ptr<FrontierStore> OpenPartition(
      const std::string& schedule,
      std::optional<core::RecrawlPolicy> recrawl = std::nullopt) {
    core::Result<std::unique_ptr<FrontierStore>> frontier =
        OpenFrontierStore(path_, {}, FrontierPartition{schedule, recrawl});
    EXPECT_TRUE(frontier.has_value()) << frontier.error().message;
    return frontier ? std::move(frontier).value() : nullptr;
  }

  testsupport::TempDir dir_;
  std::string path_;
  std::unique_ptr<FrontierStore> frontier_;
};

// --- Add ---

TEST_F(FrontierStoreTest, AddKnowsEachUrlOnceAndCountsTheNewOnes) {
  EXPECT_EQ(Add({{"https://a.example/1", 0},
                 {"https://a.example/2", 0},
                 {"https://a.example/1", 1}},
                kT0),
            2);
  EXPECT_EQ(Add({{"https://a.example/2", 0}, {"https://a.example/3", 0}}, kT0),
            1);
  EXPECT_EQ(Add({}, kT0), 0);
  FrontierCounts counts = Counts(kT0);
  EXPECT_EQ(counts.queued, 3);
  EXPECT_EQ(counts.due, 3);
  // The first depth stays.
  EXPECT_EQ(ReadRow("https://a.example/1")->depth, 0);
}

TEST_F(FrontierStoreTest, AddStoresTheNormalisedUrlAndItsHost) {
  EXPECT_EQ(Add({{"HTTPS://News.Example.COM:443/a#top", 0}}, kT0), 1);
  EXPECT_EQ(Add({{"https://news.example.com/a", 0}}, kT0), 0);
  std::optional<Row> row = ReadRow("https://news.example.com/a");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->host, "news.example.com");
  EXPECT_EQ(row->state, "queued");
  EXPECT_EQ(row->next_fetch_ms, kT0);
}

TEST_F(FrontierStoreTest, AddLeavesKnownUrlsInAnyStateAlone) {
  Add({{"https://a.example/done", 0}, {"https://a.example/failed", 0}}, kT0);
  ASSERT_EQ(Claim(10, kT0).size(), 2U);
  ASSERT_TRUE(frontier_->Complete("https://a.example/done", kT0, {}));
  ASSERT_TRUE(frontier_->Fail("https://a.example/failed", kT0, "http_404"));
  EXPECT_EQ(
      Add({{"https://a.example/done", 0}, {"https://a.example/failed", 0}},
          kT0 + kSecond),
      0);
  EXPECT_EQ(ReadRow("https://a.example/done")->state, "done");
  EXPECT_EQ(ReadRow("https://a.example/failed")->state, "failed");
  EXPECT_THAT(Claim(10, kT0 + kSecond), IsEmpty());
}

// --- Claim ---

TEST_F(FrontierStoreTest, ClaimTakesTheEarliestDueFirstThenTheShallowest) {
  Add({{"https://a.example/late-deep", 3}}, kT0 + 2 * kSecond);
  Add({{"https://a.example/early-deep", 2},
       {"https://a.example/early-seed", 0}},
      kT0);
  Add({{"https://a.example/mid", 1}}, kT0 + kSecond);
  Add({{"https://a.example/late-shallow", 1}}, kT0 + 2 * kSecond);

  std::vector<FrontierEntry> first = Claim(3, kT0 + 10 * kSecond);
  EXPECT_THAT(Urls(first), ElementsAre("https://a.example/early-seed",
                                       "https://a.example/early-deep",
                                       "https://a.example/mid"));
  EXPECT_EQ(first[0].depth, 0);
  EXPECT_EQ(first[1].depth, 2);
  EXPECT_EQ(first[2].next_fetch_ms, kT0 + kSecond);
  // Claimed URLs are in flight: the next claim takes the rest.
  EXPECT_THAT(Urls(Claim(3, kT0 + 10 * kSecond)),
              ElementsAre("https://a.example/late-shallow",
                          "https://a.example/late-deep"));
  EXPECT_THAT(Claim(3, kT0 + 10 * kSecond), IsEmpty());
  FrontierCounts counts = Counts(kT0 + 10 * kSecond);
  EXPECT_EQ(counts.in_flight, 5);
  EXPECT_EQ(counts.queued, 0);
  std::optional<Row> row = ReadRow("https://a.example/mid");
  EXPECT_EQ(row->state, "in_flight");
  EXPECT_EQ(row->last_fetch_ms, kT0 + 10 * kSecond);
}

TEST_F(FrontierStoreTest, ClaimHonoursTheLimit) {
  std::vector<NewUrl> urls;
  urls.reserve(10);
  for (int i = 0; i < 10; ++i)
    urls.push_back({"https://a.example/" + std::to_string(i), 0});
  Add(urls, kT0);
  EXPECT_EQ(Claim(4, kT0).size(), 4U);
  EXPECT_THAT(Claim(0, kT0), IsEmpty());
  EXPECT_EQ(Claim(SIZE_MAX, kT0).size(), 6U);
}

TEST_F(FrontierStoreTest, UrlsNotDueYetAreNotClaimed) {
  Add({{"https://a.example/later", 0}}, kT0 + 60 * kSecond);
  Add({{"https://a.example/now", 0}}, kT0);
  EXPECT_THAT(Urls(Claim(10, kT0)), ElementsAre("https://a.example/now"));
  EXPECT_THAT(Claim(10, kT0 + 59 * kSecond), IsEmpty());
  FrontierCounts counts = Counts(kT0);
  EXPECT_EQ(counts.queued, 1);
  EXPECT_EQ(counts.due, 0);
  EXPECT_THAT(Urls(Claim(10, kT0 + 60 * kSecond)),
              ElementsAre("https://a.example/later"));
}

TEST_F(FrontierStoreTest, ClaimSkipsTheGivenHosts) {
  Add({{"https://a.example/1", 0},
       {"https://b.example/1", 0},
       {"https://a.example/2", 0},
       {"https://c.example/1", 0}},
      kT0);
  EXPECT_THAT(Urls(Claim(10, kT0, {"a.example", "c.example"})),
              ElementsAre("https://b.example/1"));
  EXPECT_THAT(Claim(10, kT0, {"a.example", "c.example"}), IsEmpty());
  EXPECT_THAT(Urls(Claim(10, kT0, {"a.example", "no-such.example"})),
              ElementsAre("https://c.example/1"));
  EXPECT_THAT(Urls(Claim(10, kT0)),
              ElementsAre("https://a.example/1", "https://a.example/2"));
}

// A skipped host holding every one of the earliest due URLs (a one-site crawl
// at its per-host limit, next to a second site) does not hide the other hosts'
// URLs: the claim goes host by host once the window is spent.
TEST_F(FrontierStoreTest, ClaimFindsOtherHostsBehindManyUrlsOfASkippedHost) {
  std::vector<NewUrl> busy;
  busy.reserve(2000);
  for (int i = 0; i < 2000; ++i)
    busy.push_back({"https://busy.example/" + std::to_string(i), 0});
  Add(busy, kT0);
  Add({{"https://quiet.example/b", 1}, {"https://quiet.example/a", 0}},
      kT0 + kSecond);
  Add({{"https://other.example/x", 0}}, kT0 + 2 * kSecond);
  Add({{"https://other.example/not-due", 0}}, kT0 + 100 * kSecond);

  EXPECT_THAT(
      Urls(Claim(2, kT0 + 10 * kSecond, {"busy.example"})),
      ElementsAre("https://quiet.example/a", "https://quiet.example/b"));
  EXPECT_THAT(Urls(Claim(5, kT0 + 10 * kSecond, {"busy.example"})),
              ElementsAre("https://other.example/x"));
  EXPECT_THAT(Claim(5, kT0 + 10 * kSecond, {"busy.example"}), IsEmpty());
  EXPECT_EQ(Counts(kT0 + 10 * kSecond).queued, 2001);
}

// Claim selects and marks in one BEGIN IMMEDIATE transaction: threads sharing
// a store, and two stores (two connections) on one file, never get the same
// URL twice.
TEST_F(FrontierStoreTest, ConcurrentClaimsNeverShareAUrl) {
  constexpr int kUrls = 400;
  std::vector<NewUrl> urls;
  urls.reserve(kUrls);
  for (int i = 0; i < kUrls; ++i)
    urls.push_back(
        {"https://h" + std::to_string(i % 7) + ".example/" + std::to_string(i),
         0});
  Add(urls, kT0);
  std::unique_ptr<FrontierStore> second = OpenFrontierStore(path_).value();

  std::vector<std::vector<std::string>> claimed(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    FrontierStore* store = t % 2 == 0 ? frontier_.get() : second.get();
    threads.emplace_back([store, t, &claimed] {
      while (true) {
        core::Result<std::vector<FrontierEntry>> batch =
            store->Claim(3, kT0, {});
        if (!batch || batch->empty()) break;
        for (const FrontierEntry& entry : *batch)
          claimed[static_cast<size_t>(t)].push_back(entry.url);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> distinct;
  size_t total = 0;
  for (const std::vector<std::string>& urls_of_thread : claimed) {
    total += urls_of_thread.size();
    distinct.insert(urls_of_thread.begin(), urls_of_thread.end());
  }
  EXPECT_EQ(total, static_cast<size_t>(kUrls));
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kUrls));
  EXPECT_EQ(Counts(kT0).in_flight, kUrls);
}

// --- Complete, Retry, Fail ---

TEST_F(FrontierStoreTest, CompleteRecordsValidatorsAndAddsTheLinks) {
  Add({{"https://a.example/show", 0}}, kT0);
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  core::Status status =
      frontier_->Complete("https://a.example/show", kT0 + kSecond,
                          Visit()
                              .Etag("\"v1\"")
                              .LastModified("Tue, 01 Oct 2024 10:00:00 GMT")
                              .Links({{"https://a.example/ep/1", 1},
                                      // known: left alone
                                      {"https://a.example/show", 1},
                                      {"https://b.example/x", 1}}));
  ASSERT_TRUE(status) << status.error().message;

  std::optional<Row> row = ReadRow("https://a.example/show");
  EXPECT_EQ(row->state, "done");
  EXPECT_EQ(row->etag, "\"v1\"");
  EXPECT_EQ(row->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
  EXPECT_EQ(row->last_fetch_ms, kT0 + kSecond);
  EXPECT_EQ(row->depth, 0);
  std::optional<Row> link = ReadRow("https://a.example/ep/1");
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->depth, 1);
  EXPECT_EQ(link->next_fetch_ms, kT0 + kSecond);
  EXPECT_THAT(
      Urls(Claim(10, kT0 + kSecond)),
      UnorderedElementsAre("https://a.example/ep/1", "https://b.example/x"));

  // A recrawl hands the validators back for a conditional GET.
  ASSERT_TRUE(
      frontier_->Requeue({{"https://a.example/show", 0}}, kT0 + 5 * kSecond));
  std::vector<FrontierEntry> again = Claim(1, kT0 + 5 * kSecond);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].etag, "\"v1\"");
  EXPECT_EQ(again[0].last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
  // A 304 without validators keeps the stored ones; a new ETag replaces the
  // old.
  ASSERT_TRUE(frontier_->Complete("https://a.example/show", kT0 + 6 * kSecond,
                                  Visit().Etag("\"v2\"").Changed(false)));
  row = ReadRow("https://a.example/show");
  EXPECT_EQ(row->etag, "\"v2\"");
  EXPECT_EQ(row->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
}

// The mark and the links are one transaction: when the URL is unknown, no link
// is added either.
TEST_F(FrontierStoreTest, CompleteOfAnUnknownUrlFailsAndAddsNoLinks) {
  core::Status status =
      frontier_->Complete("https://a.example/unknown", kT0,
                          Visit().Links({{"https://a.example/link", 1}}));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.error().message, HasSubstr("https://a.example/unknown"));
  EXPECT_FALSE(ReadRow("https://a.example/link").has_value());
  EXPECT_EQ(Counts(kT0).queued, 0);
}

TEST_F(FrontierStoreTest, RetryCountingAnAttemptRecordsTheError) {
  Add({{"https://a.example/x", 0}}, kT0);
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  ASSERT_TRUE(frontier_->Retry("https://a.example/x", kT0 + 30 * kSecond, true,
                               "timeout: no answer in 30 s"));
  std::optional<Row> row = ReadRow("https://a.example/x");
  EXPECT_EQ(row->state, "queued");
  EXPECT_EQ(row->attempts, 1);
  EXPECT_EQ(row->next_fetch_ms, kT0 + 30 * kSecond);
  EXPECT_EQ(row->last_error, "timeout: no answer in 30 s");
  EXPECT_THAT(Claim(1, kT0 + 29 * kSecond), IsEmpty());
  EXPECT_EQ(frontier_->NextDueMs().value(), kT0 + 30 * kSecond);

  std::vector<FrontierEntry> again = Claim(1, kT0 + 30 * kSecond);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].attempts, 1);
  ASSERT_TRUE(frontier_->Retry("https://a.example/x", kT0 + 90 * kSecond, true,
                               "network: connection reset"));
  row = ReadRow("https://a.example/x");
  EXPECT_EQ(row->attempts, 2);
  EXPECT_EQ(row->last_error, "network: connection reset");
}

// A host paused by 429 / 503: the URL waits without using up its attempts.
TEST_F(FrontierStoreTest, RetryWithoutCountingKeepsAttemptsAndError) {
  Add({{"https://a.example/x", 0}}, kT0);
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  ASSERT_TRUE(frontier_->Retry("https://a.example/x", kT0 + kSecond, true,
                               "http_status: 500"));
  ASSERT_EQ(Claim(1, kT0 + kSecond).size(), 1U);
  ASSERT_TRUE(frontier_->Retry("https://a.example/x", kT0 + 120 * kSecond,
                               false, "http_status: 429"));
  std::optional<Row> row = ReadRow("https://a.example/x");
  EXPECT_EQ(row->state, "queued");
  EXPECT_EQ(row->attempts, 1);
  EXPECT_EQ(row->last_error, "http_status: 500");
  EXPECT_EQ(row->next_fetch_ms, kT0 + 120 * kSecond);
}

TEST_F(FrontierStoreTest, FailEndsTheUrlWithItsReason) {
  Add({{"https://a.example/private/x", 0}}, kT0);
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  ASSERT_TRUE(frontier_->Fail("https://a.example/private/x", kT0 + kSecond,
                              "robots_disallowed"));
  std::optional<Row> row = ReadRow("https://a.example/private/x");
  EXPECT_EQ(row->state, "failed");
  EXPECT_EQ(row->last_error, "robots_disallowed");
  EXPECT_EQ(row->last_fetch_ms, kT0 + kSecond);
  EXPECT_THAT(Claim(1, kT0 + 10 * kSecond), IsEmpty());
  EXPECT_EQ(Counts(kT0).failed, 1);
  EXPECT_EQ(frontier_->NextDueMs().value(), std::nullopt);
}

TEST_F(FrontierStoreTest, RetryAndFailOfAnUnknownUrlAreErrors) {
  core::Status retry =
      frontier_->Retry("https://a.example/none", kT0, true, "x");
  ASSERT_FALSE(retry);
  EXPECT_EQ(retry.error().code, core::ErrorCode::kInvalidArgument);
  core::Status fail = frontier_->Fail("https://a.example/none", kT0, "x");
  ASSERT_FALSE(fail);
  EXPECT_EQ(fail.error().code, core::ErrorCode::kInvalidArgument);
}

// --- crash recovery and requeue ---

// A process that claimed URLs and died (here: the store is closed without
// completing them) leaves them in flight; the next one returns them to the
// queue and claims them again.
TEST_F(FrontierStoreTest, InFlightUrlsSurviveACrashAndAreRequeued) {
  Add({{"https://a.example/1", 0},
       {"https://a.example/2", 1},
       {"https://a.example/3", 1}},
      kT0);
  ASSERT_EQ(Claim(2, kT0).size(), 2U);
  ASSERT_TRUE(frontier_->Retry("https://a.example/3", kT0 + 50 * kSecond, true,
                               "x"));  // not in flight: stays as it is

  Open();  // a new process on the same file
  EXPECT_EQ(Counts(kT0).in_flight, 2);
  core::Result<int64_t> requeued = frontier_->RequeueInFlight(kT0 + kSecond);
  ASSERT_TRUE(requeued.has_value()) << requeued.error().message;
  EXPECT_EQ(*requeued, 2);
  EXPECT_EQ(frontier_->RequeueInFlight(kT0 + kSecond).value(), 0);
  FrontierCounts counts = Counts(kT0 + kSecond);
  EXPECT_EQ(counts.in_flight, 0);
  EXPECT_EQ(counts.queued, 3);
  EXPECT_EQ(counts.due, 2);
  // They keep their place in the claim order.
  EXPECT_THAT(Urls(Claim(10, kT0 + kSecond)),
              ElementsAre("https://a.example/1", "https://a.example/2"));
}

// The same with a real crash: a child process claims and is killed with
// SIGKILL, its connection never closed and the WAL left behind.
TEST_F(FrontierStoreTest, InFlightUrlsSurviveSigkill) {
  Add({{"https://a.example/1", 0}, {"https://a.example/2", 0}}, kT0);
  frontier_.reset();
  pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    core::Result<std::unique_ptr<FrontierStore>> frontier =
        OpenFrontierStore(path_);
    if (!frontier) _exit(2);
    core::Result<std::vector<FrontierEntry>> claimed =
        (*frontier)->Claim(1, kT0, {});
    if (!claimed || claimed->size() != 1) _exit(3);
    raise(SIGKILL);
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << status;
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  Open();
  FrontierCounts counts = Counts(kT0);
  EXPECT_EQ(counts.in_flight, 1);
  EXPECT_EQ(counts.queued, 1);
  EXPECT_EQ(frontier_->RequeueInFlight(kT0).value(), 1);
  EXPECT_THAT(Urls(Claim(10, kT0)),
              ElementsAre("https://a.example/1", "https://a.example/2"));
}

// Batches on the records store's connection: a page's record and its
// frontier state commit together. A child process stores and completes two
// pages in one batch and commits it, then a third in a second batch and is
// killed with SIGKILL before that commit: the first two are stored and done,
// the third neither stored nor done (in flight: the next start refetches it).
TEST_F(FrontierStoreTest, ABatchOnTheStoresConnectionCommitsWholeOrNotAtAll) {
  Add({{"https://a.example/1", 0},
       {"https://a.example/2", 0},
       {"https://a.example/3", 0}},
      kT0);
  frontier_.reset();
  pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    auto store = storage::Store::Open(path_);
    if (!store) _exit(2);
    auto frontier = OpenFrontierStore(store->get());
    if (!frontier) _exit(3);
    auto claimed = (*frontier)->Claim(3, kT0, {});
    if (!claimed || claimed->size() != 3) _exit(4);
    auto save_and_complete = [&](const std::string& url) {
      core::Record record;
      record.kind = core::PageKind::kShow;
      record.url = url;
      record.show_name = "Show " + url.substr(url.size() - 1);
      const std::string body = "<html>" + url + "</html>";
      storage::PageVersion version;
      version.url = url;
      version.body = body;
      auto prepared = (*store)->PreparePage(version, record, kT0);
      return prepared && (*store)->WritePage(*prepared) &&
             (*frontier)->Complete(url, kT0, core::PageVisit{});
    };
    if (!(*frontier)->BeginBatch() ||
        !save_and_complete("https://a.example/1") ||
        !save_and_complete("https://a.example/2") ||
        !(*frontier)->CommitBatch()) {
      _exit(5);
    }
    if (!(*frontier)->BeginBatch() || !save_and_complete("https://a.example/3"))
      _exit(6);
    raise(SIGKILL);
    _exit(7);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << status;

  Open();
  EXPECT_EQ(ReadRow("https://a.example/1")->state, "done");
  EXPECT_EQ(ReadRow("https://a.example/2")->state, "done");
  EXPECT_EQ(ReadRow("https://a.example/3")->state, "in_flight");
  auto store = storage::Store::Open(path_);
  ASSERT_TRUE(store);
  EXPECT_TRUE((*store)->FindShow("https://a.example/1").value().has_value());
  EXPECT_TRUE((*store)->FindShow("https://a.example/2").value().has_value());
  EXPECT_FALSE((*store)->FindShow("https://a.example/3").value().has_value());
  EXPECT_EQ(frontier_->RequeueInFlight(kT0).value(), 1);
}

// The frontier remembers which links it has rows for, and skips their lookup
// when pages link them again; only what committed counts: a link found in a
// batch whose transaction is lost is looked up, and added, again.
TEST_F(FrontierStoreTest, LinksFoundInALostBatchAreAddedAgain) {
  Add({{"https://a.example/1", 0}, {"https://a.example/2", 0}}, kT0);
  frontier_.reset();
  auto store = storage::Store::Open(path_);
  ASSERT_TRUE(store);
  auto frontier = OpenFrontierStore(store->get());
  ASSERT_TRUE(frontier);
  ASSERT_EQ((*frontier)->Claim(2, kT0, {}).value().size(), 2U);
  const auto links = [] {
    core::PageVisit visit;
    visit.links = {{"https://a.example/x", 1}};
    return visit;
  };
  ASSERT_TRUE((*frontier)->BeginBatch());
  ASSERT_TRUE((*frontier)->Complete("https://a.example/1", kT0, links()));
  ASSERT_TRUE((*frontier)->Complete("https://a.example/2", kT0, links()));
  // SQLite rolls a transaction back by itself after some I/O errors.
  ASSERT_TRUE((*store)->shared_connection()->db.ExecScript("ROLLBACK"));
  EXPECT_FALSE((*frontier)->CommitBatch());
  // A transaction that commits without the link, then a page that has it.
  ASSERT_TRUE((*frontier)->Complete("https://a.example/1", kT0, {}));
  ASSERT_TRUE((*frontier)->Complete("https://a.example/2", kT0, links()));
  frontier->reset();
  Open();
  ASSERT_TRUE(ReadRow("https://a.example/x").has_value());
  EXPECT_EQ(ReadRow("https://a.example/x")->state, "queued");
}

TEST_F(FrontierStoreTest, RequeueQueuesDoneAndFailedUrlsAgain) {
  Add({{"https://a.example/seed", 0},
       {"https://a.example/failed", 2},
       {"https://a.example/busy", 1}},
      kT0);
  ASSERT_EQ(Claim(3, kT0).size(), 3U);
  ASSERT_TRUE(frontier_->Complete("https://a.example/seed", kT0,
                                  Visit().Etag("\"e\"")));
  ASSERT_TRUE(frontier_->Retry("https://a.example/failed", kT0, true, "a"));
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  ASSERT_TRUE(frontier_->Fail("https://a.example/failed", kT0, "b"));

  core::Status status = frontier_->Requeue({{"https://a.example/seed", 0},
                                            {"https://a.example/failed", 0},
                                            {"https://a.example/busy", 0},
                                            {"https://a.example/new", 0}},
                                           kT0 + kSecond);
  ASSERT_TRUE(status) << status.error().message;
  std::optional<Row> seed = ReadRow("https://a.example/seed");
  EXPECT_EQ(seed->state, "queued");
  EXPECT_EQ(seed->next_fetch_ms, kT0 + kSecond);
  EXPECT_EQ(seed->etag, "\"e\"");  // kept for the conditional GET
  std::optional<Row> failed = ReadRow("https://a.example/failed");
  EXPECT_EQ(failed->state, "queued");
  EXPECT_EQ(failed->attempts, 0);
  EXPECT_EQ(failed->depth, 0);  // now a seed
  // In flight: its fetch is under way; left alone.
  EXPECT_EQ(ReadRow("https://a.example/busy")->state, "in_flight");
  EXPECT_EQ(ReadRow("https://a.example/new")->state, "queued");
  FrontierCounts counts = Counts(kT0 + kSecond);
  EXPECT_EQ(counts.queued, 3);
  EXPECT_EQ(counts.in_flight, 1);
  EXPECT_EQ(counts.done, 0);
  EXPECT_EQ(counts.failed, 0);
}

// `crawl --recrawl`: every done URL of the partition is queued again, its
// validators kept for the conditional GET; failed, queued and in-flight URLs
// and other partitions are left alone.
TEST_F(FrontierStoreTest, RequeueDoneQueuesOnlyThePartitionsDoneUrls) {
  Add({{"https://a.example/done", 1},
       {"https://a.example/failed", 1},
       {"https://a.example/busy", 1},
       {"https://a.example/waiting", 1}},
      kT0);
  ASSERT_EQ(Claim(3, kT0).size(), 3U);
  ASSERT_TRUE(frontier_->Complete(
      "https://a.example/done", kT0,
      Visit().Etag("\"v1\"").LastModified("Tue, 01 Oct 2024 10:00:00 GMT")));
  ASSERT_TRUE(frontier_->Fail("https://a.example/failed", kT0, "http_404"));
  std::unique_ptr<FrontierStore> other = OpenPartition("news");
  ASSERT_TRUE(other->Add({{"https://a.example/done", 0}}, kT0).has_value());
  ASSERT_EQ(other->Claim(1, kT0, {}).value().size(), 1U);
  ASSERT_TRUE(other->Complete("https://a.example/done", kT0, Visit()));

  core::Result<int64_t> requeued = frontier_->RequeueDone(kT0 + kSecond);
  ASSERT_TRUE(requeued.has_value()) << requeued.error().message;
  EXPECT_EQ(*requeued, 1);
  std::optional<Row> done = ReadRow("https://a.example/done");
  EXPECT_EQ(done->state, "queued");
  EXPECT_EQ(done->next_fetch_ms, kT0 + kSecond);
  EXPECT_EQ(done->attempts, 0);
  EXPECT_EQ(done->depth, 1);
  EXPECT_EQ(done->etag, "\"v1\"");
  EXPECT_EQ(done->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
  EXPECT_EQ(ReadRow("https://a.example/failed")->state, "failed");
  EXPECT_EQ(ReadRow("https://a.example/busy")->state, "in_flight");
  EXPECT_EQ(ReadRow("https://a.example/done", "news")->state, "done");
  // Claimed again, it carries the validators to send.
  std::vector<FrontierEntry> claimed = Claim(10, kT0 + kSecond);
  auto it = std::find_if(claimed.begin(), claimed.end(), [](const auto& e) {
    return e.url == "https://a.example/done";
  });
  ASSERT_NE(it, claimed.end());
  EXPECT_EQ(it->etag, "\"v1\"");
  EXPECT_EQ(it->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
  EXPECT_EQ(frontier_->RequeueDone(kT0 + 2 * kSecond).value(), 0);
}

// --- referrer ---

// Returns frontier.referrer of `url` in the partition `schedule` ("NULL" for
// NULL, "none" when there is no such row).
std::string Referrer(const std::string& path, const std::string& url,
                     const std::string& schedule = "") {
  Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
  Statement st = db.Prepare(
                       "SELECT coalesce(referrer, 'NULL') FROM frontier "
                       "WHERE url = ?1 AND schedule = ?2")
                     .value();
  EXPECT_TRUE(st.BindAll(url, schedule));
  if (!st.Step().value()) return "none";
  return st.ColumnText(0);
}

// Issue 13 item 12: the frontier keeps the page whose links queued each URL
// (the first one), so a failed URL can be traced back; seeds have none.
TEST_F(FrontierStoreTest, CompleteRecordsTheReferrerOfTheLinksItAdds) {
  Add({{"https://a.example/", 0}}, kT0);
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  ASSERT_TRUE(
      frontier_->Complete("https://a.example/", kT0,
                          Visit().Links({{"https://a.example/show", 1},
                                         {"https://a.example/gone", 1}})));
  EXPECT_EQ(Referrer(path_, "https://a.example/"), "NULL");
  EXPECT_EQ(Referrer(path_, "https://a.example/show"), "https://a.example/");
  EXPECT_EQ(Referrer(path_, "https://a.example/gone"), "https://a.example/");

  // Found again on another page: the first referrer stays.
  ASSERT_EQ(Claim(2, kT0).size(), 2U);
  ASSERT_TRUE(
      frontier_->Complete("https://a.example/show", kT0,
                          Visit().Links({{"https://a.example/gone", 2},
                                         {"https://a.example/ep1", 2}})));
  EXPECT_EQ(Referrer(path_, "https://a.example/gone"), "https://a.example/");
  EXPECT_EQ(Referrer(path_, "https://a.example/ep1"), "https://a.example/show");
  // Given again as a seed, it keeps where it was found.
  ASSERT_TRUE(frontier_->Requeue({{"https://a.example/ep1", 0}}, kT0));
  EXPECT_EQ(Referrer(path_, "https://a.example/ep1"), "https://a.example/show");
  // A URL first given as a seed has none.
  ASSERT_TRUE(frontier_->Requeue({{"https://a.example/x", 0}}, kT0));
  EXPECT_EQ(Referrer(path_, "https://a.example/x"), "NULL");
}

// Sitemaps (issue 13 item 10): a sitemap URL comes back from Claim marked as
// one, whether it came as a seed (Requeue) or from an index (Complete).
TEST_F(FrontierStoreTest, SitemapUrlsAreClaimedAsSitemaps) {
  NewUrl index("https://a.example/sitemap_index.xml", 0);
  index.sitemap = true;
  ASSERT_TRUE(frontier_->Requeue({index, {"https://a.example/", 0}}, kT0));
  std::vector<FrontierEntry> claimed = Claim(10, kT0);
  ASSERT_EQ(claimed.size(), 2U);
  for (const FrontierEntry& entry : claimed) {
    EXPECT_EQ(entry.sitemap, entry.url == index.url) << entry.url;
  }
  NewUrl part("https://a.example/shows.xml.gz", 0);
  part.sitemap = true;
  ASSERT_TRUE(
      frontier_->Complete(index.url, kT0,
                          Visit()
                              .Kind(core::PageKind::kSitemap)
                              .Links({part, {"https://a.example/show/1", 0}})));
  claimed = Claim(10, kT0);
  ASSERT_EQ(claimed.size(), 2U);
  for (const FrontierEntry& entry : claimed) {
    EXPECT_EQ(entry.sitemap, entry.url == part.url) << entry.url;
  }
  // The kind column is a page's; a sitemap's is left NULL.
  EXPECT_FALSE(ReadRow(index.url)->kind.has_value());
}

// A sitemap's <lastmod> later than a known page's last fetch queues it again;
// one no later leaves it alone; a page in flight is never touched.
TEST_F(FrontierStoreTest, LastmodQueuesAgainOnlyPagesChangedSinceTheirFetch) {
  Add({{"https://a.example/old", 0},
       {"https://a.example/new", 0},
       {"https://a.example/failed", 0},
       {"https://a.example/busy", 0}},
      kT0);
  ASSERT_EQ(Claim(4, kT0).size(), 4U);
  ASSERT_TRUE(frontier_->Complete("https://a.example/old", kT0, Visit()));
  ASSERT_TRUE(frontier_->Complete("https://a.example/new", kT0, Visit()));
  ASSERT_TRUE(frontier_->Fail("https://a.example/failed", kT0, "http_500"));

  auto dated = [](const std::string& url, int64_t lastmod) {
    NewUrl u(url, 0);
    u.lastmod_ms = lastmod;
    return u;
  };
  const int64_t later = kT0 + 10 * kSecond;
  EXPECT_EQ(Add({dated("https://a.example/old", kT0 - kSecond),
                 dated("https://a.example/new", kT0 + kSecond),
                 dated("https://a.example/failed", kT0 + kSecond),
                 dated("https://a.example/busy", kT0 + kSecond)},
                later),
            0);
  EXPECT_EQ(ReadRow("https://a.example/old")->state, "done");
  std::optional<Row> changed = ReadRow("https://a.example/new");
  EXPECT_EQ(changed->state, "queued");
  EXPECT_EQ(changed->next_fetch_ms, later);
  EXPECT_EQ(ReadRow("https://a.example/failed")->state, "queued");
  EXPECT_EQ(ReadRow("https://a.example/busy")->state, "in_flight");

  // crawl --recrawl: "old" was dated before its fetch and is left alone; a
  // done page no sitemap dated is queued as before.
  ASSERT_TRUE(frontier_->Complete("https://a.example/busy", later, Visit()));
  Add({{"https://a.example/undated", 0}}, later);
  ASSERT_EQ(Claim(10, later).size(), 3U);  // new, failed, undated
  ASSERT_TRUE(frontier_->Complete("https://a.example/new", later, Visit()));
  ASSERT_TRUE(frontier_->Complete("https://a.example/undated", later, Visit()));
  ASSERT_TRUE(frontier_->Complete("https://a.example/failed", later, Visit()));
  core::Result<int64_t> requeued = frontier_->RequeueDone(later + kSecond);
  ASSERT_TRUE(requeued.has_value()) << requeued.error().message;
  EXPECT_EQ(*requeued, 1);
  EXPECT_EQ(ReadRow("https://a.example/undated")->state, "queued");
  EXPECT_EQ(ReadRow("https://a.example/old")->state, "done");
  EXPECT_EQ(ReadRow("https://a.example/new")->state, "done");
}

TEST_F(FrontierStoreTest, ForEachFailureListsFailedUrlsWithReasonAndReferrer) {
  Add({{"https://a.example/", 0}}, kT0);
  ASSERT_EQ(Claim(1, kT0).size(), 1U);
  ASSERT_TRUE(
      frontier_->Complete("https://a.example/", kT0,
                          Visit().Links({{"https://a.example/gone", 1},
                                         {"https://a.example/ok", 1}})));
  ASSERT_EQ(Claim(2, kT0).size(), 2U);
  ASSERT_TRUE(frontier_->Fail("https://a.example/gone", kT0 + kSecond,
                              "http_404: HTTP status 404"));
  ASSERT_TRUE(frontier_->Complete("https://a.example/ok", kT0, Visit()));
  std::unique_ptr<FrontierStore> news = OpenPartition("news");
  ASSERT_TRUE(news->Add({{"https://b.example/seed", 0}}, kT0).has_value());
  ASSERT_EQ(news->Claim(1, kT0, {}).value().size(), 1U);
  ASSERT_TRUE(news->Fail("https://b.example/seed", kT0, "network: refused"));

  Connection db = Connection::Open(path_, OpenMode::kReadOnly).value();
  std::vector<FrontierFailure> failures;
  core::Status listed = ForEachFailure(
      db, [&](const FrontierFailure& f) { failures.push_back(f); });
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(failures.size(), 2U);
  EXPECT_EQ(failures[0].schedule, "");
  EXPECT_EQ(failures[0].url, "https://a.example/gone");
  EXPECT_EQ(failures[0].reason, "http_404: HTTP status 404");
  EXPECT_EQ(failures[0].referrer, "https://a.example/");
  EXPECT_EQ(failures[0].last_fetch_ms, kT0 + kSecond);
  EXPECT_EQ(failures[1].schedule, "news");
  EXPECT_EQ(failures[1].url, "https://b.example/seed");
  EXPECT_EQ(failures[1].reason, "network: refused");
  EXPECT_EQ(failures[1].referrer, std::nullopt);
}

// --- Counts, NextDueMs ---

TEST_F(FrontierStoreTest, CountsByState) {
  EXPECT_EQ(Counts(kT0).queued, 0);
  Add({{"https://a.example/1", 0},
       {"https://a.example/2", 0},
       {"https://a.example/3", 0},
       {"https://a.example/4", 0}},
      kT0);
  Add({{"https://a.example/later", 0}}, kT0 + 60 * kSecond);
  ASSERT_EQ(Claim(3, kT0).size(), 3U);
  ASSERT_TRUE(frontier_->Complete("https://a.example/1", kT0, {}));
  ASSERT_TRUE(frontier_->Fail("https://a.example/2", kT0, "http_404"));
  FrontierCounts counts = Counts(kT0);
  EXPECT_EQ(counts.queued, 2);
  EXPECT_EQ(counts.due, 1);
  EXPECT_EQ(counts.in_flight, 1);
  EXPECT_EQ(counts.done, 1);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(Counts(kT0 + 60 * kSecond).due, 2);
}

// The per-state counts are kept by triggers, so rows changed with plain SQL
// (sqlite3 on the crawl's database) keep them right.
TEST_F(FrontierStoreTest, CountsFollowRowsChangedWithPlainSql) {
  Add({{"https://a.example/1", 0},
       {"https://a.example/2", 0},
       {"https://a.example/3", 0}},
      kT0);
  {
    Connection db = Connection::Open(path_).value();
    ASSERT_TRUE(
        db.ExecScript("DELETE FROM frontier WHERE url = 'https://a.example/1';"
                      "UPDATE frontier SET state = 'failed' "
                      "WHERE url = 'https://a.example/2'"));
  }
  FrontierCounts counts = Counts(kT0);
  EXPECT_EQ(counts.queued, 1);
  EXPECT_EQ(counts.due, 1);
  EXPECT_EQ(counts.failed, 1);
}

TEST_F(FrontierStoreTest, NextDueMsIsTheEarliestQueuedTime) {
  EXPECT_EQ(frontier_->NextDueMs().value(), std::nullopt);
  Add({{"https://a.example/later", 0}}, kT0 + 60 * kSecond);
  Add({{"https://a.example/soon", 0}}, kT0 + 5 * kSecond);
  EXPECT_EQ(frontier_->NextDueMs().value(), kT0 + 5 * kSecond);
  ASSERT_EQ(Claim(1, kT0 + 5 * kSecond).size(), 1U);  // in flight: not queued
  EXPECT_EQ(frontier_->NextDueMs().value(), kT0 + 60 * kSecond);
}

// --- partitions ---

// Each schedule has its own frontier: the same URL in two partitions is two
// rows, and no call on one partition sees or changes the other's rows.
TEST_F(FrontierStoreTest, PartitionsAreIndependent) {
  std::unique_ptr<FrontierStore> news = OpenPartition("news");
  ASSERT_NE(news, nullptr);
  EXPECT_EQ(Add({{"https://a.example/1", 0}, {"https://a.example/2", 0}}, kT0),
            2);
  EXPECT_EQ(
      news->Add({{"https://a.example/1", 0}, {"https://b.example/x", 0}}, kT0)
          .value(),
      2);
  EXPECT_EQ(Counts(kT0).queued, 2);
  EXPECT_EQ(news->Counts(kT0).value().queued, 2);

  EXPECT_THAT(Urls(news->Claim(10, kT0, {}).value()),
              ElementsAre("https://a.example/1", "https://b.example/x"));
  EXPECT_THAT(news->Claim(10, kT0, {}).value(), IsEmpty());
  EXPECT_EQ(ReadRow("https://a.example/1")->state, "queued");
  EXPECT_EQ(ReadRow("https://a.example/1", "news")->state, "in_flight");

  // The links of a Complete go into the store's partition: a/2, known in '',
  // is new in "news".
  ASSERT_TRUE(news->Complete(
      "https://a.example/1", kT0 + kSecond,
      Visit().Etag("\"n\"").Links({{"https://a.example/2", 1}})));
  EXPECT_EQ(ReadRow("https://a.example/2", "news")->depth, 1);
  EXPECT_EQ(ReadRow("https://a.example/2")->depth, 0);
  EXPECT_EQ(ReadRow("https://a.example/1")->etag, std::nullopt);

  // A URL of another partition is unknown here.
  core::Status complete = frontier_->Complete("https://b.example/x", kT0, {});
  ASSERT_FALSE(complete);
  EXPECT_EQ(complete.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(frontier_->Retry("https://b.example/x", kT0, true, "x"));
  EXPECT_FALSE(frontier_->Fail("https://b.example/x", kT0, "x"));
  EXPECT_EQ(ReadRow("https://b.example/x", "news")->state, "in_flight");

  FrontierCounts in_news = news->Counts(kT0 + kSecond).value();
  EXPECT_EQ(in_news.queued, 1);
  EXPECT_EQ(in_news.in_flight, 1);
  EXPECT_EQ(in_news.done, 1);
  FrontierCounts in_default = Counts(kT0 + kSecond);
  EXPECT_EQ(in_default.queued, 2);
  EXPECT_EQ(in_default.in_flight, 0);
  EXPECT_EQ(in_default.done, 0);

  EXPECT_EQ(frontier_->RequeueInFlight(kT0 + kSecond).value(), 0);
  EXPECT_EQ(news->NextDueMs().value(), kT0 + kSecond);
  EXPECT_EQ(frontier_->NextDueMs().value(), kT0);
  EXPECT_EQ(news->RequeueInFlight(kT0 + kSecond).value(), 1);

  std::unique_ptr<FrontierStore> empty = OpenPartition("empty");
  EXPECT_EQ(empty->NextDueMs().value(), std::nullopt);
  FrontierCounts none = empty->Counts(kT0).value();
  EXPECT_EQ(none.queued + none.in_flight + none.done + none.failed, 0);
  EXPECT_THAT(empty->Claim(10, kT0, {}).value(), IsEmpty());
}

// The host-by-host claim (the window full of a skipped host's URLs) steps
// through the hosts of its own partition only.
TEST_F(FrontierStoreTest, HostByHostClaimStaysInItsPartition) {
  std::unique_ptr<FrontierStore> news = OpenPartition("news");
  std::vector<NewUrl> busy;
  busy.reserve(600);
  for (int i = 0; i < 600; ++i)
    busy.push_back({"https://busy.example/" + std::to_string(i), 0});
  ASSERT_EQ(news->Add(busy, kT0).value(), 600);
  Add({{"https://early.example/x", 0}}, kT0);
  ASSERT_EQ(news->Add({{"https://quiet.example/n", 0}}, kT0 + kSecond).value(),
            1);
  EXPECT_THAT(Urls(news->Claim(2, kT0 + kSecond, {"busy.example"}).value()),
              ElementsAre("https://quiet.example/n"));
  EXPECT_EQ(ReadRow("https://early.example/x")->state, "queued");
  EXPECT_THAT(Urls(Claim(2, kT0 + kSecond, {"busy.example"})),
              ElementsAre("https://early.example/x"));
}

// --- recrawl ---

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

core::RecrawlPolicy TestPolicy() {
  core::RecrawlPolicy policy;
  policy.show_ms = 4 * kHour;
  policy.episode_ms = 2 * kDay;
  policy.other_ms = kDay;
  policy.failed_ms = 12 * kHour;
  policy.min_ms = kHour;
  policy.max_ms = 10 * kDay;
  policy.changed_factor = 0.5;
  policy.unchanged_factor = 1.5;
  return policy;
}

TEST_F(FrontierStoreTest, CompleteWithAPolicySetsTheIntervalAndNextDueTime) {
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods", TestPolicy());
  ASSERT_EQ(pods->Add({{"https://a.example/show", 0}}, kT0).value(), 1);
  ASSERT_EQ(pods->Claim(1, kT0, {}).value().size(), 1U);
  const int64_t t1 = kT0 + kSecond;
  ASSERT_TRUE(pods->Complete("https://a.example/show", t1,
                             Visit()
                                 .Kind(core::PageKind::kShow)
                                 .Links({{"https://a.example/show/more", 1},
                                         {"https://a.example/ep/1", 1},
                                         {"https://a.example/other", 1}})));
  // A seed comes back when its schedule is due, never by interval.
  std::optional<Row> seed = ReadRow("https://a.example/show", "pods");
  EXPECT_EQ(seed->state, "done");
  EXPECT_EQ(seed->kind, "show");
  EXPECT_EQ(seed->interval_ms, 4 * kHour);
  EXPECT_EQ(seed->next_fetch_ms, kNeverDueMs);

  // First fetch of each link: the base interval of its kind.
  ASSERT_EQ(pods->Claim(10, t1, {}).value().size(), 3U);
  const int64_t t2 = t1 + kSecond;
  ASSERT_TRUE(pods->Complete("https://a.example/show/more", t2,
                             Visit().Kind(core::PageKind::kShow)));
  ASSERT_TRUE(pods->Complete("https://a.example/ep/1", t2,
                             Visit().Kind(core::PageKind::kEpisode)));
  ASSERT_TRUE(pods->Complete("https://a.example/other", t2, {}));
  std::optional<Row> show = ReadRow("https://a.example/show/more", "pods");
  EXPECT_EQ(show->kind, "show");
  EXPECT_EQ(show->interval_ms, 4 * kHour);
  EXPECT_EQ(show->next_fetch_ms, t2 + 4 * kHour);
  std::optional<Row> episode = ReadRow("https://a.example/ep/1", "pods");
  EXPECT_EQ(episode->kind, "episode");
  EXPECT_EQ(episode->interval_ms, 2 * kDay);
  EXPECT_EQ(episode->next_fetch_ms, t2 + 2 * kDay);
  std::optional<Row> other = ReadRow("https://a.example/other", "pods");
  EXPECT_EQ(other->kind, std::nullopt);
  EXPECT_EQ(other->interval_ms, kDay);
  EXPECT_EQ(other->next_fetch_ms, t2 + kDay);

  // Fetched again: halved after a change, 1.5 times longer after an
  // unchanged fetch (a 304 parses nothing: the stored kind stays).
  auto refetch = [&](int64_t at, const core::PageVisit& visit) {
    ASSERT_TRUE(pods->Requeue({{"https://a.example/show/more", 1}}, at));
    ASSERT_EQ(pods->Claim(1, at, {}).value().size(), 1U);
    ASSERT_TRUE(pods->Complete("https://a.example/show/more", at, visit));
  };
  const int64_t t3 = t2 + 4 * kHour;
  refetch(t3, Visit().Changed(true));
  show = ReadRow("https://a.example/show/more", "pods");
  EXPECT_EQ(show->kind, "show");
  EXPECT_EQ(show->interval_ms, 2 * kHour);
  EXPECT_EQ(show->next_fetch_ms, t3 + 2 * kHour);
  const int64_t t4 = t3 + 2 * kHour;
  refetch(t4, Visit().Etag("\"v\"").Changed(false));
  show = ReadRow("https://a.example/show/more", "pods");
  EXPECT_EQ(show->interval_ms, 3 * kHour);
  EXPECT_EQ(show->next_fetch_ms, t4 + 3 * kHour);
  EXPECT_EQ(show->etag, "\"v\"");
  const int64_t t5 = t4 + 3 * kHour;
  refetch(t5, Visit().Changed(false));
  show = ReadRow("https://a.example/show/more", "pods");
  EXPECT_EQ(show->interval_ms, 4 * kHour + 30 * 60'000);
  EXPECT_EQ(show->next_fetch_ms, t5 + 4 * kHour + 30 * 60'000);
  EXPECT_EQ(show->kind, "show");

  // Done rows wait for RequeueDuePages; they are not queued.
  FrontierCounts counts = pods->Counts(t5).value();
  EXPECT_EQ(counts.done, 4);
  EXPECT_EQ(counts.queued, 0);
  EXPECT_EQ(pods->NextDueMs().value(), std::nullopt);
}

// The interval stays within [min_ms, max_ms] however often a page changes or
// stays the same.
TEST_F(FrontierStoreTest, TheRecrawlIntervalStaysWithinItsBounds) {
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods", TestPolicy());
  ASSERT_EQ(pods->Add({{"https://a.example/ep", 1}}, kT0).value(), 1);
  int64_t now = kT0;
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(pods->Requeue({{"https://a.example/ep", 1}}, now));
    ASSERT_EQ(pods->Claim(1, now, {}).value().size(), 1U);
    ASSERT_TRUE(
        pods->Complete("https://a.example/ep", now,
                       Visit().Changed(false).Kind(core::PageKind::kEpisode)));
    now += kSecond;
  }
  EXPECT_EQ(ReadRow("https://a.example/ep", "pods")->interval_ms, 10 * kDay);
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(pods->Requeue({{"https://a.example/ep", 1}}, now));
    ASSERT_EQ(pods->Claim(1, now, {}).value().size(), 1U);
    ASSERT_TRUE(
        pods->Complete("https://a.example/ep", now, Visit().Changed(true)));
    now += kSecond;
  }
  std::optional<Row> row = ReadRow("https://a.example/ep", "pods");
  EXPECT_EQ(row->interval_ms, kHour);
  EXPECT_EQ(row->next_fetch_ms, now - kSecond + kHour);
}

TEST_F(FrontierStoreTest, FailWithAPolicyIsDueAgainAfterFailedMs) {
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods", TestPolicy());
  ASSERT_EQ(
      pods->Add({{"https://a.example/seed", 0}, {"https://a.example/gone", 1}},
                kT0)
          .value(),
      2);
  ASSERT_EQ(pods->Claim(2, kT0, {}).value().size(), 2U);
  ASSERT_TRUE(pods->Fail("https://a.example/seed", kT0 + kSecond, "http_404"));
  ASSERT_TRUE(pods->Fail("https://a.example/gone", kT0 + kSecond, "http_410"));
  std::optional<Row> seed = ReadRow("https://a.example/seed", "pods");
  EXPECT_EQ(seed->state, "failed");
  EXPECT_EQ(seed->next_fetch_ms, kNeverDueMs);
  std::optional<Row> gone = ReadRow("https://a.example/gone", "pods");
  EXPECT_EQ(gone->state, "failed");
  EXPECT_EQ(gone->last_error, "http_410");
  EXPECT_EQ(gone->next_fetch_ms, kT0 + kSecond + 12 * kHour);
  EXPECT_EQ(gone->interval_ms, std::nullopt);
}

// One-off crawls (no policy) keep the old behaviour: Complete and Fail leave
// next_fetch_ms as it was; the kind is still recorded.
TEST_F(FrontierStoreTest, WithoutAPolicyCompleteAndFailKeepTheDueTime) {
  Add({{"https://a.example/ep", 1}, {"https://a.example/gone", 1}}, kT0);
  ASSERT_EQ(Claim(2, kT0 + 5 * kSecond).size(), 2U);
  ASSERT_TRUE(frontier_->Complete("https://a.example/ep", kT0 + 6 * kSecond,
                                  Visit().Kind(core::PageKind::kEpisode)));
  ASSERT_TRUE(
      frontier_->Fail("https://a.example/gone", kT0 + 6 * kSecond, "http_404"));
  std::optional<Row> episode = ReadRow("https://a.example/ep");
  EXPECT_EQ(episode->next_fetch_ms, kT0);
  EXPECT_EQ(episode->kind, "episode");
  EXPECT_EQ(episode->interval_ms, std::nullopt);
  EXPECT_EQ(ReadRow("https://a.example/gone")->next_fetch_ms, kT0);
}

// A seed that no interval brings back is queued again by Requeue (its
// schedule came due), at once and with its validators.
TEST_F(FrontierStoreTest, RequeueBringsBackASeedThatIsNeverDue) {
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods", TestPolicy());
  ASSERT_EQ(pods->Add({{"https://a.example/seed", 0}}, kT0).value(), 1);
  ASSERT_EQ(pods->Claim(1, kT0, {}).value().size(), 1U);
  ASSERT_TRUE(
      pods->Complete("https://a.example/seed", kT0,
                     Visit().Etag("\"s\"").Kind(core::PageKind::kShow)));
  ASSERT_EQ(ReadRow("https://a.example/seed", "pods")->next_fetch_ms,
            kNeverDueMs);
  const int64_t due = kT0 + 6 * kHour;
  ASSERT_TRUE(pods->Requeue({{"https://a.example/seed", 0}}, due));
  std::vector<FrontierEntry> again = pods->Claim(1, due, {}).value();
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].next_fetch_ms, due);
  EXPECT_EQ(again[0].etag, "\"s\"");
}

TEST(FrontierPartitionTest, AnInvalidRecrawlPolicyIsRefused) {
  testsupport::TempDir dir;
  core::RecrawlPolicy policy = TestPolicy();
  policy.min_ms = 20 * kDay;  // above max_ms
  core::Result<std::unique_ptr<FrontierStore>> frontier = OpenFrontierStore(
      dir.File("bad.db"), {}, FrontierPartition{"pods", policy});
  ASSERT_FALSE(frontier.has_value());
  EXPECT_EQ(frontier.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(frontier.error().message, HasSubstr("pods"));
}

// --- opening and migrations ---

// Schema step 1 as released (schema.cc's kMigrations never change), to make a
// database as an older podcrawl left it.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE shows (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, name TEXT,
  description TEXT, feed_url TEXT, language TEXT, rating_value REAL, rating_count INTEGER,
  listeners INTEGER, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
  last_page_ms INTEGER);
CREATE TABLE episodes (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,
  show_id INTEGER REFERENCES shows(id) ON DELETE SET NULL, title TEXT, description TEXT,
  audio_url TEXT, published TEXT, duration_s INTEGER, language TEXT,
  first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL);
CREATE INDEX episodes_by_show ON episodes(show_id);
CREATE TABLE related_shows (
  show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  related_show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, listeners INTEGER, observed_ms INTEGER NOT NULL,
  PRIMARY KEY (show_id, related_show_id));
CREATE INDEX related_shows_by_related ON related_shows(related_show_id);
CREATE TABLE rating_snapshots (
  show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  observed_ms INTEGER NOT NULL, value REAL, count INTEGER, PRIMARY KEY (show_id, observed_ms));
CREATE TABLE listener_snapshots (
  show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  observed_ms INTEGER NOT NULL, listeners INTEGER NOT NULL, PRIMARY KEY (show_id, observed_ms));
CREATE TABLE fetches (id INTEGER PRIMARY KEY, url TEXT NOT NULL, final_url TEXT,
  fetched_at_ms INTEGER NOT NULL, status INTEGER NOT NULL, bytes INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL, content_type TEXT, etag TEXT, last_modified TEXT,
  error_code TEXT, error_message TEXT);
CREATE INDEX fetches_by_url ON fetches(url, fetched_at_ms);
CREATE INDEX fetches_by_time ON fetches(fetched_at_ms);
INSERT INTO shows (url, name, first_seen_ms, last_seen_ms)
  VALUES ('https://a.example/show', 'A Show', 1, 2);
INSERT INTO fetches (url, fetched_at_ms, status, bytes, duration_ms)
  VALUES ('https://a.example/show', 1, 200, 100, 5);
PRAGMA user_version = 1;
)sql";

TEST(FrontierMigrationTest, AVersionOneDatabaseMigratesAndKeepsItsRows) {
  testsupport::TempDir dir;
  std::string path = dir.File("v1.db");
  {
    Connection db = Connection::Open(path).value();
    ASSERT_TRUE(db.ExecScript(std::string(kSchemaV1)));
  }
  core::Result<std::unique_ptr<FrontierStore>> frontier =
      OpenFrontierStore(path);
  ASSERT_TRUE(frontier.has_value()) << frontier.error().message;
  ASSERT_EQ((*frontier)->Add({{"https://a.example/next", 0}}, kT0).value(), 1);

  core::Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
  StoreCounts counts = (*store)->Counts().value();
  EXPECT_EQ(counts.shows, 1);
  EXPECT_EQ(counts.fetches, 1);
  std::optional<ShowRow> show =
      (*store)->FindShow("https://a.example/show").value();
  ASSERT_TRUE(show.has_value());
  EXPECT_EQ(show->name, "A Show");
  EXPECT_EQ((*frontier)->Counts(kT0).value().queued, 1);
}

// A database as podcrawl left it at schema 3, with a frontier in every state,
// migrates to partitions: every row lands in the partition '' with its id,
// state, times and validators, the counts are recomputed from the rows, and
// the migrated frontier claims, completes and shares URLs with a new partition.
TEST(FrontierMigrationTest, AVersionThreeFrontierMovesToTheDefaultPartition) {
  testsupport::TempDir dir;
  std::string path = dir.File("v3.db");
  {
    Connection db = Connection::Open(path).value();
    ASSERT_TRUE(db.ExecScript(std::string(kSchemaV1)));
    ASSERT_TRUE(MigrateToForTesting(db, 3));
    ASSERT_TRUE(db.ExecScript(
        "INSERT INTO frontier (id, url, host, state, depth, attempts, "
        "next_fetch_ms, added_ms, last_fetch_ms, etag, last_modified, "
        "last_error) VALUES "
        "(10, 'https://a.example/q', 'a.example', 'queued', 0, 0, 1000, "
        "900, "
        "NULL, NULL, NULL, NULL),"
        "(11, 'https://a.example/later', 'a.example', 'queued', 1, 2, "
        "5000, "
        "900, 950, NULL, NULL, 'timeout'),"
        "(12, 'https://b.example/busy', 'b.example', 'in_flight', 1, 0, "
        "1000, "
        "900, 990, NULL, NULL, NULL),"
        "(13, 'https://a.example/done', 'a.example', 'done', 1, 0, 1000, "
        "900, "
        "995, '\"e\"', 'Tue, 01 Oct 2024 10:00:00 GMT', NULL),"
        "(14, 'https://c.example/gone', 'c.example', 'failed', 2, 3, 1000, "
        "900, 996, NULL, NULL, 'http_404')"));
    ASSERT_EQ(db.QueryInt64("PRAGMA user_version").value(), 3);
    ASSERT_EQ(db.QueryInt64("SELECT n FROM frontier_counts "
                            "WHERE state = 'queued'")
                  .value(),
              2);
  }
  core::Result<std::unique_ptr<FrontierStore>> opened = OpenFrontierStore(path);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  std::unique_ptr<FrontierStore> frontier = std::move(opened).value();

  FrontierCounts counts = frontier->Counts(2000).value();
  EXPECT_EQ(counts.queued, 2);
  EXPECT_EQ(counts.due, 1);
  EXPECT_EQ(counts.in_flight, 1);
  EXPECT_EQ(counts.done, 1);
  EXPECT_EQ(counts.failed, 1);
  {
    Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
    EXPECT_EQ(db.QueryInt64("PRAGMA user_version").value(), kSchemaVersion);
    EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM frontier WHERE schedule = ''")
                  .value(),
              5);
    Statement row =
        db.Prepare(
              "SELECT id, state, depth, attempts, next_fetch_ms, added_ms, "
              "last_fetch_ms, etag, last_modified, last_error, kind, "
              "interval_ms FROM frontier WHERE url = "
              "'https://a.example/done'")
            .value();
    ASSERT_TRUE(row.Step().value());
    EXPECT_EQ(row.ColumnInt64(0), 13);
    EXPECT_EQ(row.ColumnText(1), "done");
    EXPECT_EQ(row.ColumnInt64(2), 1);
    EXPECT_EQ(row.ColumnInt64(3), 0);
    EXPECT_EQ(row.ColumnInt64(4), 1000);
    EXPECT_EQ(row.ColumnInt64(5), 900);
    EXPECT_EQ(row.OptionalInt64(6), 995);
    EXPECT_EQ(row.OptionalText(7), "\"e\"");
    EXPECT_EQ(row.OptionalText(8), "Tue, 01 Oct 2024 10:00:00 GMT");
    EXPECT_EQ(row.OptionalText(9), std::nullopt);
    EXPECT_EQ(row.OptionalText(10), std::nullopt);
    EXPECT_EQ(row.OptionalInt64(11), std::nullopt);
    Statement gone = db.Prepare(
                           "SELECT id, attempts, last_error FROM frontier "
                           "WHERE url = 'https://c.example/gone'")
                         .value();
    ASSERT_TRUE(gone.Step().value());
    EXPECT_EQ(gone.ColumnInt64(0), 14);
    EXPECT_EQ(gone.ColumnInt64(1), 3);
    EXPECT_EQ(gone.OptionalText(2), "http_404");

    std::vector<std::string> count_rows;
    Statement by_state = db.Prepare(
                               "SELECT schedule, state, n FROM frontier_counts "
                               "ORDER BY schedule, state")
                             .value();
    while (by_state.Step().value()) {
      count_rows.push_back("'" + by_state.ColumnText(0) + "' " +
                           by_state.ColumnText(1) + " " +
                           std::to_string(by_state.ColumnInt64(2)));
    }
    EXPECT_THAT(count_rows, ElementsAre("'' done 1", "'' failed 1",
                                        "'' in_flight 1", "'' queued 2"));
    // The rebuild left nothing behind, and the indexes lead with the
    // partition.
    EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM sqlite_schema "
                            "WHERE name LIKE '%frontier_new%'")
                  .value(),
              0);
    EXPECT_THAT(db.QueryText("SELECT sql FROM sqlite_schema "
                             "WHERE name = 'frontier_by_due'")
                    .value(),
                HasSubstr("(schedule, state, next_fetch_ms, depth, id, host)"));
    EXPECT_THAT(db.QueryText("SELECT sql FROM sqlite_schema "
                             "WHERE name = 'frontier_by_host'")
                    .value(),
                HasSubstr("(schedule, state, host, next_fetch_ms, depth, id)"));
    EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM sqlite_schema WHERE type = "
                            "'trigger' AND tbl_name = 'frontier'")
                  .value(),
              3);
    EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM schedule_runs").value(), 0);
  }

  // The migrated frontier works on: the in-flight URL comes back, claims
  // keep their order, new rows get new ids, and a schedule may hold the
  // same URLs.
  EXPECT_EQ(frontier->RequeueInFlight(2000).value(), 1);
  std::vector<FrontierEntry> claimed = frontier->Claim(10, 2000, {}).value();
  EXPECT_THAT(Urls(claimed),
              ElementsAre("https://a.example/q", "https://b.example/busy"));
  ASSERT_TRUE(
      frontier->Complete("https://a.example/q", 2100,
                         Visit().Links({{"https://a.example/new", 1}})));
  EXPECT_EQ(frontier->Counts(2100).value().done, 2);
  std::unique_ptr<FrontierStore> news =
      OpenFrontierStore(path, {}, FrontierPartition{"news", std::nullopt})
          .value();
  EXPECT_EQ(news->Add({{"https://a.example/done", 0}}, 2100).value(), 1);
  Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
  EXPECT_GT(db.QueryInt64("SELECT id FROM frontier WHERE url = "
                          "'https://a.example/new'")
                .value(),
            14);
  EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM frontier WHERE url = "
                          "'https://a.example/done'")
                .value(),
            2);
}

// The Store and the frontier open the same file, each migrating if it comes
// first.
// Step 5 adds frontier.referrer: rows of a version 4 database keep
// everything and have no referrer; links found from then on have one.
TEST(FrontierMigrationTest, AVersionFourFrontierGainsTheReferrerColumn) {
  testsupport::TempDir dir;
  std::string path = dir.File("v4.db");
  {
    Connection db = Connection::Open(path).value();
    ASSERT_TRUE(db.ExecScript(std::string(kSchemaV1)));
    ASSERT_TRUE(MigrateToForTesting(db, 4));
    ASSERT_TRUE(db.ExecScript(
        "INSERT INTO frontier (schedule, url, host, state, depth, "
        "next_fetch_ms, added_ms) VALUES "
        "('', 'https://a.example/', 'a.example', 'queued', 0, 1000, 900)"));
    ASSERT_EQ(db.QueryInt64("PRAGMA user_version").value(), 4);
  }
  std::unique_ptr<FrontierStore> frontier = OpenFrontierStore(path).value();
  ASSERT_EQ(frontier->Claim(1, 2000, {}).value().size(), 1U);
  ASSERT_TRUE(
      frontier->Complete("https://a.example/", 2000,
                         Visit().Links({{"https://a.example/next", 1}})));
  Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
  EXPECT_EQ(db.QueryInt64("PRAGMA user_version").value(), kSchemaVersion);
  EXPECT_EQ(
      db.QueryText("SELECT group_concat(url || '<' || "
                   "coalesce(referrer, 'NULL'), ' ') FROM frontier")
          .value(),
      "https://a.example/<NULL https://a.example/next<https://a.example/");
}

TEST(FrontierMigrationTest, StoreAndFrontierOpenTheFileInEitherOrder) {
  testsupport::TempDir dir;
  for (bool frontier_first : {true, false}) {
    std::string path =
        dir.File(frontier_first ? "frontier-first.db" : "store-first.db");
    std::unique_ptr<FrontierStore> frontier;
    std::unique_ptr<Store> store;
    if (frontier_first) {
      frontier = OpenFrontierStore(path).value();
      store = Store::Open(path).value();
    } else {
      store = Store::Open(path).value();
      frontier = OpenFrontierStore(path).value();
    }
    EXPECT_EQ(store->SchemaVersion().value(), kSchemaVersion);
    EXPECT_EQ(frontier->Add({{"https://a.example/", 0}}, kT0).value(), 1);
    Connection db = Connection::Open(path, OpenMode::kReadOnly).value();
    EXPECT_EQ(db.QueryText("PRAGMA journal_mode").value(), "wal");
  }
}

TEST(FrontierMigrationTest, RefusesADatabaseFromANewerVersion) {
  testsupport::TempDir dir;
  std::string path = dir.File("newer.db");
  {
    Connection db = Connection::Open(path).value();
    ASSERT_TRUE(db.ExecScript("PRAGMA user_version = " +
                              std::to_string(kSchemaVersion + 1)));
  }
  core::Result<std::unique_ptr<FrontierStore>> frontier =
      OpenFrontierStore(path);
  ASSERT_FALSE(frontier.has_value());
  EXPECT_EQ(frontier.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(frontier.error().message, HasSubstr("newer"));
}

TEST(FrontierMigrationTest, ReadOnlyFrontierCountsButDoesNotWrite) {
  testsupport::TempDir dir;
  std::string path = dir.File("ro.db");
  {
    std::unique_ptr<FrontierStore> writer = OpenFrontierStore(path).value();
    ASSERT_EQ(writer->Add({{"https://a.example/", 0}}, kT0).value(), 1);
  }
  core::Result<std::unique_ptr<FrontierStore>> reader =
      OpenFrontierStore(path, StoreOptions{.read_only = true});
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ((*reader)->Counts(kT0).value().queued, 1);
  EXPECT_EQ((*reader)->NextDueMs().value(), kT0);
  core::Result<int64_t> added =
      (*reader)->Add({{"https://a.example/x", 0}}, kT0);
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, core::ErrorCode::kStorage);
  core::Result<std::vector<FrontierEntry>> claimed =
      (*reader)->Claim(1, kT0, {});
  ASSERT_FALSE(claimed.has_value());
  EXPECT_EQ(claimed.error().code, core::ErrorCode::kStorage);
}

// --- scale ---

// Returns EXPLAIN QUERY PLAN's lines for `sql`.
std::vector<std::string> QueryPlan(Connection& db, std::string_view sql) {
  std::vector<std::string> plan;
  core::Result<Statement> st =
      db.Prepare("EXPLAIN QUERY PLAN " + std::string(sql));
  EXPECT_TRUE(st.has_value()) << st.error().message << "\n" << sql;
  if (!st) return plan;
  while (st->Step().value()) plan.push_back(st->ColumnText(3));
  return plan;
}

// Returns the CPU milliseconds this thread spent in `fn` (wall time on a shared
// machine says more about the neighbours), for the figures the scale test
// prints.
template <typename Fn>
double CpuMs(Fn&& fn) {
  auto now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 +
           static_cast<double>(ts.tv_nsec) / 1e6;
  };
  double start = now();
  fn();
  return now() - start;
}

// Expects `entries` in claim order: earliest due first, then shallowest.
void ExpectInClaimOrder(const std::vector<FrontierEntry>& entries) {
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_LE(
        std::make_pair(entries[i - 1].next_fetch_ms, entries[i - 1].depth),
        std::make_pair(entries[i].next_fetch_ms, entries[i].depth))
        << entries[i].url;
  }
}

// Expects that none of `statements` scans a table (frontier, schedule_runs),
// that every SELECT and UPDATE finds its rows through an index or the primary
// key, and that a statement on a partition seeks to it (the partition is the
// first column of each index).
void ExpectEveryStatementUsesAnIndex(
    Connection& db, const std::vector<std::string_view>& statements) {
  for (std::string_view sql : statements) {
    std::vector<std::string> plan = QueryPlan(db, sql);
    std::string text;
    for (const std::string& line : plan) text += line + "\n";
    for (const std::string& line : plan) {
      // "SCAN frontier" or "SCAN frontier USING ...": the table walked.
      for (std::string_view table : {"frontier", "schedule_runs"}) {
        const std::string scan = "SCAN " + std::string(table);
        const bool scans_table = line == scan || line.starts_with(scan + " ");
        EXPECT_FALSE(scans_table) << "full scan in\n"
                                  << sql << "\nplan:\n"
                                  << text;
      }
    }
    std::string_view head = sql.substr(sql.find_first_not_of(" \n"));
    if (head.starts_with("SELECT") || head.starts_with("UPDATE")) {
      EXPECT_THAT(text, ::testing::ContainsRegex("USING .*(INDEX|PRIMARY KEY)"))
          << sql;
    }
    if (sql.find("schedule = ?1") != std::string_view::npos) {
      EXPECT_THAT(text, HasSubstr("(schedule=?")) << sql << "\nplan:\n" << text;
    }
  }
}

// Expects the counts kept by triggers to match a count of the rows of the
// partition ''.
void ExpectCountsMatchRows(Connection& db, const FrontierCounts& counts) {
  Statement by_state =
      db.Prepare(
            "SELECT state, count(*) FROM frontier WHERE schedule = '' "
            "GROUP BY state")
          .value();
  std::map<std::string, int64_t> counted;
  while (by_state.Step().value())
    counted[by_state.ColumnText(0)] = by_state.ColumnInt64(1);
  EXPECT_EQ(counts.queued, counted["queued"]);
  EXPECT_EQ(counts.in_flight, counted["in_flight"]);
  EXPECT_EQ(counts.done, counted["done"]);
  EXPECT_EQ(counts.failed, counted["failed"]);
}

// A large frontier, added in batches of 10,000 as a crawl adds them: the first
// half on one big host (the earliest due), the rest spread over 1,000 hosts.
// 100,000 rows by default; PODCRAWL_FRONTIER_ROWS=1000000 measures a million by
// hand. Timings are CPU times, printed and never asserted: the machine is
// shared.
class FrontierScaleTest : public ::testing::Test {
 protected:
  static constexpr int64_t kBatch = 10'000;
  static constexpr int kOtherHosts = 1000;

  void SetUp() override {
    if (const char* env = std::getenv("PODCRAWL_FRONTIER_ROWS"))
      rows_ = std::max<int64_t>(std::atoll(env), kBatch);
    path_ = dir_.File("large.db");
    frontier_ = OpenFrontierStore(path_).value();
    now_ = kT0 + rows_;
  }

  static std::string Host(int64_t i, int64_t rows) {
    return i < rows / 2 ? "big.example"
                        : "h" + std::to_string(i % kOtherHosts) + ".example";
  }

  // Adds rows_ URLs; returns the CPU ms spent in Add.
  double Fill() {
    double add_ms = 0;
    for (int64_t start = 0; start < rows_; start += kBatch) {
      std::vector<NewUrl> batch;
      batch.reserve(kBatch);
      for (int64_t i = start; i < std::min(rows_, start + kBatch); ++i) {
        batch.push_back(
            {"https://" + Host(i, rows_) + "/podcasts/" + std::to_string(i),
             static_cast<int>(i % 5)});
      }
      core::Result<int64_t> added = int64_t{0};
      add_ms += CpuMs([&] { added = frontier_->Add(batch, kT0 + start); });
      EXPECT_TRUE(added.has_value()) << added.error().message;
      EXPECT_EQ(added ? *added : -1, static_cast<int64_t>(batch.size()));
    }
    return add_ms;
  }

  int64_t rows_ = 100'000;
  int64_t now_ = 0;
  testsupport::TempDir dir_;
  std::string path_;
  std::unique_ptr<FrontierStore> frontier_;
};

// Every statement reaches its rows through an index, so a claim reads a
// handful of index pages whatever the size of the frontier, and each claim
// path returns the right URLs at scale.
TEST_F(FrontierScaleTest, ClaimsWalkAnIndexInALargeFrontier) {
  const double add_ms = Fill();
  // Links found again: the common case of a crawl's Add.
  std::vector<NewUrl> known;
  known.reserve(kBatch);
  for (int64_t i = rows_ - kBatch; i < rows_; ++i)
    known.push_back(
        {"https://" + Host(i, rows_) + "/podcasts/" + std::to_string(i), 1});
  core::Result<int64_t> added_again = int64_t{0};
  const double add_known_ms =
      CpuMs([&] { added_again = frontier_->Add(known, now_); });
  EXPECT_EQ(added_again ? *added_again : -1, 0);

  std::vector<FrontierEntry> first;
  const double claim_ms =
      CpuMs([&] { first = frontier_->Claim(64, now_, {}).value(); });
  ASSERT_EQ(first.size(), 64U);
  EXPECT_EQ(first[0].url, "https://big.example/podcasts/0");
  ExpectInClaimOrder(first);
  const double complete_ms = CpuMs([&] {
    for (const FrontierEntry& entry : first) {
      EXPECT_TRUE(frontier_->Complete(
          entry.url, now_,
          Visit().Links({{entry.url + "/more", entry.depth + 1}})));
    }
  });

  // The big host skipped: its due URLs fill the claim window, so the claim
  // goes host by host.
  std::vector<FrontierEntry> others;
  const double claim_by_host_ms = CpuMs(
      [&] { others = frontier_->Claim(64, now_, {"big.example"}).value(); });
  ASSERT_EQ(others.size(), 64U);
  ExpectInClaimOrder(others);
  for (const FrontierEntry& entry : others)
    EXPECT_THAT(entry.url, ::testing::Not(HasSubstr("big.example")));

  // Every host but the big one skipped: found within the window.
  std::vector<std::string> skip;
  skip.reserve(kOtherHosts);
  for (int h = 0; h < kOtherHosts; ++h)
    skip.push_back("h" + std::to_string(h) + ".example");
  std::vector<FrontierEntry> big;
  const double claim_skip_many_ms =
      CpuMs([&] { big = frontier_->Claim(8, now_, skip).value(); });
  ASSERT_EQ(big.size(), 8U);
  for (const FrontierEntry& entry : big)
    EXPECT_THAT(entry.url, HasSubstr("big.example"));

  FrontierCounts counts;
  const double counts_ms =
      CpuMs([&] { counts = frontier_->Counts(now_).value(); });
  EXPECT_EQ(counts.done, 64);
  EXPECT_EQ(counts.in_flight, 72);
  EXPECT_EQ(counts.queued, rows_ + 64 - 136);
  EXPECT_EQ(counts.due, counts.queued);
  // The links of the Completes were queued at now_.
  EXPECT_EQ(frontier_->Counts(now_ - 1).value().due, counts.queued - 64);
  std::optional<int64_t> next_due;
  const double next_due_ms =
      CpuMs([&] { next_due = frontier_->NextDueMs().value(); });
  EXPECT_EQ(next_due, kT0);
  EXPECT_EQ(frontier_->RequeueInFlight(now_).value(), 72);

  // A schedule's partition beside the large one, holding some of the same
  // URLs: its calls read its own rows only.
  std::unique_ptr<FrontierStore> pods =
      OpenFrontierStore(path_, {},
                        FrontierPartition{"pods", core::RecrawlPolicy{}})
          .value();
  std::vector<NewUrl> pod_urls;
  pod_urls.reserve(1000);
  for (int64_t i = 0; i < 1000; ++i)
    pod_urls.push_back(
        {"https://" + Host(i, rows_) + "/podcasts/" + std::to_string(i), 1});
  ASSERT_EQ(pods->Add(pod_urls, now_).value(), 1000);
  std::vector<FrontierEntry> pod_claim;
  const double pod_claim_ms =
      CpuMs([&] { pod_claim = pods->Claim(1000, now_, {}).value(); });
  ASSERT_EQ(pod_claim.size(), 1000U);
  for (const FrontierEntry& entry : pod_claim)
    EXPECT_EQ(entry.next_fetch_ms, now_);  // not a row of the partition ''
  const double pod_complete_ms = CpuMs([&] {
    for (const FrontierEntry& entry : pod_claim) {
      EXPECT_TRUE(pods->Complete(
          entry.url, now_,
          Visit().Changed(false).Kind(core::PageKind::kEpisode)));
    }
  });
  std::unique_ptr<ScheduleStore> schedules = ScheduleStore::Open(path_).value();
  core::Result<int64_t> requeued = int64_t{0};
  const double requeue_due_ms = CpuMs(
      [&] { requeued = schedules->RequeueDuePages("pods", now_ + kDay); });
  EXPECT_EQ(requeued.value(), 0);
  std::optional<int64_t> pods_due;
  const double next_page_due_ms =
      CpuMs([&] { pods_due = schedules->NextPageDueMs("pods").value(); });
  EXPECT_EQ(pods_due,
            now_ + core::BaseRecrawlIntervalMs(core::RecrawlPolicy{},
                                               core::PageKind::kEpisode));
  EXPECT_EQ(schedules->NextPageDueMs("").value(), kT0);
  EXPECT_EQ(schedules->PartitionSize("pods").value(), 1000);
  EXPECT_EQ(pods->Counts(now_).value().done, 1000);
  EXPECT_EQ(frontier_->Counts(now_).value().done, 64);

  std::printf(
      "[ measured, CPU ] %lld rows: Add %.0f ms in all, Add of 10,000 known "
      "%.0f ms, Claim(64) %.2f ms, 64 Completes %.1f ms, Claim by host %.2f "
      "ms, Claim skipping 1000 hosts %.2f ms, Counts %.2f ms, NextDueMs %.3f "
      "ms; beside them a partition of 1,000: Claim(1000) %.1f ms, 1000 "
      "Completes with recrawl %.1f ms, RequeueDuePages %.3f ms, "
      "NextPageDueMs %.3f ms\n",
      static_cast<long long>(rows_), add_ms, add_known_ms, claim_ms,
      complete_ms, claim_by_host_ms, claim_skip_many_ms, counts_ms, next_due_ms,
      pod_claim_ms, pod_complete_ms, requeue_due_ms, next_page_due_ms);

  Connection db = Connection::Open(path_, OpenMode::kReadOnly).value();
  ExpectCountsMatchRows(db, frontier_->Counts(now_).value());
  ExpectEveryStatementUsesAnIndex(db, FrontierStatementsForTesting());
  ExpectEveryStatementUsesAnIndex(db, ScheduleStatementsForTesting());
}

}  // namespace
}  // namespace storage
