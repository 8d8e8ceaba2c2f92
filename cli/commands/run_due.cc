// podcrawl run --due [--wait] [--db PATH]: runs the rounds the schedules say
// are due now, earliest first, then exits (for cron and systemd timers). Exits
// 75 when another run or daemon holds the database's schedules (--wait waits).
#include <spdlog/spdlog.h>
#include <unistd.h>

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
  }

  bool needs_schedules() const override { return true; }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    StopSignals signals;
    auto opened = OpenScheduleSession(config, wait_, signals);
    if (const int* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<ScheduleSession>(opened);

    core::SystemClock clock;
    ProgressLine progress(!context.common->quiet && isatty(STDERR_FILENO) == 1);
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
      spdlog::info("{}", app::DescribeNext(*after, clock.NowMs()));
    }
    if (all_failed) {
      return Fail(kExitFetch,
                  "a round fetched no page (see `podcrawl schedule list` and "
                  "the fetches table)");
    }
    return kExitOk;
  }

 private:
  bool due_ = false;
  bool wait_ = false;
};

}  // namespace

std::unique_ptr<Command> NewRunDueCommand() {
  return std::make_unique<RunDueCommand>();
}

}  // namespace cli
