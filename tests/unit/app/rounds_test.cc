// app/rounds.h: scheduled rounds and the daemon's turn (README "Schedules"),
// in-process with the fake clock, a real SQLite database in a temp dir and the
// loopback test server serving a generated site.
#include "app/rounds.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app/page_pipeline.h"
#include "app/time_text.h"
#include "tests/support/db_query.h"
#include "tests/support/fake_clock.h"
#include "tests/support/site_generator.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using testsupport::QueryInt;

constexpr int64_t kEvery = 120'000;  // the schedule: every 2 minutes

// Counts the rounds' crawl ends (the progress line's reset).
class CountingObserver : public app::RoundObserver {
 public:
  void OnProgress(const crawler::CrawlStats& /*stats*/) override {}
  void OnCrawlEnd() override { ++ends; }
  int ends = 0;
};

class RoundsTest : public testing::Test {
 protected:
  void SetUp() override {
    site_ = testsupport::GenerateSite(dir_.path() / "site", 1, 2);
    server_.ServeDirectory(dir_.path() / "site");
    config_.db = dir_.File("rounds.db");
    config_.crawl.politeness.delay_ms = 0;
    config_.crawl.retry.max_attempts = 1;
    config::ScheduleConfig news;
    news.name = "news";
    news.seeds = {server_.url("/index.html")};
    news.timing.every_ms = kEvery;
    config_.schedules.push_back(news);
    auto store = storage::Store::Open(config_.db);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store).value();
    auto schedules = storage::ScheduleStore::Open(config_.db);
    ASSERT_TRUE(schedules) << schedules.error().message;
    schedules_ = std::move(schedules).value();
  }

  std::unique_ptr<app::Rounds> MakeRounds() {
    return std::make_unique<app::Rounds>(
        config_, store_.get(), schedules_.get(), &clock_, &stop_, &observer_);
  }

  int64_t RoundsInDb() const {
    return QueryInt(config_.db, "SELECT COUNT(*) FROM schedule_runs");
  }

  testsupport::TempDir dir_;
  testsupport::TestHttpServer server_;
  testsupport::GeneratedSite site_;
  config::Config config_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ScheduleStore> schedules_;
  // Near the real time: the frontier stamps recrawl times with it.
  testsupport::FakeClock clock_{core::SystemClock().NowMs()};
  std::atomic<bool> stop_{false};
  CountingObserver observer_;
};

// A schedule that never ran is due: its round queues the seeds, crawls the
// site and records an ok outcome with its counts, started at the clock's time.
TEST_F(RoundsTest, DueRoundRunsAndRecordsItsOutcome) {
  auto rounds = MakeRounds();
  auto states = rounds->States();
  ASSERT_TRUE(states) << states.error().message;
  const int64_t start = clock_.NowMs();
  const auto due = crawler::PlanDueRounds(*states, start);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_TRUE(due[0].seeds_due);

  auto run = rounds->RunRound(due[0]);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->outcome, storage::RunOutcome::kOk);
  EXPECT_EQ(run->pages, static_cast<int64_t>(site_.all_pages().size()));
  // (Links to related shows the generated site does not hold are 404s; the
  // URLs its robots.txt excludes are skips, not failures: issue 13 item 3.)
  EXPECT_EQ(run->failed,
            QueryInt(config_.db,
                     "SELECT COUNT(*) FROM frontier WHERE state = 'failed' AND "
                     "last_error <> 'robots_disallowed'"));
  EXPECT_EQ(observer_.ends, 1);

  auto last = schedules_->LastRun("news");
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((*last)->started_ms, start);
  EXPECT_EQ((*last)->outcome, storage::RunOutcome::kOk);
  EXPECT_EQ((*last)->pages, run->pages);
  EXPECT_EQ((*last)->failed, run->failed);
  EXPECT_TRUE((*last)->seeds_due);
  EXPECT_EQ(server_.requests(site_.episode_paths[1]), 1);
}

// A round whose seed cannot be fetched (a 404) fetched nothing: it fails, as
// `crawl` exits 3 then (issue 13 item 1: README "Exit codes"), with its
// failure count and why.
TEST_F(RoundsTest, RoundOfAMissingSeedFails) {
  server_.Status("/gone", 404);
  config_.schedules[0].seeds = {server_.url("/gone")};
  auto rounds = MakeRounds();
  auto run = rounds->RunRound({"news", /*seeds_due=*/true, clock_.NowMs()});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->outcome, storage::RunOutcome::kFailed);
  EXPECT_EQ(app::RoundOutcomeText(*run),
            "failed: 0 pages (0 changed), 0 not modified, 1 failed; no page "
            "could be fetched (1 failed; see the fetches table)");
  auto last = schedules_->LastRun("news");
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((*last)->failed, 1);
  EXPECT_EQ((*last)->outcome, storage::RunOutcome::kFailed);
}

