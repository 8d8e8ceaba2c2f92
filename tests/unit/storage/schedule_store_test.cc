// Tests of storage::ScheduleStore (storage/schedule_store.h): the rounds of a
// schedule in schedule_runs (start, interrupted rounds, finish, the last
// rounds), and the schedule-wide frontier queries of a round: the recrawls
// that came due, the next due time, the partition's size. Fixed times, no
// sleeping; every query walks an index (query plans, not timings).
#include "storage/schedule_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/frontier.h"
#include "core/schedule.h"
#include "storage/frontier_store.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using core::FrontierEntry;
using core::FrontierStore;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kSecond = 1000;
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
  return policy;
}

core::PageVisit VisitOfKind(core::PageKind kind) {
  core::PageVisit visit;
  visit.kind = kind;
  return visit;
}

std::vector<std::string> Urls(const std::vector<FrontierEntry>& entries) {
  std::vector<std::string> urls;
  urls.reserve(entries.size());
  for (const FrontierEntry& entry : entries) urls.push_back(entry.url);
  return urls;
}

class ScheduleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("crawl.db");
    core::Result<std::unique_ptr<ScheduleStore>> store =
        ScheduleStore::Open(path_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(store).value();
  }

  int64_t Start(const std::string& schedule, int64_t now, bool seeds_due) {
    core::Result<int64_t> id = store_->StartRun(schedule, now, seeds_due);
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id ? *id : -1;
  }

  std::vector<ScheduleRun> Runs(const std::string& schedule,
                                int64_t limit = 100) {
    core::Result<std::vector<ScheduleRun>> runs = store_->Runs(schedule, limit);
    EXPECT_TRUE(runs.has_value()) << runs.error().message;
    return runs ? *runs : std::vector<ScheduleRun>{};
  }

  std::unique_ptr<FrontierStore> OpenPartition(
      const std::string& schedule,
      std::optional<core::RecrawlPolicy> recrawl = TestPolicy()) {
    core::Result<std::unique_ptr<FrontierStore>> frontier =
        OpenFrontierStore(path_, {}, FrontierPartition{schedule, recrawl});
    EXPECT_TRUE(frontier.has_value()) << frontier.error().message;
    return frontier ? std::move(frontier).value() : nullptr;
  }

  // Returns the state and next_fetch_ms of `url` in `schedule`.
  std::pair<std::string, int64_t> StateOf(const std::string& url,
                                          const std::string& schedule) {
    Connection db = Connection::Open(path_, OpenMode::kReadOnly).value();
    Statement st = db.Prepare(
                         "SELECT state, next_fetch_ms, attempts FROM frontier "
                         "WHERE schedule = ?1 AND url = ?2")
                       .value();
    EXPECT_TRUE(st.BindAll(schedule, url));
    if (!st.Step().value()) return {"", 0};
    return {st.ColumnText(0), st.ColumnInt64(1)};
  }

  testsupport::TempDir dir_;
  std::string path_;
  std::unique_ptr<ScheduleStore> store_;
};

// --- rounds ---

TEST(RunOutcomeTest, NamesAreTheStoredValues) {
  EXPECT_EQ(RunOutcomeName(RunOutcome::kRunning), "running");
  EXPECT_EQ(RunOutcomeName(RunOutcome::kOk), "ok");
  EXPECT_EQ(RunOutcomeName(RunOutcome::kStopped), "stopped");
  EXPECT_EQ(RunOutcomeName(RunOutcome::kFailed), "failed");
  EXPECT_EQ(RunOutcomeName(RunOutcome::kInterrupted), "interrupted");
}

TEST_F(ScheduleStoreTest, AScheduleThatNeverRanHasNoRounds) {
  EXPECT_EQ(store_->LastRun("news").value(), std::nullopt);
  EXPECT_TRUE(Runs("news").empty());
}

