#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "core/clock.h"
#include "status/api_auth.h"
#include "status/crash_view_api.h"
#include "status/http_exchange.h"
#include "status/rate_limiter.h"
#include "status/ui_sessions.h"
#include "status/web_ui.h"
#include "store/crash_repository.h"

namespace podmon::status {

struct HealthApiOptions {
  std::string clusterName;
  std::string token;  // "" = the API is off (404)
  int ratePerHour = 3600;
  std::chrono::milliseconds window{std::chrono::minutes(10)};  // HEALTH_WINDOW
  int maxLimit = 500;
  // Requests with a missing or wrong token, per hour per client, in a budget of their own (0 = ratePerHour).
  int failedAuthPerHour = 0;
  // Log text (JSON-escaped bytes) one include_logs answer carries at most; later crashes come
  // without their logs and say so ("logsOmitted").
  std::size_t maxLogBytesPerAnswer = 8 * 1024 * 1024;
  // UI_AUTH=none: with no token the web view and the API's reads are open (local use, demo).
  bool openWithoutToken = false;
};

// The workload health API for status pages (what k8s-heartbeat offered):
//   GET|HEAD /api/v1/healthz/{namespace}/{kind}/{name}  -> 200 healthy, 503 crashed within the
//            window, 404 a workload the store never saw a pod of (a typo is never green)
//   GET      /api/v1/crashes?namespace=&since=&limit=&include_logs=&q=&cursor=  (nextCursor: the next page)
//   GET      /api/v1/crashes/{id}, /api/v1/fingerprints, /api/v1/timeline, /api/v1/namespaces (CrashViewApi)
//   /ui/     the web view (WebUi), whose session cookie the calls above accept as well as the token
// Every call needs the token or a web view session (401); with no token the API is off (404)
// unless UI_AUTH=none opened it. Calls with the right token are rate limited per client
// (429 + Retry-After); calls without it in a separate budget per client, so unauthenticated
// traffic (all of it from one ingress address) cannot use up the real callers' budget.
// Parameters are checked (400 with the reason); answers are bounded (limit, log byte budget).
class HealthApi {
 public:
  HealthApi(HealthApiOptions options, store::CrashRepository::Ptr store, Clock::Ptr clock = SystemClock::instance());

  static bool handles(const std::string& path) { return path.rfind("/api/", 0) == 0 || WebUi::handles(path); }
  ApiResponse handle(const ApiRequest& request);

 private:
  // The answer when the request may not go on (401, 429), nullopt when it may.
  std::optional<ApiResponse> admit(const ApiRequest& request);
  ApiResponse route(const ApiRequest& request);
  ApiResponse workloadHealth(const ApiRequest& request, const std::string& rest);
  ApiResponse crashes(const ApiRequest& request);

  HealthApiOptions options_;
  store::CrashRepository::Ptr store_;
  Clock::Ptr clock_;
  ApiAuth auth_;
  RateLimiter limiter_;        // callers with the right token
  RateLimiter failedLimiter_;  // requests with a missing or wrong token, and failed logins
  UiSessions sessions_;
  WebUi webUi_;
  CrashViewApi view_;
};

}  // namespace podmon::status
