#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

#include "core/clock.h"

namespace podmon::testing {

// Time that moves only when the test says so. Steady time follows wall time; safe to read from
// the threads a test starts.
class ManualClock : public Clock {
 public:
  // Default start: 2024-05-01T10:00:00Z.
  explicit ManualClock(std::chrono::system_clock::time_point start =
                           std::chrono::system_clock::time_point(std::chrono::seconds(1714557600)))
      : now_(start) {}
  std::chrono::system_clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  std::chrono::steady_clock::time_point steadyNow() const override {
    std::lock_guard lock(mutex_);
    return std::chrono::steady_clock::time_point(now_.time_since_epoch());
  }
  // Ends when the test has moved the clock past the deadline (looked at every real millisecond).
  bool waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done) const override {
    ++sleepers_;
    bool ended = false;
    while (!(ended = done()) && steadyNow() < deadline) cv.wait_for(lock, std::chrono::milliseconds(1));
    --sleepers_;
    return ended;
  }
  // Threads inside waitUntil (their deadline is fixed: a test may now move the clock).
  int sleepers() const { return sleepers_.load(); }
  void advance(std::chrono::system_clock::duration by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point now_;
  mutable std::atomic<int> sleepers_{0};
};

}  // namespace podmon::testing