TEST_F(ScheduleStoreTest, StartRunInsertsARunningRound) {
  const int64_t id = Start("news", kT0, true);
  std::optional<ScheduleRun> last = store_->LastRun("news").value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->id, id);
  EXPECT_EQ(last->schedule, "news");
  EXPECT_EQ(last->started_ms, kT0);
  EXPECT_EQ(last->ended_ms, std::nullopt);
  EXPECT_EQ(last->outcome, RunOutcome::kRunning);
  EXPECT_TRUE(last->seeds_due);
  EXPECT_EQ(last->pages, 0);
  EXPECT_EQ(last->changed, 0);
  EXPECT_EQ(last->not_modified, 0);
  EXPECT_EQ(last->failed, 0);
  EXPECT_EQ(last->message, std::nullopt);
}

// A process that died mid-round left it 'running': the schedule's next round
// marks it interrupted; other schedules' rounds are not touched.
TEST_F(ScheduleStoreTest, StartRunMarksTheOlderRunningRoundsInterrupted) {
  const int64_t died = Start("news", kT0, true);
  const int64_t other = Start("sports", kT0 + kSecond, true);
  const int64_t next = Start("news", kT0 + kHour, false);
  std::vector<ScheduleRun> runs = Runs("news");
  ASSERT_EQ(runs.size(), 2U);
  EXPECT_EQ(runs[0].id, next);
  EXPECT_EQ(runs[0].outcome, RunOutcome::kRunning);
  EXPECT_FALSE(runs[0].seeds_due);
  EXPECT_EQ(runs[1].id, died);
  EXPECT_EQ(runs[1].outcome, RunOutcome::kInterrupted);
  EXPECT_EQ(runs[1].ended_ms, std::nullopt);
  std::optional<ScheduleRun> sports = store_->LastRun("sports").value();
  ASSERT_TRUE(sports.has_value());
  EXPECT_EQ(sports->id, other);
  EXPECT_EQ(sports->outcome, RunOutcome::kRunning);
}

TEST_F(ScheduleStoreTest, FinishRunRecordsTheOutcomeAndCounts) {
  ScheduleRun run;
  run.id = Start("news", kT0, true);
  run.schedule = "news";
  run.outcome = RunOutcome::kOk;
  run.pages = 7;
  run.changed = 2;
  run.not_modified = 4;
  run.failed = 1;
  ASSERT_TRUE(store_->FinishRun(run, kT0 + 90 * kSecond));
  std::optional<ScheduleRun> last = store_->LastRun("news").value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->id, run.id);
  EXPECT_EQ(last->started_ms, kT0);
  EXPECT_EQ(last->ended_ms, kT0 + 90 * kSecond);
  EXPECT_EQ(last->outcome, RunOutcome::kOk);
  EXPECT_TRUE(last->seeds_due);
  EXPECT_EQ(last->pages, 7);
  EXPECT_EQ(last->changed, 2);
  EXPECT_EQ(last->not_modified, 4);
  EXPECT_EQ(last->failed, 1);
  EXPECT_EQ(last->message, std::nullopt);

  // A finished round is not running: the next start leaves it alone.
  ScheduleRun failed;
  failed.id = Start("news", kT0 + kHour, false);
  failed.outcome = RunOutcome::kFailed;
  failed.message = "storage: disk full";
  ASSERT_TRUE(store_->FinishRun(failed, kT0 + kHour + kSecond));
  std::vector<ScheduleRun> runs = Runs("news");
  ASSERT_EQ(runs.size(), 2U);
  EXPECT_EQ(runs[0].outcome, RunOutcome::kFailed);
  EXPECT_EQ(runs[0].message, "storage: disk full");
  EXPECT_EQ(runs[1].outcome, RunOutcome::kOk);

  ScheduleRun stopped;
  stopped.id = Start("news", kT0 + 2 * kHour, true);
  stopped.outcome = RunOutcome::kStopped;
  ASSERT_TRUE(store_->FinishRun(stopped, kT0 + 2 * kHour + kSecond));
  EXPECT_EQ(store_->LastRun("news").value()->outcome, RunOutcome::kStopped);
}

