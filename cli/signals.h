// Graceful stop on SIGINT / SIGTERM (DESIGN.md "The command line": exit 130 /
// 143 after a clean shutdown). The first signal sets a flag the crawl loop
// polls; a second one exits at once, which still leaves a consistent database
// (every write is a committed SQLite transaction or none).
//
// For `podcrawl daemon` the handlers also take SIGHUP (reload the config), and
// every signal wakes a thread sleeping in SleepMs (a self-pipe the handler
// writes to), so the daemon sleeps until its next due time without polling.
#pragma once

#include <atomic>
#include <cstdint>

namespace cli {

class StopSignals {
 public:
  // Installs the handlers (with `handle_hup`, SIGHUP's too); the previous ones
  // are restored by the destructor. One at a time.
  explicit StopSignals(bool handle_hup = false);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Returns the flag set by the first SIGINT or SIGTERM.
  const std::atomic<bool>& stop() const;
  // Returns the signal received (SIGINT or SIGTERM), or 0.
  int signal() const;
  // Returns true once for each time SIGHUP arrived since the last call
  // (several arrivals count once).
  bool TakeReload();
  // Sleeps up to `ms` milliseconds; returns early, true, when a signal
  // arrives (or arrived since the last call). Returns false after the full
  // sleep.
  bool SleepMs(int64_t ms);
};

// Returns the exit code of a command stopped by a signal: 130 / 143 after
// SIGINT / SIGTERM, else 0 (cli/command.h ExitCode).
int SignalExit(const StopSignals& signals);

}  // namespace cli
