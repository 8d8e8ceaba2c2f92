// Clock: where podcrawl's scheduling code reads the time, so tests can run a
// schedule's hours in microseconds (a FakeClock in tests/support).
#pragma once

#include <cstdint>

namespace core {

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
