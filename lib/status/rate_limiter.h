#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace podmon::status {

// A token bucket per client (address): `perHour` requests an hour, up to `perHour` at once, so a
// polling status page is never cut off while a runaway script is. Idle clients are forgotten, and
// at most `maxClients` buckets are kept: a flood of source addresses evicts the least recently
// used bucket (that client starts again with a full bucket) instead of growing memory.
class RateLimiter {
 public:
  static constexpr std::size_t kDefaultMaxClients = 4096;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retryAfter{0};  // when refused: until one token is back
  };

  RateLimiter(int perHour, Clock::Ptr clock, std::size_t maxClients = kDefaultMaxClients);
  Decision take(const std::string& client);
  std::size_t clients() const;

 private:
  struct Bucket {
    std::string client;
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  using Lru = std::list<Bucket>;  // most recently used first

  Bucket& bucketOf(const std::string& client, std::chrono::steady_clock::time_point now);
  void forgetIdle(std::chrono::steady_clock::time_point now);

  double capacity_;
  double perSecond_;
  Clock::Ptr clock_;
  std::size_t maxClients_;
  mutable std::mutex mutex_;
  Lru lru_;
  std::unordered_map<std::string, Lru::iterator> buckets_;
  std::chrono::steady_clock::time_point lastSweep_{};
};

}  // namespace podmon::status
