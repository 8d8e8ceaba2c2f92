// podcrawl run --due [--wait] [--json] [--db PATH]: runs the rounds the
// schedules say are due now, earliest first, then exits (for cron and systemd
// timers); --json prints the rounds and the next due time as one JSON object.
// Exits 75 when another run or daemon holds the database's schedules (--wait
// waits).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "app/rounds.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/schedule_output.h"
#include "cli/schedule_session.h"
#include "cli/signals.h"
#include "core/clock.h"

namespace cli {
namespace {

class RunDueCommand : public Command {
 public:
  std::string name() const override { return "run"; }
  std::string description() const override {
    return "run --due: crawl what the schedules say is due now, then exit";
  }

  void AddFlags(CLI::App* app) override {
    app->add_flag("--due", due_, "crawl what is due (required)")->required();
    app->add_flag("--wait", wait_,
                  "wait for another run or daemon to finish instead of "
                  "exiting 75");
    app->add_flag("--json", json_,
                  "print the rounds run and the next due time as one JSON "
                  "object");
    AddDbFlag(app);
    AddStatusIntervalFlag(app, &status_interval_ms_);
  }

  bool needs_schedules() const override { return true; }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    int open_failed = kExitOk;
    std::unique_ptr<RoundRunner> runner =
        RoundRunner::Open(context, wait_, status_interval_ms_, &open_failed);
    if (!runner) return open_failed;
    app::Rounds& rounds = runner->rounds();
    const core::Clock& clock = runner->clock();
    auto states = rounds.States();
    if (!states) return Fail(kExitStorage, states.error().message);
    const int64_t now = clock.NowMs();
    const std::vector<crawler::DueRound> due =
        crawler::PlanDueRounds(*states, now);
    std::vector<storage::ScheduleRun> runs;
    if (due.empty()) {
      spdlog::info("nothing is due in {}; {}", config.db,
                   app::DescribeNext(*states, now));
      if (json_) PrintJson(runs, *states, now, *context.out);
      return kExitOk;
    }
    int failed_rounds = 0;
    for (const crawler::DueRound& round : due) {
      if (runner->signals().stop().load()) break;
      auto run = rounds.RunRound(round);
      if (!run) return Fail(kExitStorage, run.error().message);
      // Failed as a `crawl` exits 3 (app::CrawlFailures); RunRound logged why.
      if (run->outcome == storage::RunOutcome::kFailed) ++failed_rounds;
      runs.push_back(std::move(run).value());
    }
    auto after = rounds.States();
    if (json_ && after) PrintJson(runs, *after, clock.NowMs(), *context.out);
    if (int code = SignalExit(runner->signals()); code != kExitOk) return code;
    if (after) spdlog::info("{}", app::DescribeNext(*after, clock.NowMs()));
    if (failed_rounds > 0) {
      return Fail(kExitFetch,
                  std::to_string(failed_rounds) + " round" +
                      (failed_rounds == 1 ? "" : "s") +
                      " failed (see `podcrawl schedule list` and the fetches "
                      "table)");
    }
    return kExitOk;
  }

 private:
  // --json: {"rounds": [RoundJson ...], "next_due", "next_schedule"}.
  static void PrintJson(const std::vector<storage::ScheduleRun>& runs,
                        const std::vector<crawler::ScheduleState>& states,
                        int64_t now, std::ostream& out) {
    nlohmann::ordered_json j;
    j["rounds"] = nlohmann::ordered_json::array();
    for (const storage::ScheduleRun& run : runs)
      j["rounds"].push_back(RoundJson(run, getpid()));
    const std::optional<app::NextRound> next = app::FindNextRound(states, now);
    j["next_due"] =
        TimeOrNull(next ? std::optional<int64_t>(next->due_ms) : std::nullopt);
    j["next_schedule"] =
        next ? nlohmann::json(next->name) : nlohmann::json(nullptr);
    out << j.dump() << "\n";
  }

  bool json_ = false;
  bool due_ = false;
  bool wait_ = false;
  int64_t status_interval_ms_ = kStatusIntervalMs;
};

}  // namespace

std::unique_ptr<Command> NewRunDueCommand() {
  return std::make_unique<RunDueCommand>();
}

}  // namespace cli