// Issue 13 item 3: URLs robots.txt excludes are skips: the round is ok, its
// failure count leaves them out, and its note counts them.
TEST_F(RoundsTest, RobotsExclusionsAreNoFailures) {
  server_.Serve("/robots.txt", "User-agent: *\nDisallow: /\n", "text/plain");
  auto rounds = MakeRounds();
  auto run = rounds->RunRound({"news", /*seeds_due=*/true, clock_.NowMs()});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->outcome, storage::RunOutcome::kOk);
  EXPECT_EQ(run->failed, 0);
  EXPECT_EQ(run->message, "1 URL excluded by robots.txt");
}

// Issue 13 item 1: a refused connection to robots.txt means the site is
// down: its URL waits for a later round, and the round fails naming the host
// and the reason.
TEST_F(RoundsTest, RoundOfASiteThatIsDownFails) {
  config_.schedules[0].seeds = {
      "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort()) + "/"};
  auto rounds = MakeRounds();
  auto run = rounds->RunRound({"news", /*seeds_due=*/true, clock_.NowMs()});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->outcome, storage::RunOutcome::kFailed);
  EXPECT_EQ(run->pages, 0);
  ASSERT_TRUE(run->message.has_value());
  EXPECT_EQ(run->message->rfind("robots.txt of 127.0.0.1 unreachable: "
                                "connection refused; 1 URL waits until ",
                                0),
            0U)
      << *run->message;
  auto last = schedules_->LastRun("news");
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((*last)->message, run->message);
}

TEST_F(RoundsTest, UnknownScheduleIsAnInternalError) {
  auto rounds = MakeRounds();
  auto run = rounds->RunRound({"nope", true, clock_.NowMs()});
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(RoundsInDb(), 0);
}

// The daemon's turn runs what is due, then sleeps until the schedule is due
// again (the clock does not move during the round).
TEST_F(RoundsTest, DaemonTurnRunsTheDueRoundAndSleepsUntilTheNext) {
  auto rounds = MakeRounds();
  auto sleep_ms = app::DaemonTurn(*rounds, clock_, stop_);
  ASSERT_TRUE(sleep_ms) << sleep_ms.error().message;
  EXPECT_EQ(RoundsInDb(), 1);
  EXPECT_EQ(*sleep_ms, kEvery);
}

// Not due yet: no round, and the sleep is what is left of the interval.
TEST_F(RoundsTest, DaemonTurnSkipsWhatIsNotDue) {
  auto rounds = MakeRounds();
  ASSERT_TRUE(app::DaemonTurn(*rounds, clock_, stop_));
  ASSERT_EQ(RoundsInDb(), 1);
  clock_.Advance(30'000);
  auto sleep_ms = app::DaemonTurn(*rounds, clock_, stop_);
  ASSERT_TRUE(sleep_ms) << sleep_ms.error().message;
  EXPECT_EQ(RoundsInDb(), 1);
  EXPECT_EQ(*sleep_ms, kEvery - 30'000);
  // Due again once the interval has passed.
  clock_.Advance(kEvery - 30'000);
  ASSERT_TRUE(app::DaemonTurn(*rounds, clock_, stop_));
  EXPECT_EQ(RoundsInDb(), 2);
}

// The daemon looks at the clock at least every kMaxSleepMs, however far away
// the next round is.
TEST_F(RoundsTest, DaemonTurnSleepsAtMostMaxSleep) {
  config_.schedules[0].timing.every_ms = int64_t{24} * 3'600'000;
  auto rounds = MakeRounds();
  ASSERT_TRUE(app::DaemonTurn(*rounds, clock_, stop_));
  clock_.Advance(1000);
  auto sleep_ms = app::DaemonTurn(*rounds, clock_, stop_);
  ASSERT_TRUE(sleep_ms);
  EXPECT_EQ(*sleep_ms, app::kMaxSleepMs);
}

// Once stopping, the turn runs no round and asks for no sleep.
TEST_F(RoundsTest, DaemonTurnRunsNothingOnceStopped) {
  auto rounds = MakeRounds();
  stop_ = true;
  auto sleep_ms = app::DaemonTurn(*rounds, clock_, stop_);
  ASSERT_TRUE(sleep_ms);
  EXPECT_EQ(*sleep_ms, 0);
  EXPECT_EQ(RoundsInDb(), 0);
}

TEST_F(RoundsTest, DescribeNextNamesTheScheduleDueFirst) {
  auto rounds = MakeRounds();
  ASSERT_TRUE(app::DaemonTurn(*rounds, clock_, stop_));
  auto states = rounds->States();
  ASSERT_TRUE(states);
  const int64_t start = (*states)[0].last_start_ms.value_or(-1);
  EXPECT_EQ(app::DescribeNext(*states, clock_.NowMs()),
            "next due: news at " + app::FormatTimeMs(start + kEvery));
  EXPECT_EQ(app::DescribeNext({}, clock_.NowMs()), "nothing will be due");
}

// `schedule list` before any database exists: never ran, due now.
TEST_F(RoundsTest, StatusWithoutDatabaseIsDueNow) {
  auto status =
      app::ReadScheduleStatus(config_.schedules[0], nullptr, clock_.NowMs());
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->last.has_value());
  EXPECT_EQ(status->next_due_ms, clock_.NowMs());
  EXPECT_EQ(status->urls, 0);
  EXPECT_EQ(app::LastOutcomeText(*status, std::nullopt), "-");
}

TEST_F(RoundsTest, StatusAfterARound) {
  auto rounds = MakeRounds();
  ASSERT_TRUE(app::DaemonTurn(*rounds, clock_, stop_));
  auto status = app::ReadScheduleStatus(config_.schedules[0], schedules_.get(),
                                        clock_.NowMs());
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_TRUE(status->last.has_value());
  EXPECT_EQ(status->next_due_ms, status->last->started_ms + kEvery);
  EXPECT_GE(status->urls, static_cast<int64_t>(site_.all_pages().size()));
  EXPECT_EQ(app::LastOutcomeText(*status, std::nullopt).rfind("ok: ", 0), 0U);
  // A round still marked running is running while its process holds the
  // lock, and was interrupted otherwise.
  status->last->outcome = storage::RunOutcome::kRunning;
  EXPECT_EQ(app::LastOutcomeText(*status, 42), "running (pid 42)");
  EXPECT_EQ(app::LastOutcomeText(*status, std::nullopt),
            "interrupted (its process died)");
}

TEST(RoundsTextTest, RequireSchedulesNamesTheConfig) {
  config::Config config;
  auto none = app::RequireSchedules(config, "");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kConfig);
  EXPECT_EQ(none.error().message.rfind("no --config given: ", 0), 0U);
  auto named = app::RequireSchedules(config, "c.json");
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().message.rfind("c.json has no schedules", 0), 0U);
  config.schedules.emplace_back();
  EXPECT_TRUE(app::RequireSchedules(config, ""));
}

