#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace podmon::status {

// A token bucket per client (address): `perHour` requests an hour, up to `perHour` at once, so a
// polling status page is never cut off while a runaway script is. Idle clients are forgotten.
class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    std::chrono::seconds retryAfter{0};  // when refused: until one token is back
  };

  RateLimiter(int perHour, Clock::Ptr clock);
  Decision take(const std::string& client);
  std::size_t clients() const;

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  void forgetIdle(std::chrono::steady_clock::time_point now);

  double capacity_;
  double perSecond_;
  Clock::Ptr clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
  std::chrono::steady_clock::time_point lastSweep_{};
};

}  // namespace podmon::status
