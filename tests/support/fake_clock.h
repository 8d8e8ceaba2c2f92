// FakeClock: a core::Clock that tests set and advance by hand, so a
// schedule's hours or days run in microseconds and no test sleeps.
// Thread-safe: the time is atomic, so a test may advance it while a daemon
// loop on another thread reads it.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/clock.h"

namespace testsupport {

class FakeClock final : public core::Clock {
 public:
  explicit FakeClock(int64_t start_ms = 0) : now_ms_(start_ms) {}

  int64_t NowMs() const override { return now_ms_.load(); }

  // Sets the time to `ms` (Unix milliseconds); it may go backwards.
  void Set(int64_t ms) { now_ms_.store(ms); }

  // Moves the time forward by `ms` (backwards when negative); returns the new
  // time.
  int64_t Advance(int64_t ms) { return now_ms_.fetch_add(ms) + ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace testsupport
