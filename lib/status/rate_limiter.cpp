#include "status/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace podmon::status {

RateLimiter::RateLimiter(int perHour, Clock::Ptr clock)
    : capacity_(std::max(1, perHour)), perSecond_(std::max(1, perHour) / 3600.0), clock_(std::move(clock)) {}

RateLimiter::Decision RateLimiter::take(const std::string& client) {
  auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  forgetIdle(now);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) it = buckets_.emplace(client, Bucket{capacity_, now}).first;
  auto& b = it->second;
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

std::size_t RateLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forgetIdle(std::chrono::steady_clock::time_point now) {
  // A bucket idle for an hour is full again: dropping it changes nothing.
  if (now - lastSweep_ < std::chrono::minutes(1)) return;
  lastSweep_ = now;
  std::erase_if(buckets_, [&](const auto& kv) { return now - kv.second.updated >= std::chrono::hours(1); });
}

}  // namespace podmon::status
