// What `podcrawl run --due` and `podcrawl daemon` hold while they run rounds:
// the database's run lock (storage::RunLock: two processes never run rounds on
// one database at once), the store and the schedule store.
#pragma once

#include <memory>
#include <variant>

#include "cli/signals.h"
#include "config/config.h"
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

}  // namespace cli
