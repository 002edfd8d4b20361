#pragma once

#include <chrono>

namespace podmon {

// A token bucket like client-go's client-side rate limiter (golang.org/x/time/rate): `qps`
// tokens a second flow into a bucket that holds at most `burst`; each request takes one token,
// and a request that finds the bucket empty reserves the next token to come and is told how long
// to wait for it. Pure: the caller passes the (monotonic) time, so tests decide when time passes.
// Not thread-safe: RequestRateLimiter holds the lock around it.
class TokenBucket {
 public:
  // Starts full. Throws std::invalid_argument when qps <= 0 or burst < 1.
  TokenBucket(double qps, int burst, std::chrono::steady_clock::time_point now);

  // Takes one token (reserving it ahead when none is left) and returns how long to wait before
  // the request may go: zero while the burst lasts, then 1/qps per request queued ahead.
  std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now);

  // Tokens available at `now` (negative: that many requests are waiting for theirs).
  double tokens(std::chrono::steady_clock::time_point now) const;

 private:
  double qps_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace podmon
