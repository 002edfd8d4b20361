#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "core/clock.h"
#include "core/token_bucket.h"

namespace podmon {

// Client-side limit on requests to one server (the Kubernetes API: KUBE_API_QPS, KUBE_API_BURST),
// shared by every thread that calls it, so a crash storm (a log, a pod and events per crash, on
// ENRICH_WORKERS threads) cannot overload the API server. Waits on the injected clock.
class RequestRateLimiter {
 public:
  using Ptr = std::shared_ptr<RequestRateLimiter>;
  // Throws std::invalid_argument when qps <= 0 or burst < 1.
  RequestRateLimiter(double qps, int burst, Clock::Ptr clock = SystemClock::instance());

  // Blocks until the caller's request may go (at once while the burst lasts). Never throws.
  void acquire();
  // Requests that had to wait for a token, since start (metrics, tests).
  uint64_t throttled() const;

 private:
  Clock::Ptr clock_;
  mutable std::mutex mutex_;
  std::condition_variable never_;  // waits only end at their deadline
  TokenBucket bucket_;
  uint64_t throttled_ = 0;
};

}  // namespace podmon
