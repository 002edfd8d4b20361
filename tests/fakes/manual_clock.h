#pragma once

#include <chrono>
#include <mutex>

#include "core/clock.h"

namespace podmon::testing {

// Time that moves only when the test says so. Steady time follows wall time; safe to read from
// the threads a test starts.
class ManualClock : public Clock {
 public:
  // Default start: 2024-05-01T10:00:00Z.
  explicit ManualClock(std::chrono::system_clock::time_point start = std::chrono::system_clock::time_point(
                           std::chrono::seconds(1714557600)))
      : now_(start) {}
  std::chrono::system_clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  std::chrono::steady_clock::time_point steadyNow() const override {
    std::lock_guard lock(mutex_);
    return std::chrono::steady_clock::time_point(now_.time_since_epoch());
  }
  void advance(std::chrono::system_clock::duration by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point now_;
};

}  // namespace podmon::testing
