// Tests for crawler/scheduler.h: which schedules have a round due, in what
// order, and when a daemon wakes next. Days of rounds are simulated on a
// testsupport::FakeClock; nothing sleeps.
#include "crawler/scheduler.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/schedule.h"
#include "tests/support/fake_clock.h"
#include "tests/support/scoped_tz.h"

namespace crawler {
namespace {

using testsupport::ScopedTz;

constexpr int64_t kSecond = 1'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
// 2026-03-02 00:00:00 UTC, a Monday.
constexpr int64_t kMonday = 1'772'409'600'000;

core::ScheduleTiming Every(const char* duration) {
  core::ScheduleTiming timing;
  core::Result<int64_t> ms = core::ParseDurationMs(duration);
  EXPECT_TRUE(ms) << duration;
  timing.every_ms = ms ? *ms : 1;
  return timing;
}

core::ScheduleTiming Cron(const char* text) {
  core::ScheduleTiming timing;
  core::Result<core::CronSpec> spec = core::CronSpec::Parse(text);
  EXPECT_TRUE(spec) << text;
  if (spec) timing.cron = *spec;
  return timing;
}

ScheduleState State(std::string name, core::ScheduleTiming timing,
                    std::optional<int64_t> last_start = std::nullopt,
                    std::optional<int64_t> next_page_due = std::nullopt) {
  ScheduleState state;
  state.name = std::move(name);
  state.timing = std::move(timing);
  state.last_start_ms = last_start;
  state.next_page_due_ms = next_page_due;
  return state;
}

std::vector<std::string> Names(const std::vector<DueRound>& rounds) {
  std::vector<std::string> names;
  names.reserve(rounds.size());
  for (const DueRound& round : rounds) names.push_back(round.name);
  return names;
}

TEST(FakeClockTest, SetsAndAdvances) {
  testsupport::FakeClock clock(kMonday);
  const core::Clock& as_clock = clock;
  EXPECT_EQ(as_clock.NowMs(), kMonday);
  EXPECT_EQ(clock.Advance(6 * kHour), kMonday + 6 * kHour);
  EXPECT_EQ(clock.NowMs(), kMonday + 6 * kHour);
  clock.Set(42);
  EXPECT_EQ(clock.NowMs(), 42);
  EXPECT_EQ(clock.Advance(-2), 40);
}

TEST(FakeClockTest, AdvancesFromSeveralThreads) {
  testsupport::FakeClock clock;
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&clock] {
      for (int j = 0; j < 10'000; ++j) clock.Advance(1);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(clock.NowMs(), 40'000);
}

TEST(SystemClockTest, ReadsTheRealTime) {
  const core::SystemClock clock;
  const int64_t now = clock.NowMs();
  EXPECT_GT(now, int64_t{1'700'000'000'000});  // after November 2023
  EXPECT_LE(now, clock.NowMs());
}

TEST(PlanDueRoundsTest, NothingToPlan) {
  EXPECT_TRUE(PlanDueRounds({}, kMonday).empty());
  EXPECT_EQ(NextWakeMs({}, kMonday), std::nullopt);
}

TEST(PlanDueRoundsTest, NeverRunScheduleIsDueNowWithItsSeeds) {
  const std::vector<DueRound> rounds =
      PlanDueRounds({State("news", Every("6h"))}, kMonday);
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_EQ(rounds[0].name, "news");
  EXPECT_TRUE(rounds[0].seeds_due);
  EXPECT_EQ(rounds[0].due_ms, kMonday);
}

TEST(PlanDueRoundsTest, ScheduleNotYetDue) {
  const std::vector<ScheduleState> states = {
      State("news", Every("6h"), kMonday)};
  EXPECT_TRUE(PlanDueRounds(states, kMonday + 6 * kHour - 1).empty());
  EXPECT_EQ(NextWakeMs(states, kMonday + kHour), kMonday + 6 * kHour);
  // Due exactly at last start + every.
  const std::vector<DueRound> rounds =
      PlanDueRounds(states, kMonday + 6 * kHour);
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_TRUE(rounds[0].seeds_due);
  EXPECT_EQ(rounds[0].due_ms, kMonday + 6 * kHour);
}

// A page whose recrawl interval passed makes a round without the seeds.
TEST(PlanDueRoundsTest, DuePageAloneMakesARoundWithoutSeeds) {
  const std::vector<ScheduleState> states = {
      State("news", Every("1d"), kMonday, kMonday + 2 * kHour)};
  EXPECT_TRUE(PlanDueRounds(states, kMonday + kHour).empty());
  const std::vector<DueRound> rounds =
      PlanDueRounds(states, kMonday + 3 * kHour);
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_FALSE(rounds[0].seeds_due);
  EXPECT_EQ(rounds[0].due_ms, kMonday + 2 * kHour);
}

TEST(PlanDueRoundsTest, BothDueTakesTheEarlierTime) {
  const int64_t now = kMonday + 2 * kDay;
  std::vector<DueRound> rounds = PlanDueRounds(
      {State("a", Every("1d"), kMonday, kMonday + 3 * kHour)}, now);
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_TRUE(rounds[0].seeds_due);
  EXPECT_EQ(rounds[0].due_ms, kMonday + 3 * kHour);
  rounds = PlanDueRounds(
      {State("a", Every("1d"), kMonday, kMonday + 30 * kHour)}, now);
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_TRUE(rounds[0].seeds_due);
  EXPECT_EQ(rounds[0].due_ms, kMonday + kDay);
}

// A schedule without timing (not valid in a config) still finishes its
// frontier, but never queues its seeds.
TEST(PlanDueRoundsTest, UntimedScheduleRunsOnlyDuePages) {
  const std::vector<ScheduleState> states = {
      State("odd", core::ScheduleTiming(), std::nullopt, kMonday)};
  const std::vector<DueRound> rounds = PlanDueRounds(states, kMonday);
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_FALSE(rounds[0].seeds_due);
  EXPECT_EQ(NextWakeMs({State("odd", core::ScheduleTiming())}, kMonday),
            std::nullopt);
}

TEST(PlanDueRoundsTest, EarliestFirstThenByName) {
  const int64_t now = kMonday + kDay;
  const std::vector<ScheduleState> states = {
      State("zeta", Every("6h"), kMonday),             // due Monday 06:00
      State("beta", Every("1h"), now - 30 * kMinute),  // not due
      State("alpha", Every("12h"), kMonday),           // due Monday 12:00
      State("gamma", Every("6h"), kMonday),            // due Monday 06:00
      State("delta", Every("1d"), now, now - kDay),    // page due at Monday
      State("new", Every("7d")),                       // never ran: due now
  };
  const std::vector<DueRound> rounds = PlanDueRounds(states, now);
  EXPECT_EQ(Names(rounds), (std::vector<std::string>{"delta", "gamma", "zeta",
                                                     "alpha", "new"}));
  // The same plan whatever order the schedules come in.
  std::vector<ScheduleState> reversed(states.rbegin(), states.rend());
  EXPECT_EQ(Names(PlanDueRounds(reversed, now)), Names(rounds));
}

TEST(NextWakeMsTest, EarliestOfSchedulesAndPages) {
  const int64_t now = kMonday + kHour;
  EXPECT_EQ(NextWakeMs({State("a", Every("6h"), kMonday),
                        State("b", Every("1d"), kMonday, kMonday + 2 * kHour)},
                       now),
            kMonday + 2 * kHour);
  EXPECT_EQ(NextWakeMs({State("a", Every("6h"), kMonday),
                        State("b", Every("1d"), kMonday, kMonday + 9 * kHour)},
                       now),
            kMonday + 6 * kHour);
  // Something due already: now or earlier.
  EXPECT_EQ(NextWakeMs({State("a", Every("6h"))}, now), now);
  EXPECT_EQ(NextWakeMs({State("a", Every("30m"), kMonday)}, now),
            kMonday + 30 * kMinute);
}

TEST(NextWakeMsTest, CronThatNeverMatchesNeverWakes) {
  ScopedTz tz("UTC0");
  const std::vector<ScheduleState> states = {
      State("feb30", Cron("0 0 30 2 *"), kMonday)};
  EXPECT_EQ(NextWakeMs(states, kMonday), std::nullopt);
  EXPECT_TRUE(PlanDueRounds(states, kMonday + 365 * kDay).empty());
}

// What `podcrawl daemon` does, on a fake clock: plan, run the due rounds
// (a seeds round restarts the schedule at `now`), sleep until NextWakeMs.
struct Simulation {
  std::map<std::string, int> seeds_rounds;
  std::map<std::string, int> page_rounds;
  int wakes = 0;
  int idle_wakes = 0;  // woke up and found nothing due
};

Simulation RunDaemon(std::vector<ScheduleState> states,
                     testsupport::FakeClock& clock, int64_t until_ms,
                     int64_t page_interval_ms = 0) {
  Simulation sim;
  while (clock.NowMs() < until_ms) {
    const int64_t now = clock.NowMs();
    ++sim.wakes;
    const std::vector<DueRound> rounds = PlanDueRounds(states, now);
    if (rounds.empty()) ++sim.idle_wakes;
    for (const DueRound& round : rounds) {
      for (ScheduleState& state : states) {
        if (state.name != round.name) continue;
        if (round.seeds_due) {
          state.last_start_ms = now;
          ++sim.seeds_rounds[state.name];
        } else {
          ++sim.page_rounds[state.name];
        }
        // The round fetched its due pages; they are due again later.
        state.next_page_due_ms =
            page_interval_ms > 0
                ? std::optional<int64_t>(now + page_interval_ms)
                : std::nullopt;
      }
    }
    const std::optional<int64_t> wake = NextWakeMs(states, clock.NowMs());
    if (!wake) break;
    EXPECT_GT(*wake, now) << "a round just ran; nothing can be due yet";
    clock.Set(*wake);
  }
  return sim;
}

// A 6h schedule over a simulated week runs 28 times, a daily cron 7 times,
// and the daemon never wakes for nothing.
TEST(SchedulerSimulationTest, AWeekOfRoundsOnAFakeClock) {
  ScopedTz tz("UTC0");
  testsupport::FakeClock clock(kMonday);
  const Simulation sim = RunDaemon(
      {State("six-hourly", Every("6h")), State("nightly", Cron("@daily")),
       State("weekly", Cron("0 3 * * sun"))},
      clock, kMonday + 7 * kDay);
  EXPECT_EQ(sim.seeds_rounds.at("six-hourly"), 28);
  EXPECT_EQ(sim.seeds_rounds.at("nightly"), 7);
  // Never ran: once at the start, then Sunday 03:00.
  EXPECT_EQ(sim.seeds_rounds.at("weekly"), 2);
  EXPECT_EQ(sim.idle_wakes, 0);
  EXPECT_TRUE(sim.page_rounds.empty());
  // 28 six-hourly wakes, the nightly ones coincide with them; plus Sunday.
  EXPECT_EQ(sim.wakes, 29);
}

// The same week polled minute by minute, as `run --due` from a crontab line
// `* * * * *` would: the same number of rounds.
TEST(SchedulerSimulationTest, PollingEveryMinuteRunsTheSameRounds) {
  ScopedTz tz("UTC0");
  testsupport::FakeClock clock(kMonday + 17 * kMinute);
  std::vector<ScheduleState> states = {State("six-hourly", Every("6h")),
                                       State("cron", Cron("0 */6 * * *"))};
  std::map<std::string, int> runs;
  const int64_t end = clock.NowMs() + 7 * kDay;
  for (; clock.NowMs() < end; clock.Advance(kMinute)) {
    for (const DueRound& round : PlanDueRounds(states, clock.NowMs())) {
      ASSERT_TRUE(round.seeds_due);
      ++runs[round.name];
      for (ScheduleState& state : states) {
        if (state.name == round.name) state.last_start_ms = clock.NowMs();
      }
    }
  }
  EXPECT_EQ(runs.at("six-hourly"), 28);
  // 00:17 at once, then the 6-hour grid until Monday 00:00 a week later.
  EXPECT_EQ(runs.at("cron"), 29);
}

// A short `every` with pages due in between: page rounds run between seeds
// rounds, and the daemon wakes for each.
TEST(SchedulerSimulationTest, PageRecrawlsBetweenScheduleRounds) {
  testsupport::FakeClock clock(kMonday);
  const Simulation sim = RunDaemon({State("shows", Every("1d"))}, clock,
                                   kMonday + 3 * kDay, 10 * kHour);
  // Seeds at 0h, 24h, 48h; pages at 10h, 20h, 34h, 44h, 58h, 68h.
  EXPECT_EQ(sim.seeds_rounds.at("shows"), 3);
  EXPECT_EQ(sim.page_rounds.at("shows"), 6);
  EXPECT_EQ(sim.idle_wakes, 0);
}

// The check: "every": "2s" runs, does not run again at once, runs
// again once the interval has passed.
TEST(SchedulerSimulationTest, TwoSecondScheduleRunDue) {
  testsupport::FakeClock clock(kMonday);
  std::vector<ScheduleState> states = {State("loop", Every("2s"))};
  ASSERT_EQ(PlanDueRounds(states, clock.NowMs()).size(), 1U);
  states[0].last_start_ms = clock.NowMs();
  clock.Advance(100);
  EXPECT_TRUE(PlanDueRounds(states, clock.NowMs()).empty());
  EXPECT_EQ(NextWakeMs(states, clock.NowMs()), kMonday + 2 * kSecond);
  clock.Advance(1'900);
  const std::vector<DueRound> rounds = PlanDueRounds(states, clock.NowMs());
  ASSERT_EQ(rounds.size(), 1U);
  EXPECT_TRUE(rounds[0].seeds_due);
}

}  // namespace
}  // namespace crawler
