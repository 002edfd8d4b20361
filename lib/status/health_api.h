#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"
#include "status/api_auth.h"
#include "status/http_exchange.h"
#include "status/rate_limiter.h"
#include "store/crash_repository.h"

namespace podmon::status {

struct HealthApiOptions {
  std::string clusterName;
  std::string token;  // "" = the API is off (404)
  int ratePerHour = 3600;
  std::chrono::milliseconds window{std::chrono::minutes(10)};  // HEALTH_WINDOW
  int maxLimit = 500;
};

// The workload health API for status pages (what k8s-heartbeat offered):
//   GET|HEAD /api/v1/healthz/{namespace}/{kind}/{name}  -> 200 healthy, 503 crashed within the window
//   GET      /api/v1/crashes?namespace=&since=&limit=&include_logs=
// Every call is rate limited per client (429 + Retry-After) and needs the token (401).
class HealthApi {
 public:
  HealthApi(HealthApiOptions options, store::CrashRepository::Ptr store, Clock::Ptr clock = SystemClock::instance());

  static bool handles(const std::string& path) { return path.rfind("/api/", 0) == 0; }
  ApiResponse handle(const ApiRequest& request);

 private:
  ApiResponse workloadHealth(const ApiRequest& request, const std::string& rest);
  ApiResponse crashes(const ApiRequest& request);

  HealthApiOptions options_;
  store::CrashRepository::Ptr store_;
  Clock::Ptr clock_;
  ApiAuth auth_;
  RateLimiter limiter_;
};

}  // namespace podmon::status
