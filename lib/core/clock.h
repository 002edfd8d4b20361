#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

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
  // Blocks on `cv` (`lock` held on entry and on return) until `deadline` in steadyNow()'s time or
  // until `done()` holds after a notify; returns done(). This waits in real time for what is left
  // until the deadline; a simulated clock overrides it to wait until the test moves it on.
  virtual bool waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done) const;
};

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steadyNow() const override { return std::chrono::steady_clock::now(); }
  static Ptr instance();
};

}  // namespace podmon
