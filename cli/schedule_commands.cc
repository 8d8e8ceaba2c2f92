#include "cli/schedule_commands.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cli/analysis_commands.h"
#include "cli/page_pipeline.h"
#include "cli/progress.h"
#include "cli/run.h"
#include "cli/signals.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/schedule.h"
#include "core/url.h"
#include "crawler/crawler.h"
#include "crawler/scheduler.h"
#include "storage/frontier_store.h"
#include "storage/run_lock.h"
#include "storage/schedule_store.h"
#include "storage/store.h"

namespace cli {
namespace {

// The daemon never sleeps longer than this in one go: it looks at the clock
// again, so a wall-clock change (NTP, a suspended laptop) delays a round by at
// most this much.
constexpr int64_t kMaxSleepMs = int64_t{5} * 60'000;
// A round waits this long at most for its retries and paused hosts; what is
// due later waits for a later round (the daemon wakes for it), so one slow
// host does not hold up the other schedules.
constexpr int64_t kRoundMaxWaitMs = 30'000;
// When something is due again right after its round (a host paused, a page
// its round could not claim), the daemon waits this long before trying again
// rather than spin.
constexpr int64_t kMinSleepMs = 1000;

// Loads the config, applies --db, sets up the logger, validates. Errors are
// usage errors with the message ready to print.
core::Result<config::Config> LoadScheduleConfig(
    const CommonFlags& common, const std::optional<std::string>& db) {
  auto config = LoadConfig(common);
  if (!config) return config.error();
  if (db) config->db = *db;
  SetUpLogger(*config, common);
  if (auto valid = ValidateAll(*config); !valid) return valid.error();
  return config;
}

core::Status RequireSchedules(const config::Config& config,
                              const std::string& config_path) {
  if (!config.schedules.empty()) return {};
  return core::Error(core::ErrorCode::kConfig,
                     (config_path.empty() ? std::string("no --config given")
                                          : config_path + " has no schedules") +
                         R"(: add a "schedules" list (README "Schedules"))");
}

std::string Outcome(const storage::ScheduleRun& run) {
  std::string text(storage::RunOutcomeName(run.outcome));
  if (run.outcome == storage::RunOutcome::kRunning) return text;
  text += ": " + std::to_string(run.pages) + " pages (" +
          std::to_string(run.changed) + " changed), " +
          std::to_string(run.not_modified) + " not modified, " +
          std::to_string(run.failed) + " failed";
  if (run.message) text += "; " + *run.message;
  return text;
}

// Runs the rounds of one configuration on one database: what `run --due` and
// the daemon share.
class Rounds {
 public:
  Rounds(config::Config config, storage::Store* store,
         storage::ScheduleStore* schedules, const core::Clock* clock,
         const std::atomic<bool>* stop, bool show_progress)
      : config_(std::move(config)),
        store_(store),
        schedules_(schedules),
        clock_(clock),
        stop_(stop),
        show_progress_(show_progress) {}

  const config::Config& config() const { return config_; }
  void set_config(config::Config config) { config_ = std::move(config); }

