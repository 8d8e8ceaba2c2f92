#include "cli/schedule_session.h"

#include <csignal>
#include <memory>
#include <utility>

#include "app/options.h"
#include "cli/command.h"

namespace cli {

std::variant<ScheduleSession, int> OpenScheduleSession(
    const config::Config& config, bool wait, const StopSignals& signals) {
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
  auto store = app::OpenStore(config);
  if (!store) return Fail(kExitStorage, store.error().message);
  auto schedules = storage::ScheduleStore::Open(config.db);
  if (!schedules) return Fail(kExitStorage, schedules.error().message);
  return ScheduleSession{std::move(lock).value(), std::move(store).value(),
                         std::move(schedules).value()};
}

std::unique_ptr<RoundRunner> RoundRunner::Open(const CommandContext& context,
                                               bool wait,
                                               int64_t status_interval_ms,
                                               int* exit_code) {
  auto signals = std::make_unique<StopSignals>();
  auto opened = OpenScheduleSession(context.config, wait, *signals);
  if (const int* code = std::get_if<int>(&opened)) {
    *exit_code = *code;
    return nullptr;
  }
  return std::unique_ptr<RoundRunner>(new RoundRunner(
      context, std::move(signals), std::get<ScheduleSession>(std::move(opened)),
      status_interval_ms));
}

RoundRunner::RoundRunner(const CommandContext& context,
                         std::unique_ptr<StopSignals> signals,
                         ScheduleSession session, int64_t status_interval_ms)
    : signals_(std::move(signals)),
      session_(std::move(session)),
      progress_(ProgressStyleForStderr(context.common->quiet),
                status_interval_ms),
      rounds_(context.config, session_.store.get(), session_.schedules.get(),
              &clock_, &signals_->stop(), &progress_) {}

}  // namespace cli
