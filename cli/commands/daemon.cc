// podcrawl daemon [--db PATH]: runs the schedules' rounds as they come due
// until SIGTERM or SIGINT; SIGHUP reloads the config. A second daemon (or a
// `run --due`) on the same database exits 75.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "app/rounds.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/schedule_session.h"
#include "cli/signals.h"
#include "core/clock.h"

namespace cli {
namespace {

// SIGHUP: the daemon's config again, unless it is invalid or names another
// database (the old one is kept and the reason logged).
void ReloadConfig(const CommandContext& context, app::Rounds* rounds) {
  auto reloaded = context.reload();  // schedules required (needs_schedules)
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

class DaemonCommand : public Command {
 public:
  std::string name() const override { return "daemon"; }
  std::string description() const override {
    return "run the schedules until SIGTERM or SIGINT; SIGHUP reloads the "
           "config";
  }

  void AddFlags(CLI::App* app) override {
    AddDbFlag(app);
    AddStatusIntervalFlag(app, &status_interval_ms_);
  }

  bool needs_schedules() const override { return true; }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    StopSignals signals(/*handle_hup=*/true);
    auto opened = OpenScheduleSession(config, /*wait=*/false, signals);
    if (const int* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<ScheduleSession>(opened);

    core::SystemClock clock;
    // A daemon's stderr is a journal or a file: status lines, no live line.
    ProgressLine progress(
        context.common->quiet ? ProgressStyle::kOff : ProgressStyle::kLog,
        status_interval_ms_);
    app::Rounds rounds(config, session.store.get(), session.schedules.get(),
                       &clock, &signals.stop(), &progress);
    spdlog::info("daemon (pid {}) running {} schedule(s) on {}", getpid(),
                 config.schedules.size(), config.db);
    while (!signals.stop().load()) {
      if (signals.TakeReload()) ReloadConfig(context, &rounds);
      auto sleep_ms = app::DaemonTurn(rounds, clock, signals.stop());
      if (!sleep_ms) return Fail(kExitStorage, sleep_ms.error().message);
      if (*sleep_ms > 0 && !signals.stop().load()) signals.SleepMs(*sleep_ms);
    }
    spdlog::info("daemon stopped");
    return SignalExit(signals);
  }

 private:
  int64_t status_interval_ms_ = kStatusIntervalMs;
};

}  // namespace

std::unique_ptr<Command> NewDaemonCommand() {
  return std::make_unique<DaemonCommand>();
}

}  // namespace cli
