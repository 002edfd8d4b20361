#include "status/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace podmon::status {

RateLimiter::RateLimiter(int perHour, Clock::Ptr clock, std::size_t maxClients)
    : capacity_(std::max(1, perHour)),
      perSecond_(std::max(1, perHour) / 3600.0),
      clock_(std::move(clock)),
      maxClients_(std::max<std::size_t>(1, maxClients)) {}

RateLimiter::Decision RateLimiter::take(const std::string& client) {
  auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  forgetIdle(now);
  auto& b = bucketOf(client, now);
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(capacity_, b.tokens + elapsed * perSecond_);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  auto wait = static_cast<long long>(std::ceil((1.0 - b.tokens) / perSecond_));
  return {false, std::chrono::seconds(std::max(1LL, wait))};
}

RateLimiter::Bucket& RateLimiter::bucketOf(const std::string& client, std::chrono::steady_clock::time_point now) {
  if (auto it = buckets_.find(client); it != buckets_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);  // now the most recently used
    return lru_.front();
  }
  if (buckets_.size() >= maxClients_) {
    buckets_.erase(lru_.back().client);
    lru_.pop_back();
  }
  lru_.push_front(Bucket{client, capacity_, now});
  buckets_.emplace(client, lru_.begin());
  return lru_.front();
}

std::size_t RateLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forgetIdle(std::chrono::steady_clock::time_point now) {
  // A bucket idle for an hour is full again: dropping it changes nothing. The least recently
  // used are at the back, so the sweep stops at the first bucket still in use.
  if (now - lastSweep_ < std::chrono::minutes(1)) return;
  lastSweep_ = now;
  while (!lru_.empty() && now - lru_.back().updated >= std::chrono::hours(1)) {
    buckets_.erase(lru_.back().client);
    lru_.pop_back();
  }
}

}  // namespace podmon::status
