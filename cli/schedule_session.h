// What `podcrawl run --due` and `podcrawl daemon` hold while they run rounds:
// the database's run lock (storage::RunLock: two processes never run rounds on
// one database at once), the store and the schedule store.
#pragma once

#include <memory>
#include <variant>

#include "app/rounds.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "config/config.h"
#include "core/clock.h"
#include "storage/run_lock.h"
#include "storage/schedule_store.h"
#include "storage/store.h"

namespace cli {

struct ScheduleSession {
  storage::RunLock lock;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::ScheduleStore> schedules;
};

// Takes the run lock (waiting when `wait`, until a stop signal), then opens
// the database. On failure returns the exit code, the error logged: 75 when
// another process holds the lock, 130/143 when a signal ended the wait, 4 for
// a storage error.
std::variant<ScheduleSession, int> OpenScheduleSession(
    const config::Config& config, bool wait, const StopSignals& signals);

// What a command that runs rounds at once (`run --due`, `schedule run`) runs
// them with: the stop signals (SIGINT, SIGTERM), a ScheduleSession, the system
// clock, the progress line (ProgressStyleForStderr: a redrawn line on a
// terminal, status lines in a log) and app::Rounds over the session's stores,
// stopped by the signals.
class RoundRunner {
 public:
  // Installs the signal handlers, opens the session (OpenScheduleSession) and
  // returns the runner; on failure returns null with the exit code in
  // `*exit_code` (the error logged).
  // Outside a terminal a status line is logged every `status_interval_ms`.
  static std::unique_ptr<RoundRunner> Open(const CommandContext& context,
                                           bool wait,
                                           int64_t status_interval_ms,
                                           int* exit_code);

  RoundRunner(const RoundRunner&) = delete;
  RoundRunner& operator=(const RoundRunner&) = delete;

  app::Rounds& rounds() { return rounds_; }
  const core::Clock& clock() const { return clock_; }
  const StopSignals& signals() const { return *signals_; }

 private:
  RoundRunner(const CommandContext& context,
              std::unique_ptr<StopSignals> signals, ScheduleSession session,
              int64_t status_interval_ms);

  std::unique_ptr<StopSignals> signals_;
  ScheduleSession session_;
  core::SystemClock clock_;
  ProgressLine progress_;
  app::Rounds rounds_;
};

}  // namespace cli
