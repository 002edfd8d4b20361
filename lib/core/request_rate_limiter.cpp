#include "core/request_rate_limiter.h"

namespace podmon {

RequestRateLimiter::RequestRateLimiter(double qps, int burst, Clock::Ptr clock)
    : clock_(std::move(clock)), bucket_(qps, burst, clock_->steadyNow()) {}

void RequestRateLimiter::acquire() {
  std::unique_lock lock(mutex_);
  const auto now = clock_->steadyNow();
  const auto wait = bucket_.reserve(now);
  if (wait <= std::chrono::nanoseconds::zero()) return;
  ++throttled_;
  // The token is reserved: other callers queue behind it without waiting for this one.
  const auto until = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait);
  clock_->waitUntil(never_, lock, until, [] { return false; });
}

uint64_t RequestRateLimiter::throttled() const {
  std::lock_guard lock(mutex_);
  return throttled_;
}

}  // namespace podmon