TEST(RoundsTextTest, WaitingNotesCountAndTimeEachHost) {
  crawler::CrawlStats stats;
  stats.waiting["a.example"] = {1, 0};
  stats.waiting["b.example"] = {3, 1'764'000'000'000};
  EXPECT_EQ(app::WaitingNotes(stats),
            (std::vector<std::string>{
                "1 URL waits for a.example until 1970-01-01T00:00:00Z",
                "3 URLs wait for b.example until 2025-11-24T16:00:00Z"}));
}

// Issue 13 item 1 and README "Exit codes": what makes a crawl fail.
TEST(RoundsTextTest, CrawlFailuresNameEachHostThatDidNotAnswer) {
  crawler::CrawlStats stats;
  stats.pages_stored = 5;
  stats.failed = 2;  // a few 404s of hosts that answered: no failure
  stats.waiting["paused.example"] = {2, 1'764'000'000'000};
  EXPECT_TRUE(app::CrawlFailures(stats).empty());

  stats.down["a.example"].robots_unreachable = "connection refused";
  stats.waiting["a.example"] = {21, 1'764'000'000'000};
  stats.down["b.example"].failed_attempts = 3;
  stats.down["b.example"].reason = "timed out";
  EXPECT_EQ(app::CrawlFailures(stats),
            (std::vector<std::string>{
                "robots.txt of a.example unreachable: connection refused; 21 "
                "URLs wait until 2025-11-24T16:00:00Z",
                "no answer from b.example: timed out (3 attempts)"}));
  // The hosts that are down are told there, not among the waiting ones.
  EXPECT_EQ(app::WaitingNotes(stats),
            (std::vector<std::string>{
                "2 URLs wait for paused.example until 2025-11-24T16:00:00Z"}));
}

TEST(RoundsTextTest, NothingFetchedWhileUrlsFailedIsAFailure) {
  crawler::CrawlStats stats;
  EXPECT_TRUE(app::CrawlFailures(stats).empty());  // nothing to do
  stats.robots_disallowed = 3;
  EXPECT_TRUE(app::CrawlFailures(stats).empty());  // skips only
  stats.failed = 1;
  EXPECT_EQ(app::CrawlFailures(stats),
            (std::vector<std::string>{"no page could be fetched (1 failed; see "
                                      "the fetches table)"}));
  stats.not_modified = 1;  // a 304 is a page fetched
  EXPECT_TRUE(app::CrawlFailures(stats).empty());
}

}  // namespace
