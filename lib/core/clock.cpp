#include "core/clock.h"

namespace podmon {

bool Clock::waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                      std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done) const {
  return cv.wait_for(lock, deadline - steadyNow(), done);
}

Clock::Ptr SystemClock::instance() {
  static Ptr clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace podmon
