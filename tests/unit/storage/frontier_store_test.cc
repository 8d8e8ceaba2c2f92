// Tests of storage::OpenFrontierStore, the crawl frontier in SQLite
// (core/frontier.h): dedupe, claim order and limits, skipped hosts, the state
// moves (complete, retry, fail, requeue), recovery of in-flight URLs after a
// crash, counts, the v1 -> v2 migration, and that every query walks an index
// with a large frontier (query plans, not timings: the machine is shared).
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

  std::optional<Row> ReadRow(const std::string& url) {
    Database db = Database::Open(path_, OpenMode::kReadOnly).value();
    Statement st =
        db.Prepare(
              "SELECT state, depth, attempts, next_fetch_ms, last_fetch_ms, "
              "etag, last_modified, last_error, host FROM frontier WHERE url "
              "= ?1")
            .value();
    EXPECT_TRUE(st.Bind(1, url));
    if (!st.Step().value()) return std::nullopt;
    return Row{st.ColumnText(0),   st.ColumnInt64(1),   st.ColumnInt64(2),
               st.ColumnInt64(3),  st.OptionalInt64(4), st.OptionalText(5),
               st.OptionalText(6), st.OptionalText(7),  st.ColumnText(8)};
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
  ASSERT_TRUE(frontier_->Complete("https://a.example/done", kT0, std::nullopt,
                                  std::nullopt, {}));
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
      frontier_->Complete("https://a.example/show", kT0 + kSecond, "\"v1\"",
                          "Tue, 01 Oct 2024 10:00:00 GMT",
                          {{"https://a.example/ep/1", 1},
                           {"https://a.example/show", 1},  // known: left alone
                           {"https://b.example/x", 1}});
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
                                  "\"v2\"", std::nullopt, {}));
  row = ReadRow("https://a.example/show");
  EXPECT_EQ(row->etag, "\"v2\"");
  EXPECT_EQ(row->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
}

// The mark and the links are one transaction: when the URL is unknown, no link
// is added either.
TEST_F(FrontierStoreTest, CompleteOfAnUnknownUrlFailsAndAddsNoLinks) {
  core::Status status =
      frontier_->Complete("https://a.example/unknown", kT0, std::nullopt,
                          std::nullopt, {{"https://a.example/link", 1}});
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

TEST_F(FrontierStoreTest, RequeueQueuesDoneAndFailedUrlsAgain) {
  Add({{"https://a.example/seed", 0},
       {"https://a.example/failed", 2},
       {"https://a.example/busy", 1}},
      kT0);
  ASSERT_EQ(Claim(3, kT0).size(), 3U);
  ASSERT_TRUE(frontier_->Complete("https://a.example/seed", kT0, "\"e\"",
                                  std::nullopt, {}));
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
  ASSERT_TRUE(frontier_->Complete("https://a.example/1", kT0, std::nullopt,
                                  std::nullopt, {}));
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
    Database db = Database::Open(path_).value();
    ASSERT_TRUE(
        db.Exec("DELETE FROM frontier WHERE url = 'https://a.example/1';"
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

// --- opening and migrations ---

// Schema step 1 as released (store.cc's kMigrations never change), to make a
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
    Database db = Database::Open(path).value();
    ASSERT_TRUE(db.Exec(std::string(kSchemaV1)));
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

// The Store and the frontier open the same file, each migrating if it comes
// first.
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
    Database db = Database::Open(path, OpenMode::kReadOnly).value();
    EXPECT_EQ(db.QueryText("PRAGMA journal_mode").value(), "wal");
  }
}

TEST(FrontierMigrationTest, RefusesADatabaseFromANewerVersion) {
  testsupport::TempDir dir;
  std::string path = dir.File("newer.db");
  {
    Database db = Database::Open(path).value();
    ASSERT_TRUE(
        db.Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1)));
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
std::vector<std::string> QueryPlan(Database& db, std::string_view sql) {
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

// Expects that no statement of the frontier scans the table and that every
// SELECT and UPDATE finds its rows through an index or the primary key.
void ExpectEveryStatementUsesAnIndex(Database& db) {
  for (std::string_view sql : FrontierStatementsForTesting()) {
    std::vector<std::string> plan = QueryPlan(db, sql);
    std::string text;
    for (const std::string& line : plan) text += line + "\n";
    for (const std::string& line : plan) {
      // "SCAN frontier" or "SCAN frontier USING ...": the table walked.
      const bool scans_table =
          line == "SCAN frontier" || line.starts_with("SCAN frontier ");
      EXPECT_FALSE(scans_table) << "full scan in\n"
                                << sql << "\nplan:\n"
                                << text;
    }
    std::string_view head = sql.substr(sql.find_first_not_of(" \n"));
    if (head.starts_with("SELECT") || head.starts_with("UPDATE")) {
      EXPECT_THAT(text, ::testing::ContainsRegex("USING .*(INDEX|PRIMARY KEY)"))
          << sql;
    }
  }
}

// Expects the counts kept by triggers to match a count of the rows.
void ExpectCountsMatchRows(Database& db, const FrontierCounts& counts) {
  Statement by_state =
      db.Prepare("SELECT state, count(*) FROM frontier GROUP BY state").value();
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
      EXPECT_TRUE(
          frontier_->Complete(entry.url, now_, std::nullopt, std::nullopt,
                              {{entry.url + "/more", entry.depth + 1}}));
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
  std::printf(
      "[ measured, CPU ] %lld rows: Add %.0f ms in all, Add of 10,000 known "
      "%.0f ms, Claim(64) %.2f ms, 64 Completes %.1f ms, Claim by host %.2f "
      "ms, Claim skipping 1000 hosts %.2f ms, Counts %.2f ms, NextDueMs %.3f "
      "ms\n",
      static_cast<long long>(rows_), add_ms, add_known_ms, claim_ms,
      complete_ms, claim_by_host_ms, claim_skip_many_ms, counts_ms,
      next_due_ms);

  Database db = Database::Open(path_, OpenMode::kReadOnly).value();
  ExpectCountsMatchRows(db, frontier_->Counts(now_).value());
  ExpectEveryStatementUsesAnIndex(db);
}

}  // namespace
}  // namespace storage
