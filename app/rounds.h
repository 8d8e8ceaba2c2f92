// Scheduled rounds (README "Schedules"): what `podcrawl run --due`, `podcrawl
// daemon` and `podcrawl schedule list` share, apart from the command line.
//
// A round of a schedule crawls that schedule's own frontier (storage's
// FrontierPartition) with the crawl settings and the schedule's overrides: its
// seeds when the schedule is due, the pages whose recrawl time came, and the
// work an interrupted round left. Rounds run one after the other, earliest due
// first (crawler::PlanDueRounds). Every time is read from a core::Clock, so
// tests run days of rounds with a fake one. Taking the run lock
// (storage::RunLock) is the caller's job.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/result.h"
#include "crawler/crawler.h"
#include "crawler/scheduler.h"
#include "storage/schedule_store.h"
#include "storage/store.h"

namespace app {

// The daemon never sleeps longer than this in one go: it looks at the clock
// again, so a wall-clock change (NTP, a suspended laptop) delays a round by at
// most this much.
inline constexpr int64_t kMaxSleepMs = int64_t{5} * 60'000;
// A round waits this long at most for its retries and paused hosts; what is
// due later waits for a later round (the daemon wakes for it), so one slow
// host does not hold up the other schedules.
inline constexpr int64_t kRoundMaxWaitMs = 30'000;
// When something is due again right after its round (a host paused, a page
// its round could not claim), the daemon waits this long before trying again
// rather than spin.
inline constexpr int64_t kMinSleepMs = 1000;

// Returns ok when `config` has schedules, else a kConfig error naming
// `config_path` (empty: no --config given) and the README section.
core::Status RequireSchedules(const config::Config& config,
                              const std::string& config_path);

// Returns a finished round's outcome as `schedule list` and the log show it:
// "ok: 3 pages (1 changed), 0 not modified, 0 failed[; message]"; "running"
// for a round that has not finished.
std::string RoundOutcomeText(const storage::ScheduleRun& run);

// Returns "N URLs wait for HOST until T" (T in UTC, ISO 8601) for each host of
// stats.waiting that is not down (CrawlFailures tells those): what a crawl
// left queued for a later run.
std::vector<std::string> WaitingNotes(const crawler::CrawlStats& stats);

// Returns why a crawl failed (README "Exit codes": `crawl` exits 3 and a
// round ends `failed` when this is not empty), one line per problem: each
// host of stats.down ("robots.txt of HOST unreachable: connection refused; 21
// URLs wait until T", "no answer from HOST: timed out (3 attempts)"), and, when
// no host is down but no page could be fetched while URLs failed, "no page
// could be fetched (N failed; see the fetches table)". A crawl whose hosts
// answered is no failure for a few failed URLs (a 404), nor for URLs robots.txt
// excludes or hosts that asked for a pause (429, 503 with Retry-After).
std::vector<std::string> CrawlFailures(const crawler::CrawlStats& stats);

// Watches the crawl of each round (the terminal's progress line). Called on
// the thread that runs the round.
class RoundObserver {
 public:
  virtual ~RoundObserver() = default;
  // About once a second during a round's crawl.
  virtual void OnProgress(const crawler::CrawlStats& stats) = 0;
  // When a round's crawl has ended (before its outcome is logged).
  virtual void OnCrawlEnd() = 0;
};

// Runs the rounds of one configuration on one database. Not thread-safe; one
// Rounds per process at a time (the caller holds the run lock).
class Rounds {
 public:
  // `store`, `schedules`, `clock`, `stop` and `observer` (may be null) must
  // outlive this object. `stop` ends a round's crawl early (outcome
  // "stopped").
  Rounds(config::Config config, storage::Store* store,
         storage::ScheduleStore* schedules, const core::Clock* clock,
         const std::atomic<bool>* stop, RoundObserver* observer = nullptr);

  const config::Config& config() const { return config_; }
  // Replaces the config (the daemon's SIGHUP); its db must stay the same.
  void set_config(config::Config config) { config_ = std::move(config); }

  // Returns the state of every configured schedule (last round, next page
  // due).
  core::Result<std::vector<crawler::ScheduleState>> States();

  // Runs one round and records it; returns its finished row. An error return
  // is a storage failure: the round's crawl failed (its row says so) or the
  // round could not even be recorded.
  core::Result<storage::ScheduleRun> RunRound(const crawler::DueRound& due);

 private:
  const config::ScheduleConfig* Find(const std::string& name) const;
  core::Status Crawl(const config::ScheduleConfig& sc, bool seeds_due,
                     int64_t now, storage::ScheduleRun* run, bool* failed);

  config::Config config_;
  storage::Store* store_;
  storage::ScheduleStore* schedules_;
  const core::Clock* clock_;
  const std::atomic<bool>* stop_;
  RoundObserver* observer_;
};

// The schedule that has work first (its seeds or one of its pages).
struct NextRound {
  std::string name;
  int64_t due_ms = 0;
};

// Returns the schedule due first after the rounds due at `now_ms` have run
// (crawler::NextWakeMs), or nullopt when nothing will ever be due.
std::optional<NextRound> FindNextRound(
    const std::vector<crawler::ScheduleState>& states, int64_t now_ms);

// Returns "next due: NAME at T" for the schedule (or page) due first after
// `now_ms`, or "nothing will be due".
std::string DescribeNext(const std::vector<crawler::ScheduleState>& states,
                         int64_t now_ms);

// One turn of the daemon: runs the rounds due now (none once `stop` is set)
// and returns how long to sleep before the next turn: until the next due time,
// at least kMinSleepMs when something is due again at once, at most
// kMaxSleepMs. Errors are storage errors.
core::Result<int64_t> DaemonTurn(Rounds& rounds, const core::Clock& clock,
                                 const std::atomic<bool>& stop);

// A schedule as `podcrawl schedule list` shows it.
struct ScheduleStatus {
  std::optional<storage::ScheduleRun> last;  // its latest round
  std::optional<int64_t> next_due_ms;        // the schedule or one of its pages
  // When `cron` / `every` queue the seeds again (core::ScheduleDueMs); nullopt
  // for a cron spec that never matches again.
  std::optional<int64_t> seeds_due_ms;
  // When the first page of its frontier falls due by the recrawl policy (or a
  // queued URL is due), nullopt when none ever is.
  std::optional<int64_t> pages_due_ms;
  int64_t urls = 0;  // frontier rows of its partition
};

// Reads the status of `sc` at `now_ms` from `schedules` (null: no database
// yet, so no round ran).
core::Result<ScheduleStatus> ReadScheduleStatus(
    const config::ScheduleConfig& sc, storage::ScheduleStore* schedules,
    int64_t now_ms);

// Returns the outcome column of `schedule list`: "-" before any round,
// RoundOutcomeText of a finished one, and for one still running "running (pid
// N)" when `lock_holder` holds the run lock or "interrupted (its process
// died)".
std::string LastOutcomeText(const ScheduleStatus& status,
                            std::optional<int64_t> lock_holder);

}  // namespace app
