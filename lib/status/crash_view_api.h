#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.h"
#include "status/http_exchange.h"
#include "store/crash_repository.h"

namespace podmon::status {

// The read endpoints the web view needs beyond the crash list, on the same /api/v1 (so scripts
// can call them too), for the HealthApi to route to after it has admitted the request:
//   GET /api/v1/crashes/{id}                          one crash with its log, message, events
//   GET /api/v1/fingerprints?namespace=&since=&limit=  failures, most frequent first
//   GET /api/v1/timeline?hours=                        crashes per hour and namespace
//   GET /api/v1/namespaces                             namespaces with crashes (the filter)
// Parameters are checked (ApiParamError, 400); store failures pass as StoreException.
class CrashViewApi {
 public:
  CrashViewApi(std::string clusterName, store::CrashRepository::Ptr store, Clock::Ptr clock, int maxLimit);

  // The answer for one of the paths above, nullopt for any other path.
  std::optional<ApiResponse> route(const ApiRequest& request);

 private:
  ApiResponse crash(const ApiRequest& request, const std::string& idText);
  ApiResponse fingerprints(const ApiRequest& request);
  ApiResponse timeline(const ApiRequest& request);
  ApiResponse namespaces(const ApiRequest& request);

  std::string clusterName_;
  store::CrashRepository::Ptr store_;
  Clock::Ptr clock_;
  int maxLimit_;
};

}  // namespace podmon::status