TEST_F(ScheduleStoreTest, FinishRunOfAnUnknownRoundIsAnError) {
  ScheduleRun run;
  run.id = 4242;
  run.outcome = RunOutcome::kOk;
  core::Status status = store_->FinishRun(run, kT0);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.error().message, HasSubstr("4242"));
}

TEST_F(ScheduleStoreTest, RunsAreNewestFirstAndLimited) {
  const int64_t first = Start("news", kT0, true);
  const int64_t third = Start("news", kT0 + 2 * kHour, true);
  const int64_t second = Start("news", kT0 + kHour, false);
  // Two rounds started in the same millisecond: the later row is the newer.
  const int64_t fourth = Start("news", kT0 + 2 * kHour, false);
  Start("sports", kT0 + 3 * kHour, true);
  std::vector<int64_t> ids;
  for (const ScheduleRun& run : Runs("news")) ids.push_back(run.id);
  EXPECT_THAT(ids, ElementsAre(fourth, third, second, first));
  ids.clear();
  for (const ScheduleRun& run : Runs("news", 2)) ids.push_back(run.id);
  EXPECT_THAT(ids, ElementsAre(fourth, third));
  EXPECT_TRUE(Runs("news", 0).empty());
  EXPECT_EQ(store_->LastRun("news").value()->id, fourth);
}

// --- the schedule's frontier ---

// Pages come back when their recrawl time comes, and only then; seeds (never
// due by interval), queued and in-flight rows, and other schedules' rows are
// left alone.
TEST_F(ScheduleStoreTest, RequeueDuePagesQueuesExactlyTheDueOnes) {
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods");
  std::unique_ptr<FrontierStore> other = OpenPartition("other");
  ASSERT_EQ(pods->Add({{"https://a.example/seed", 0}}, kT0).value(), 1);
  ASSERT_EQ(pods->Claim(1, kT0, {}).value().size(), 1U);
  core::PageVisit seed_visit = VisitOfKind(core::PageKind::kShow);
  seed_visit.links = {{"https://a.example/show", 1},
                      {"https://a.example/ep", 1},
                      {"https://a.example/gone", 1},
                      {"https://a.example/busy", 1},
                      {"https://a.example/waiting", 1}};
  ASSERT_TRUE(pods->Complete("https://a.example/seed", kT0, seed_visit));
  ASSERT_EQ(pods->Claim(4, kT0, {}).value().size(), 4U);  // not "waiting"
  ASSERT_TRUE(pods->Complete("https://a.example/show", kT0,
                             VisitOfKind(core::PageKind::kShow)));  // +4h
  ASSERT_TRUE(pods->Complete("https://a.example/ep", kT0,
                             VisitOfKind(core::PageKind::kEpisode)));  // +2d
  // One attempt failed, then the page failed for good: due again in 12h.
  ASSERT_TRUE(pods->Retry("https://a.example/gone", kT0, true, "http_500"));
  ASSERT_THAT(Urls(pods->Claim(1, kT0, {}).value()),
              ElementsAre("https://a.example/gone"));
  ASSERT_TRUE(pods->Fail("https://a.example/gone", kT0, "http_404"));
  // The same URL due in another schedule.
  ASSERT_EQ(other->Add({{"https://a.example/show", 1}}, kT0).value(), 1);
  ASSERT_EQ(other->Claim(1, kT0, {}).value().size(), 1U);
  ASSERT_TRUE(other->Complete("https://a.example/show", kT0,
                              VisitOfKind(core::PageKind::kShow)));

  EXPECT_EQ(store_->RequeueDuePages("pods", kT0 + 4 * kHour - 1).value(), 0);
  EXPECT_EQ(store_->RequeueDuePages("pods", kT0 + 4 * kHour).value(), 1);
  EXPECT_EQ(StateOf("https://a.example/show", "pods"),
            std::make_pair(std::string("queued"), kT0 + 4 * kHour));
  EXPECT_EQ(StateOf("https://a.example/show", "other").first, "done");
  EXPECT_EQ(StateOf("https://a.example/ep", "pods").first, "done");
  EXPECT_EQ(StateOf("https://a.example/busy", "pods").first, "in_flight");
  EXPECT_EQ(StateOf("https://a.example/waiting", "pods").first, "queued");

  const int64_t later = kT0 + 3 * kDay;
  EXPECT_EQ(store_->RequeueDuePages("pods", later).value(), 2);
  EXPECT_EQ(StateOf("https://a.example/ep", "pods"),
            std::make_pair(std::string("queued"), later));
  EXPECT_EQ(StateOf("https://a.example/gone", "pods"),
            std::make_pair(std::string("queued"), later));
  EXPECT_EQ(StateOf("https://a.example/seed", "pods").first, "done");
  EXPECT_EQ(store_->RequeueDuePages("pods", later).value(), 0);

  // The requeued pages are claimed again, attempts reset, in claim order.
  std::vector<FrontierEntry> claimed = pods->Claim(10, later, {}).value();
  EXPECT_THAT(Urls(claimed), UnorderedElementsAre("https://a.example/waiting",
                                                  "https://a.example/show",
                                                  "https://a.example/ep",
                                                  "https://a.example/gone"));
  for (const FrontierEntry& entry : claimed) EXPECT_EQ(entry.attempts, 0);
  EXPECT_EQ(claimed.front().url, "https://a.example/waiting");
}

