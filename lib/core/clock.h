#pragma once

#include <chrono>
#include <memory>

namespace podmon {

// Time is read only through this interface so tests can simulate it (windows, backoff, expiry).
class Clock {
 public:
  using Ptr = std::shared_ptr<Clock>;
  virtual ~Clock() = default;
  // Wall-clock time, for timestamps that leave the process.
  virtual std::chrono::system_clock::time_point now() const = 0;
  // Monotonic time, for durations and deadlines.
  virtual std::chrono::steady_clock::time_point steadyNow() const = 0;
};

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steadyNow() const override { return std::chrono::steady_clock::now(); }
  static Ptr instance();
};

}  // namespace podmon
