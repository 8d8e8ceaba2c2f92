// Graceful stop on SIGINT / SIGTERM (DESIGN.md "The command line": exit 130 /
// 143 after a clean shutdown). The first signal sets a flag the crawl loop
// polls; a second one exits at once, which still leaves a consistent database
// (every write is a committed SQLite transaction or none).
#pragma once

#include <atomic>

namespace cli {

class StopSignals {
 public:
  // Installs the handlers; the previous ones are restored by the destructor.
  // One at a time.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Returns the flag set by the first signal.
  const std::atomic<bool>& stop() const;
  // Returns the signal received (SIGINT or SIGTERM), or 0.
  int signal() const;
};

}  // namespace cli