TEST_F(ScheduleStoreTest, NextPageDueMsIgnoresRowsThatAreNeverDue) {
  EXPECT_EQ(store_->NextPageDueMs("pods").value(), std::nullopt);
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods");
  ASSERT_EQ(pods->Add({{"https://a.example/seed", 0}}, kT0).value(), 1);
  EXPECT_EQ(store_->NextPageDueMs("pods").value(), kT0);  // queued
  ASSERT_EQ(pods->Claim(1, kT0, {}).value().size(), 1U);
  EXPECT_EQ(store_->NextPageDueMs("pods").value(), kT0);  // in flight
  core::PageVisit visit = VisitOfKind(core::PageKind::kShow);
  visit.links = {{"https://a.example/ep", 1}};
  ASSERT_TRUE(pods->Complete("https://a.example/seed", kT0, visit));
  ASSERT_EQ(pods->Claim(1, kT0 + kSecond, {}).value().size(), 1U);
  ASSERT_TRUE(pods->Complete("https://a.example/ep", kT0 + kSecond,
                             VisitOfKind(core::PageKind::kEpisode)));
  // The seed is done with kNeverDueMs, the episode due in 2 days.
  EXPECT_EQ(store_->NextPageDueMs("pods").value(), kT0 + kSecond + 2 * kDay);
  ASSERT_EQ(pods->Add({{"https://b.example/failing", 1}}, kT0).value(), 1);
  ASSERT_EQ(pods->Claim(1, kT0 + 2 * kSecond, {}).value().size(), 1U);
  ASSERT_TRUE(
      pods->Fail("https://b.example/failing", kT0 + 2 * kSecond, "http_500"));
  EXPECT_EQ(store_->NextPageDueMs("pods").value(),
            kT0 + 2 * kSecond + 12 * kHour);
  // Another schedule's rows do not count.
  std::unique_ptr<FrontierStore> other = OpenPartition("other");
  ASSERT_EQ(other->Add({{"https://a.example/x", 1}}, kT0 - kHour).value(), 1);
  EXPECT_EQ(store_->NextPageDueMs("pods").value(),
            kT0 + 2 * kSecond + 12 * kHour);
  EXPECT_EQ(store_->NextPageDueMs("other").value(), kT0 - kHour);

  // Only seeds left, done: nothing is due by interval.
  std::unique_ptr<FrontierStore> seeds = OpenPartition("seeds");
  ASSERT_EQ(seeds->Add({{"https://a.example/s", 0}}, kT0).value(), 1);
  ASSERT_EQ(seeds->Claim(1, kT0, {}).value().size(), 1U);
  ASSERT_TRUE(seeds->Complete("https://a.example/s", kT0, core::PageVisit{}));
  EXPECT_EQ(store_->NextPageDueMs("seeds").value(), std::nullopt);
}