  // Reads the state of every configured schedule.
  core::Result<std::vector<crawler::ScheduleState>> States() {
    std::vector<crawler::ScheduleState> states;
    for (const config::ScheduleConfig& sc : config_.schedules) {
      crawler::ScheduleState state;
      state.name = sc.name;
      state.timing = sc.timing;
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

  // Runs one round; returns its finished row. An error return is a storage
  // failure outside the crawl (the round could not even be recorded).
  core::Result<storage::ScheduleRun> RunRound(const crawler::DueRound& due) {
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

    core::Status crawled = Crawl(*sc, due.seeds_due, start, &run);
    if (!crawled) {
      run.outcome = storage::RunOutcome::kFailed;
      run.message = crawled.error().message;
    } else if (stop_->load()) {
      run.outcome = storage::RunOutcome::kStopped;
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
                    seconds, Outcome(run));
    } else {
      spdlog::info("schedule {}: round {} in {:.1f} s{}: {}", sc->name,
                   run.outcome == storage::RunOutcome::kOk ? "done" : "stopped",
                   seconds, due.seeds_due ? "" : " (pages due only)",
                   Outcome(run));
    }
    if (!crawled) return crawled.error();
    return run;
  }

 private:
  const config::ScheduleConfig* Find(const std::string& name) const {
    for (const config::ScheduleConfig& sc : config_.schedules) {
      if (sc.name == name) return &sc;
    }
    return nullptr;
  }

  // The crawl of one round, its counts into `run`.
  core::Status Crawl(const config::ScheduleConfig& sc, bool seeds_due,
                     int64_t now, storage::ScheduleRun* run) {
    auto requeued = schedules_->RequeueDuePages(sc.name, now);
    if (!requeued) return requeued.error();
    storage::FrontierPartition partition;
    partition.schedule = sc.name;
    partition.recrawl = sc.recrawl;
    auto frontier = storage::OpenFrontierStore(config_.db, {}, partition);
    if (!frontier) return frontier.error();
    spdlog::info("schedule {}: round started ({}{} pages due again)", sc.name,
                 seeds_due ? std::to_string(sc.seeds.size()) + " seeds, " : "",
                 *requeued);

    crawler::CrawlOptions options = ToCrawlOptions(
        config_.fetch, config::ScheduleCrawlConfig(config_.crawl, sc));
    options.max_wait_ms = kRoundMaxWaitMs;
    // The scope is the seeds' hosts in every round, also one that recrawls
    // pages without queueing the seeds.
    for (const std::string& seed : sc.seeds) {
      std::string host = core::UrlHost(seed);
      if (std::find(options.scope.seed_hosts.begin(),
                    options.scope.seed_hosts.end(),
                    host) == options.scope.seed_hosts.end()) {
        options.scope.seed_hosts.push_back(std::move(host));
      }
    }
    StorePipeline pipeline(store_, ToParseOptions(config_));
    crawler::Crawler crawl(options, frontier->get(), &pipeline);
    if (seeds_due) {
      if (auto added = crawl.AddSeeds(sc.seeds); !added) return added;
    }
    ProgressLine progress(show_progress_);
    auto stats = crawl.Run(*stop_, [&progress](const crawler::CrawlStats& s) {
      progress.Update(s);
    });
    progress.Clear();
    if (!stats) return stats.error();
    run->pages = stats->pages_stored;
    run->changed = stats->changed;
    run->not_modified = stats->not_modified;
    run->failed = stats->failed;
    // An ok round notes what it left for a later one (a paused host).
    std::string note;
    for (const std::string& line : WaitingNotes(*stats)) {
      note += (note.empty() ? "" : "; ") + line;
    }
    if (!note.empty()) run->message = std::move(note);
    return {};
  }

  config::Config config_;
  storage::Store* store_;
  storage::ScheduleStore* schedules_;
  const core::Clock* clock_;
  const std::atomic<bool>* stop_;
  bool show_progress_;
};

// The database, the schedule store and the run lock a command holds.
struct Session {
  storage::RunLock lock;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::ScheduleStore> schedules;
};

// Takes the run lock (waiting when `wait`), then opens the database. Returns
// the exit code on failure.
std::variant<Session, int> OpenSession(const config::Config& config, bool wait,
                                       const StopSignals& signals) {
  auto lock = wait ? storage::RunLock::Acquire(config.db, &signals.stop())
                   : storage::RunLock::TryAcquire(config.db);
  if (!lock) {
    switch (lock.error().code) {
      case core::ErrorCode::kLocked:
        return Fail(kExitLocked,
                    lock.error().message +
                        (wait ? "" : " (run --due --wait waits for it)"));
      case core::ErrorCode::kCancelled:
        return signals.signal() == SIGINT ? kExitSigint : kExitSigterm;
      default:
        return Fail(kExitStorage, lock.error().message);
    }
  }
  storage::StoreOptions store_options;
  store_options.archive = config.archive;
  auto store = storage::Store::Open(config.db, store_options);
  if (!store) return Fail(kExitStorage, store.error().message);
  auto schedules = storage::ScheduleStore::Open(config.db);
  if (!schedules) return Fail(kExitStorage, schedules.error().message);
  return Session{std::move(lock).value(), std::move(store).value(),
                 std::move(schedules).value()};
}

// The exit code after the rounds of a `run --due` or a daemon's end.
int SignalExit(const StopSignals& signals) {
  if (signals.signal() == SIGINT) return kExitSigint;
  if (signals.signal() == SIGTERM) return kExitSigterm;
  return kExitOk;
}

std::string DescribeNext(const std::vector<crawler::ScheduleState>& states,
                         int64_t now) {
  std::optional<int64_t> wake = crawler::NextWakeMs(states, now);
  if (!wake) return "nothing will be due";
  std::string name;
  for (const crawler::ScheduleState& s : states) {
    std::optional<int64_t> due =
        core::ScheduleDueMs(s.timing, s.last_start_ms, now);
    if (s.next_page_due_ms && (!due || *s.next_page_due_ms < *due))
      due = s.next_page_due_ms;
    if (due && *due == *wake) {
      name = s.name;
      break;
    }
  }
  return "next due: " + name + " at " + FormatTimeMs(*wake);
}

// One schedule in `schedule list`. (clang-tidy sees the implicit move of the
// ordered_json member as throwing; nlohmann's move is noexcept.)
struct ListLine {  // NOLINT(bugprone-exception-escape)
  std::string name, when, last_run, outcome, next_due;
  int64_t urls = 0;
  nlohmann::ordered_json json;
};

nlohmann::json TimeOrNull(std::optional<int64_t> ms) {
  return ms ? nlohmann::json(FormatTimeMs(*ms)) : nlohmann::json(nullptr);
}

// Describes one schedule from its rounds in `schedules` (nullptr: no database
// yet) and the run lock's `holder`.
core::Result<ListLine> DescribeSchedule(const config::ScheduleConfig& sc,
                                        storage::ScheduleStore* schedules,
                                        std::optional<int64_t> holder,
                                        int64_t now) {
  ListLine line;
  line.name = sc.name;
  line.when = sc.timing.Describe();
  std::optional<storage::ScheduleRun> last;
  std::optional<int64_t> page_due;
  if (schedules != nullptr) {
    auto got = schedules->LastRun(sc.name);
    if (!got) return got.error();
    last = *got;
    auto due = schedules->NextPageDueMs(sc.name);
    if (!due) return due.error();
    page_due = *due;
    auto size = schedules->PartitionSize(sc.name);
    if (!size) return size.error();
    line.urls = *size;
  }
  const std::optional<int64_t> last_start =
      last ? std::optional<int64_t>(last->started_ms) : std::nullopt;
  std::optional<int64_t> next = core::ScheduleDueMs(sc.timing, last_start, now);
  if (page_due && (!next || *page_due < *next)) next = page_due;
  line.last_run = last ? FormatTimeMs(last->started_ms) : "never";
  if (!last) {
    line.outcome = "-";
  } else if (last->outcome == storage::RunOutcome::kRunning) {
    line.outcome = holder ? "running (pid " + std::to_string(*holder) + ")"
                          : "interrupted (its process died)";
  } else {
    line.outcome = Outcome(*last);
  }
  if (!next) {
    line.next_due = "never";
  } else {
    line.next_due = *next <= now ? "now" : FormatTimeMs(*next);
  }
  nlohmann::ordered_json& j = line.json;
  j["name"] = sc.name;
  j["every_s"] = sc.timing.every_ms ? nlohmann::json(*sc.timing.every_ms / 1000)
                                    : nlohmann::json(nullptr);
  j["cron"] = sc.timing.cron ? nlohmann::json(sc.timing.cron->text())
                             : nlohmann::json(nullptr);
  j["seeds"] = sc.seeds;
  j["last_run"] = TimeOrNull(last_start);
  j["last_end"] = TimeOrNull(last ? last->ended_ms : std::nullopt);
  j["last_outcome"] =
      last ? nlohmann::json(line.outcome) : nlohmann::json(nullptr);
  if (last) {
    j["last_pages"] = last->pages;
    j["last_changed"] = last->changed;
    j["last_not_modified"] = last->not_modified;
    j["last_failed"] = last->failed;
  }
  j["next_due"] = TimeOrNull(next);
  j["due_now"] = next.has_value() && *next <= now;
  j["urls"] = line.urls;
  return line;
}

// Prints `lines` as a table with aligned columns.
void PrintScheduleTable(const std::vector<ListLine>& lines, std::ostream& out) {
  size_t w_name = 4;
  size_t w_when = 4;
  size_t w_last = 8;
  for (const ListLine& line : lines) {
    w_name = std::max(w_name, line.name.size());
    w_when = std::max(w_when, line.when.size());
    w_last = std::max(w_last, line.last_run.size());
  }
  auto pad = [](const std::string& s, size_t width) {
    return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
  };
  out << pad("NAME", w_name) << "  " << pad("WHEN", w_when) << "  "
      << pad("LAST RUN", w_last) << "  " << pad("NEXT DUE", 20) << "  "
      << pad("URLS", 6) << "  LAST OUTCOME\n";
  for (const ListLine& line : lines) {
    out << pad(line.name, w_name) << "  " << pad(line.when, w_when) << "  "
        << pad(line.last_run, w_last) << "  " << pad(line.next_due, 20) << "  "
        << pad(std::to_string(line.urls), 6) << "  " << line.outcome << "\n";
  }
}

// One turn of the daemon: runs the rounds due now and returns how long to
// sleep before the next turn. Errors are storage errors.
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

// SIGHUP: the daemon's config again, unless it is invalid or names another
// database (the old one is kept and the reason logged).
void ReloadDaemonConfig(const CommonFlags& common,
                        const std::optional<std::string>& db, Rounds* rounds) {
  auto reloaded = LoadScheduleConfig(common, db);
  if (reloaded) {
    if (auto ok = RequireSchedules(*reloaded, common.config_path); !ok)
      reloaded = ok.error();
  }
  if (!reloaded) {
    spdlog::error("SIGHUP: config not reloaded, keeping the old one: {}",
                  reloaded.error().message);
  } else if (reloaded->db != rounds->config().db) {
    spdlog::error(
        "SIGHUP: config not reloaded: the database cannot change ({} -> {}); "
        "restart the daemon",
        rounds->config().db, reloaded->db);
  } else {
    spdlog::info("SIGHUP: config reloaded, {} schedule(s)",
                 reloaded->schedules.size());
    rounds->set_config(std::move(reloaded).value());
  }
}

}  // namespace

ScheduleCommands::ScheduleCommands(CLI::App* app) {
  run_ = app->add_subcommand(
      "run", "run --due: crawl what the schedules say is due now, then exit");
  run_->add_flag("--due", due_, "crawl what is due (required)")->required();
  run_->add_flag("--wait", wait_,
                 "wait for another run or daemon to finish instead of exiting "
                 "75");
  run_->add_option("--db", run_db_, "SQLite database (default: podcasts.db)");
  AddCommonFlags(run_, &run_common_);

  daemon_ = app->add_subcommand(
      "daemon",
      "run the schedules until SIGTERM or SIGINT; SIGHUP reloads the config");
  daemon_->add_option("--db", daemon_db_,
                      "SQLite database (default: podcasts.db)");
  AddCommonFlags(daemon_, &daemon_common_);

  schedule_ = app->add_subcommand("schedule", "inspect the schedules");
  schedule_->require_subcommand(1);
  list_ = schedule_->add_subcommand(
      "list", "each schedule with its last run, outcome and next due time");
  list_->add_option("--db", list_db_, "SQLite database (default: podcasts.db)");
  list_->add_flag("--json", list_json_, "one JSON object a line");
  AddCommonFlags(list_, &list_common_);
}

std::optional<int> ScheduleCommands::Run(std::ostream& out) {
  if (run_->parsed()) return RunDue();
  if (daemon_->parsed()) return RunDaemon();
  if (list_->parsed()) return RunList(out);
  return std::nullopt;
}

// podcrawl run --due [--wait] [--db PATH]
int ScheduleCommands::RunDue() {
  auto config = LoadScheduleConfig(run_common_, run_db_);
  if (!config) return Fail(kExitUsage, config.error().message);
  if (auto ok = RequireSchedules(*config, run_common_.config_path); !ok)
    return Fail(kExitUsage, ok.error().message);

  StopSignals signals;
  auto opened = OpenSession(*config, wait_, signals);
  if (const int* code = std::get_if<int>(&opened)) return *code;
  auto& session = std::get<Session>(opened);

  core::SystemClock clock;
  Rounds rounds(*config, session.store.get(), session.schedules.get(), &clock,
                &signals.stop(),
                !run_common_.quiet && isatty(STDERR_FILENO) == 1);
  auto states = rounds.States();
  if (!states) return Fail(kExitStorage, states.error().message);
  const int64_t now = clock.NowMs();
  const std::vector<crawler::DueRound> due =
      crawler::PlanDueRounds(*states, now);
  if (due.empty()) {
    spdlog::info("nothing is due in {}; {}", config->db,
                 DescribeNext(*states, now));
    return kExitOk;
  }
  bool all_failed = false;
  for (const crawler::DueRound& round : due) {
    if (signals.stop().load()) break;
    auto run = rounds.RunRound(round);
    if (!run) return Fail(kExitStorage, run.error().message);
    if (run->pages + run->not_modified == 0 && run->failed > 0)
      all_failed = true;
  }
  if (int code = SignalExit(signals); code != kExitOk) return code;
  if (auto after = rounds.States(); after) {
    spdlog::info("{}", DescribeNext(*after, clock.NowMs()));
  }
  if (all_failed) {
    return Fail(kExitFetch,
                "a round fetched no page (see `podcrawl schedule list` and the "
                "fetches table)");
  }
  return kExitOk;
}

// podcrawl daemon [--db PATH]
int ScheduleCommands::RunDaemon() {
  auto config = LoadScheduleConfig(daemon_common_, daemon_db_);
  if (!config) return Fail(kExitUsage, config.error().message);
  if (auto ok = RequireSchedules(*config, daemon_common_.config_path); !ok)
    return Fail(kExitUsage, ok.error().message);

  StopSignals signals(/*handle_hup=*/true);
  auto opened = OpenSession(*config, /*wait=*/false, signals);
  if (const int* code = std::get_if<int>(&opened)) return *code;
  auto& session = std::get<Session>(opened);

  core::SystemClock clock;
  Rounds rounds(*config, session.store.get(), session.schedules.get(), &clock,
                &signals.stop(), /*show_progress=*/false);
  spdlog::info("daemon (pid {}) running {} schedule(s) on {}", getpid(),
               config->schedules.size(), config->db);
  while (!signals.stop().load()) {
    if (signals.TakeReload()) {
      ReloadDaemonConfig(daemon_common_, daemon_db_, &rounds);
    }
    auto sleep_ms = DaemonTurn(rounds, clock, signals.stop());
    if (!sleep_ms) return Fail(kExitStorage, sleep_ms.error().message);
    if (*sleep_ms > 0 && !signals.stop().load()) signals.SleepMs(*sleep_ms);
  }
  spdlog::info("daemon stopped");
  return SignalExit(signals);
}

// podcrawl schedule list [--json] [--db PATH]
int ScheduleCommands::RunList(std::ostream& out) {
  auto config = LoadScheduleConfig(list_common_, list_db_);
  if (!config) return Fail(kExitUsage, config.error().message);
  if (auto ok = RequireSchedules(*config, list_common_.config_path); !ok)
    return Fail(kExitUsage, ok.error().message);
  // A database that does not exist yet is not created: nothing ran.
  std::unique_ptr<storage::ScheduleStore> schedules;
  std::error_code ec;
  if (std::filesystem::exists(config->db, ec)) {
    auto opened = storage::ScheduleStore::Open(config->db);
    if (!opened) return Fail(kExitStorage, opened.error().message);
    schedules = std::move(opened).value();
  }
  const std::optional<int64_t> holder = storage::RunLock::Holder(config->db);
  const int64_t now = core::SystemClock().NowMs();
  std::vector<ListLine> lines;
  for (const config::ScheduleConfig& sc : config->schedules) {
    auto line = DescribeSchedule(sc, schedules.get(), holder, now);
    if (!line) return Fail(kExitStorage, line.error().message);
    lines.push_back(std::move(line).value());
  }
  if (list_json_) {
    for (const ListLine& line : lines) out << line.json.dump() << "\n";
  } else {
    PrintScheduleTable(lines, out);
    if (holder) {
      out << "(a podcrawl run or daemon, pid " << *holder << ", holds "
          << config->db << ")\n";
    }
  }
  return kExitOk;
}

}  // namespace cli
