// podcrawl schedule run NAME [--wait] [--json] [--db PATH]: runs one round of
// the schedule NAME now, due or not (its seeds queued again, the pages that
// came due too), recorded in schedule_runs like any round; the schedule's
// next due time then counts from it. Holds the run lock as `run --due` does:
// exits 75 when another run or daemon holds it (--wait waits).
#include <unistd.h>

#include <memory>
#include <string>

#include "app/rounds.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/schedule_output.h"
#include "cli/schedule_session.h"
#include "cli/signals.h"
#include "core/clock.h"

namespace cli {
namespace {

class ScheduleRunCommand : public Command {
 public:
  std::string name() const override { return "schedule run"; }
  std::string description() const override {
    return "run a round of one schedule now, due or not";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("NAME", schedule_, "the schedule's name in the config")
        ->required();
    app->add_flag("--wait", wait_,
                  "wait for another run or daemon to finish instead of "
                  "exiting 75");
    app->add_flag("--json", json_, "print the round as one JSON object");
    AddDbFlag(app);
    AddStatusIntervalFlag(app, &status_interval_ms_);
  }

  bool needs_schedules() const override { return true; }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    std::string names;
    bool known = false;
    for (const config::ScheduleConfig& sc : config.schedules) {
      known = known || sc.name == schedule_;
      names += (names.empty() ? "" : ", ") + sc.name;
    }
    if (!known) {
      return Fail(kExitUsage, "no schedule named \"" + schedule_ +
                                  "\" in the config (its schedules: " + names +
                                  ")");
    }
    int open_failed = kExitOk;
    std::unique_ptr<RoundRunner> runner =
        RoundRunner::Open(context, wait_, status_interval_ms_, &open_failed);
    if (!runner) return open_failed;
    crawler::DueRound round;
    round.name = schedule_;
    round.seeds_due = true;  // due or not
    round.due_ms = runner->clock().NowMs();
    auto run = runner->rounds().RunRound(round);
    if (!run) return Fail(kExitStorage, run.error().message);
    if (json_) *context.out << RoundJson(*run, getpid()).dump() << "\n";
    if (int code = SignalExit(runner->signals()); code != kExitOk) return code;
    // Failed as a `crawl` exits 3 (app::CrawlFailures); RunRound logged why.
    if (run->outcome == storage::RunOutcome::kFailed) {
      return Fail(kExitFetch, "the round of " + schedule_ +
                                  " failed (see `podcrawl schedule history " +
                                  schedule_ + "` and the fetches table)");
    }
    return kExitOk;
  }

 private:
  std::string schedule_;
  bool wait_ = false;
  bool json_ = false;
  int64_t status_interval_ms_ = kStatusIntervalMs;
};

}  // namespace

std::unique_ptr<Command> NewScheduleRunCommand() {
  return std::make_unique<ScheduleRunCommand>();
}

}  // namespace cli