TEST_F(ScheduleStoreTest, PartitionSizeCountsTheScheduleRowsInEveryState) {
  EXPECT_EQ(store_->PartitionSize("pods").value(), 0);
  std::unique_ptr<FrontierStore> pods = OpenPartition("pods");
  ASSERT_EQ(pods->Add({{"https://a.example/1", 0},
                       {"https://a.example/2", 1},
                       {"https://a.example/3", 1}},
                      kT0)
                .value(),
            3);
  ASSERT_EQ(pods->Claim(2, kT0, {}).value().size(), 2U);
  ASSERT_TRUE(pods->Complete("https://a.example/1", kT0, core::PageVisit{}));
  std::unique_ptr<FrontierStore> other = OpenPartition("other");
  ASSERT_EQ(other->Add({{"https://a.example/1", 0}}, kT0).value(), 1);
  EXPECT_EQ(store_->PartitionSize("pods").value(), 3);
  EXPECT_EQ(store_->PartitionSize("other").value(), 1);
  EXPECT_EQ(store_->PartitionSize("").value(), 0);
}

// --- opening ---

TEST_F(ScheduleStoreTest, AFreshFileGetsTheCurrentSchema) {
  Connection db = Connection::Open(path_, OpenMode::kReadOnly).value();
  EXPECT_EQ(db.QueryInt64("PRAGMA user_version").value(), kSchemaVersion);
  EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM sqlite_schema WHERE name IN "
                          "('schedule_runs', 'frontier', 'frontier_counts', "
                          "'schedule_runs_by_start')")
                .value(),
            4);
}

TEST_F(ScheduleStoreTest, ReadOnlyStoreReadsButDoesNotWrite) {
  Start("news", kT0, true);
  core::Result<std::unique_ptr<ScheduleStore>> reader =
      ScheduleStore::Open(path_, StoreOptions{.read_only = true});
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ((*reader)->LastRun("news").value()->started_ms, kT0);
  EXPECT_EQ((*reader)->NextPageDueMs("news").value(), std::nullopt);
  core::Result<int64_t> started = (*reader)->StartRun("news", kT0, true);
  ASSERT_FALSE(started.has_value());
  EXPECT_EQ(started.error().code, core::ErrorCode::kStorage);
}

// Every statement finds its rows through an index, whatever the number of
// rounds and pages.
TEST_F(ScheduleStoreTest, EveryStatementWalksAnIndex) {
  Connection db = Connection::Open(path_, OpenMode::kReadOnly).value();
  for (std::string_view sql : ScheduleStatementsForTesting()) {
    core::Result<Statement> st =
        db.Prepare("EXPLAIN QUERY PLAN " + std::string(sql));
    ASSERT_TRUE(st.has_value()) << st.error().message << "\n" << sql;
    std::string plan;
    while (st->Step().value()) plan += st->ColumnText(3) + "\n";
    EXPECT_THAT(plan, ::testing::Not(HasSubstr("SCAN frontier")))
        << sql << plan;
    EXPECT_THAT(plan, ::testing::Not(HasSubstr("SCAN schedule_runs")))
        << sql << plan;
    EXPECT_THAT(plan, ::testing::Not(HasSubstr("TEMP B-TREE"))) << sql << plan;
    std::string_view head = sql.substr(sql.find_first_not_of(" \n"));
    if (head.starts_with("SELECT") || head.starts_with("UPDATE")) {
      EXPECT_THAT(plan, ::testing::ContainsRegex("USING .*(INDEX|PRIMARY KEY)"))
          << sql;
    }
  }
}

}  // namespace
}  // namespace storage
