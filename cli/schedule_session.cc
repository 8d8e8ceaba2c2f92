#include "cli/schedule_session.h"

#include <csignal>
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

}  // namespace cli
