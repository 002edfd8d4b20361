#include "core/token_bucket.h"

#include <algorithm>
#include <stdexcept>

namespace podmon {

TokenBucket::TokenBucket(double qps, int burst, std::chrono::steady_clock::time_point now)
    : qps_(qps), burst_(burst), tokens_(burst), last_(now) {
  if (!(qps > 0)) throw std::invalid_argument("token bucket: qps must be above 0");
  if (burst < 1) throw std::invalid_argument("token bucket: burst must be at least 1");
}

double TokenBucket::tokens(std::chrono::steady_clock::time_point now) const {
  // Time never runs backwards here: a caller passing an older time gets no refill.
  const double elapsed = std::chrono::duration<double>(std::max(now, last_) - last_).count();
  return std::min(burst_, tokens_ + elapsed * qps_);
}

std::chrono::nanoseconds TokenBucket::reserve(std::chrono::steady_clock::time_point now) {
  tokens_ = tokens(now);
  last_ = std::max(now, last_);
  tokens_ -= 1;
  if (tokens_ >= 0) return std::chrono::nanoseconds::zero();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(-tokens_ / qps_));
}

}  // namespace podmon
