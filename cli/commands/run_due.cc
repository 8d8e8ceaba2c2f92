// podcrawl run --due [--wait] [--db PATH]: runs the rounds the schedules say
// are due now, earliest first, then exits (for cron and systemd timers). Exits
// 75 when another run or daemon holds the database's schedules (--wait waits).
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/rounds.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
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
    AddDbFlag(app);
    AddStatusIntervalFlag(app, &status_interval_ms_);
  }

  bool needs_schedules() const override { return true; }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    StopSignals signals;
    auto opened = OpenScheduleSession(config, wait_, signals);
    if (const int* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<ScheduleSession>(opened);

    core::SystemClock clock;
    ProgressLine progress(ProgressStyleForStderr(context.common->quiet),
                          status_interval_ms_);
    app::Rounds rounds(config, session.store.get(), session.schedules.get(),
                       &clock, &signals.stop(), &progress);
    auto states = rounds.States();
    if (!states) return Fail(kExitStorage, states.error().message);
    const int64_t now = clock.NowMs();
    const std::vector<crawler::DueRound> due =
        crawler::PlanDueRounds(*states, now);
    if (due.empty()) {
      spdlog::info("nothing is due in {}; {}", config.db,
                   app::DescribeNext(*states, now));
      return kExitOk;
    }
    int failed_rounds = 0;
    for (const crawler::DueRound& round : due) {
      if (signals.stop().load()) break;
      auto run = rounds.RunRound(round);
      if (!run) return Fail(kExitStorage, run.error().message);
      // Failed as a `crawl` exits 3 (app::CrawlFailures); RunRound logged why.
      if (run->outcome == storage::RunOutcome::kFailed) ++failed_rounds;
    }
    if (int code = SignalExit(signals); code != kExitOk) return code;
    if (auto after = rounds.States(); after) {
      spdlog::info("{}", app::DescribeNext(*after, clock.NowMs()));
    }
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
  bool due_ = false;
  bool wait_ = false;
  int64_t status_interval_ms_ = kStatusIntervalMs;
};

}  // namespace

std::unique_ptr<Command> NewRunDueCommand() {
  return std::make_unique<RunDueCommand>();
}

}  // namespace cli
