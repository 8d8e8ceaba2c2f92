// Clock: where podcrawl reads the time, so tests can run a schedule's hours
// in microseconds (a FakeClock in tests/support); and SaturatingAdd, the one
// way times and durations in milliseconds are added without overflowing.
#pragma once

#include <cstdint>
#include <limits>

namespace core {

// Returns a + b, saturating at the int64 limits instead of overflowing (a
// time plus a huge or "never" duration stays the largest time). Thread-safe.
constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (b > 0 && a > kMax - b) return kMax;
  if (b < 0 && a < kMin - b) return kMin;
  return a + b;
}

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time in Unix milliseconds.
  virtual int64_t NowMs() const = 0;
};

// The system's real-time clock (std::chrono::system_clock).
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

}  // namespace core
