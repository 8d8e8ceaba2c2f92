#include "app/rounds.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "app/options.h"
#include "app/page_pipeline.h"
#include "app/time_text.h"
#include "core/schedule.h"
#include "core/url.h"
#include "storage/frontier_store.h"

namespace app {

core::Status RequireSchedules(const config::Config& config,
                              const std::string& config_path) {
  if (!config.schedules.empty()) return {};
  return core::Error(core::ErrorCode::kConfig,
                     (config_path.empty() ? std::string("no --config given")
                                          : config_path + " has no schedules") +
                         R"(: add a "schedules" list (README "Schedules"))");
}

std::string RoundOutcomeText(const storage::ScheduleRun& run) {
  std::string text(storage::RunOutcomeName(run.outcome));
  if (run.outcome == storage::RunOutcome::kRunning) return text;
  text += ": " + std::to_string(run.pages) + " pages (" +
          std::to_string(run.changed) + " changed), " +
          std::to_string(run.not_modified) + " not modified, " +
          std::to_string(run.failed) + " failed";
  if (run.message) text += "; " + *run.message;
  return text;
}

namespace {

// "1 URL waits", "3 URLs wait".
std::string UrlsWait(int64_t urls) {
  return fmt::format("{} URL{} wait{}", urls, urls == 1 ? "" : "s",
                     urls == 1 ? "s" : "");
}

}  // namespace

std::vector<std::string> WaitingNotes(const crawler::CrawlStats& stats) {
  std::vector<std::string> notes;
  for (const auto& [host, wait] : stats.waiting) {
    if (stats.down.contains(host)) continue;
    notes.push_back(fmt::format("{} for {} until {}", UrlsWait(wait.urls), host,
                                FormatTimeMs(wait.until_ms)));
  }
  return notes;
}

std::vector<std::string> CrawlFailures(const crawler::CrawlStats& stats) {
  std::vector<std::string> lines;
  for (const auto& [host, down] : stats.down) {
    std::string line =
        down.robots_unreachable.empty()
            ? fmt::format("no answer from {}: {} ({} attempt{})", host,
                          down.reason, down.failed_attempts,
                          down.failed_attempts == 1 ? "" : "s")
            : fmt::format("robots.txt of {} unreachable: {}", host,
                          down.robots_unreachable);
    if (const auto wait = stats.waiting.find(host);
        wait != stats.waiting.end()) {
      line += fmt::format("; {} until {}", UrlsWait(wait->second.urls),
                          FormatTimeMs(wait->second.until_ms));
    }
    lines.push_back(std::move(line));
  }
  if (lines.empty() && stats.pages_stored == 0 && stats.not_modified == 0 &&
      stats.failed > 0) {
    lines.push_back(fmt::format(
        "no page could be fetched ({} failed; see the fetches table)",
        stats.failed));
  }
  return lines;
}

Rounds::Rounds(config::Config config, storage::Store* store,
               storage::ScheduleStore* schedules, const core::Clock* clock,
               const std::atomic<bool>* stop, RoundObserver* observer)
    : config_(std::move(config)),
      store_(store),
      schedules_(schedules),
      clock_(clock),
      stop_(stop),
      observer_(observer) {}

core::Result<std::vector<crawler::ScheduleState>> Rounds::States() {
  std::vector<crawler::ScheduleState> states;
  for (const config::ScheduleConfig& sc : config_.schedules) {
    // Built whole, not assigned field by field: GCC 12 at -O3 reports the
    // copy-assignment of an optional member as maybe-uninitialized (a false
    // positive, GCC bug 80635).
    crawler::ScheduleState state{sc.name, sc.timing, std::nullopt,
                                 std::nullopt};
    auto last = schedules_->LastRun(sc.name);
    if (!last) return last.error();
    if (last->has_value()) state.last_start_ms = (*last)->started_ms;
    auto page_due = schedules_->NextPageDueMs(sc.name);
    if (!page_due) return page_due.error();
    state.next_page_due_ms = *page_due;
    states.push_back(std::move(state));
  }
  return states;
}

core::Result<storage::ScheduleRun> Rounds::RunRound(
    const crawler::DueRound& due) {
  const config::ScheduleConfig* sc = Find(due.name);
  if (sc == nullptr) {
    return core::Error(core::ErrorCode::kInternal,
                       "no schedule named " + due.name);
  }
  const int64_t start = clock_->NowMs();
  auto run_id = schedules_->StartRun(sc->name, start, due.seeds_due);
  if (!run_id) return run_id.error();
  storage::ScheduleRun run;
  run.id = *run_id;
  run.schedule = sc->name;
  run.started_ms = start;
  run.seeds_due = due.seeds_due;

  bool crawl_failed = false;
  core::Status crawled = Crawl(*sc, due.seeds_due, start, &run, &crawl_failed);
  if (!crawled) {
    run.outcome = storage::RunOutcome::kFailed;
    run.message = crawled.error().message;
  } else if (stop_->load()) {
    run.outcome = storage::RunOutcome::kStopped;
  } else if (crawl_failed) {
    run.outcome = storage::RunOutcome::kFailed;  // a host did not answer ...
  } else {
    run.outcome = storage::RunOutcome::kOk;
  }
  const int64_t end = clock_->NowMs();
  if (auto finished = schedules_->FinishRun(run, end); !finished) {
    return finished.error();
  }
  run.ended_ms = end;
  const double seconds = static_cast<double>(end - start) / 1000.0;
  if (run.outcome == storage::RunOutcome::kFailed) {
    spdlog::error("schedule {}: round failed after {:.1f} s: {}", sc->name,
                  seconds, RoundOutcomeText(run));
  } else {
    spdlog::info("schedule {}: round {} in {:.1f} s{}: {}", sc->name,
                 run.outcome == storage::RunOutcome::kOk ? "done" : "stopped",
                 seconds, due.seeds_due ? "" : " (pages due only)",
                 RoundOutcomeText(run));
  }
  if (!crawled) return crawled.error();
  return run;
}

const config::ScheduleConfig* Rounds::Find(const std::string& name) const {
  for (const config::ScheduleConfig& sc : config_.schedules) {
    if (sc.name == name) return &sc;
  }
  return nullptr;
}

// The crawl of one round, its counts and notes into `run`; `failed` is set
// when the crawl failed (CrawlFailures, which the notes then start with).
core::Status Rounds::Crawl(const config::ScheduleConfig& sc, bool seeds_due,
                           int64_t now, storage::ScheduleRun* run,
                           bool* failed) {
  auto requeued = schedules_->RequeueDuePages(sc.name, now);
  if (!requeued) return requeued.error();
  storage::FrontierPartition partition;
  partition.schedule = sc.name;
  partition.recrawl = sc.recrawl;
  // On the store's connection: a page's record and its frontier state commit
  // together (FrontierStore::BeginBatch).
  auto frontier = storage::OpenFrontierStore(store_, partition);
  if (!frontier) return frontier.error();
  spdlog::info("schedule {}: round started ({}{} pages due again)", sc.name,
               seeds_due ? std::to_string(sc.seeds.size()) + " seeds, " : "",
               *requeued);

  crawler::CrawlOptions options = ToCrawlOptions(config_.fetch, sc.crawl);
  options.max_wait_ms = kRoundMaxWaitMs;
  // The scope is the seeds' hosts in every round, also one that recrawls
  // pages without queueing the seeds.
  std::vector<std::string> start = sc.seeds;
  start.insert(start.end(), sc.crawl.sitemap.urls.begin(),
               sc.crawl.sitemap.urls.end());
  for (const std::string& seed : start) {
    std::string host = core::UrlHost(seed);
    if (std::find(options.seed_hosts.begin(), options.seed_hosts.end(), host) ==
        options.seed_hosts.end()) {
      options.seed_hosts.push_back(std::move(host));
    }
  }
  StorePipeline pipeline(store_, ToParseOptions(config_), clock_);
  crawler::Crawler crawl(options, frontier->get(), &pipeline);
  if (seeds_due) {
    if (auto added = crawl.AddSeeds(sc.seeds); !added) return added;
    if (auto added = crawl.AddSitemaps(sc.crawl.sitemap.urls); !added)
      return added;
  }
  auto stats = crawl.Run(*stop_, [this](const crawler::CrawlStats& s) {
    if (observer_ != nullptr) observer_->OnProgress(s);
  });
  if (observer_ != nullptr) observer_->OnCrawlEnd();
  if (!stats) return stats.error();
  run->pages = stats->pages_stored;
  run->changed = stats->changed;
  run->not_modified = stats->not_modified;
  run->failed = stats->failed;
  // Why the round failed, what it left for a later one (a paused host) and
  // what robots.txt excluded.
  std::vector<std::string> notes = CrawlFailures(*stats);
  *failed = !notes.empty();
  for (std::string& line : WaitingNotes(*stats)) notes.push_back(line);
  if (stats->robots_disallowed > 0) {
    notes.push_back(fmt::format("{} URL{} excluded by robots.txt",
                                stats->robots_disallowed,
                                stats->robots_disallowed == 1 ? "" : "s"));
  }
  std::string note;
  for (const std::string& line : notes) {
    note += (note.empty() ? "" : "; ") + line;
  }
  if (!note.empty()) run->message = std::move(note);
  return {};
}

std::optional<NextRound> FindNextRound(
    const std::vector<crawler::ScheduleState>& states, int64_t now_ms) {
  std::optional<int64_t> wake = crawler::NextWakeMs(states, now_ms);
  if (!wake) return std::nullopt;
  NextRound next;
  next.due_ms = *wake;
  for (const crawler::ScheduleState& s : states) {
    const std::optional<int64_t> due = core::ScheduleNextDueMs(
        s.timing, s.last_start_ms, s.next_page_due_ms, now_ms);
    if (due && *due == *wake) {
      next.name = s.name;
      break;
    }
  }
  return next;
}

std::string DescribeNext(const std::vector<crawler::ScheduleState>& states,
                         int64_t now_ms) {
  const std::optional<NextRound> next = FindNextRound(states, now_ms);
  if (!next) return "nothing will be due";
  return "next due: " + next->name + " at " + FormatTimeMs(next->due_ms);
}

core::Result<int64_t> DaemonTurn(Rounds& rounds, const core::Clock& clock,
                                 const std::atomic<bool>& stop) {
  auto states = rounds.States();
  if (!states) return states.error();
  int64_t now = clock.NowMs();
  const std::vector<crawler::DueRound> due =
      crawler::PlanDueRounds(*states, now);
  for (const crawler::DueRound& round : due) {
    if (stop.load()) return int64_t{0};
    auto run = rounds.RunRound(round);
    if (!run) return run.error();
  }
  if (!due.empty()) {
    states = rounds.States();
    if (!states) return states.error();
    now = clock.NowMs();
    spdlog::info("{}", DescribeNext(*states, now));
  }
  const std::optional<int64_t> wake = crawler::NextWakeMs(*states, now);
  int64_t sleep_ms = wake ? *wake - now : kMaxSleepMs;
  // Due again at once: a host paused, a URL its round could not claim. Wait
  // a little rather than spin.
  if (sleep_ms <= 0) sleep_ms = kMinSleepMs;
  return std::min(sleep_ms, kMaxSleepMs);
}

core::Result<ScheduleStatus> ReadScheduleStatus(
    const config::ScheduleConfig& sc, storage::ScheduleStore* schedules,
    int64_t now_ms) {
  ScheduleStatus status;
  std::optional<int64_t> page_due;
  if (schedules != nullptr) {
    auto last = schedules->LastRun(sc.name);
    if (!last) return last.error();
    status.last = *last;
    auto due = schedules->NextPageDueMs(sc.name);
    if (!due) return due.error();
    page_due = *due;
    auto size = schedules->PartitionSize(sc.name);
    if (!size) return size.error();
    status.urls = *size;
  }
  const std::optional<int64_t> last_start =
      status.last ? std::optional<int64_t>(status.last->started_ms)
                  : std::nullopt;
  status.next_due_ms =
      core::ScheduleNextDueMs(sc.timing, last_start, page_due, now_ms);
  status.seeds_due_ms = core::ScheduleDueMs(sc.timing, last_start, now_ms);
  status.pages_due_ms = page_due;
  return status;
}

std::string LastOutcomeText(const ScheduleStatus& status,
                            std::optional<int64_t> lock_holder) {
  if (!status.last) return "-";
  if (status.last->outcome == storage::RunOutcome::kRunning) {
    return lock_holder ? "running (pid " + std::to_string(*lock_holder) + ")"
                       : "interrupted (its process died)";
  }
  return RoundOutcomeText(*status.last);
}

}  // namespace app
