#pragma once

#include "http_exchange.h"

namespace podmon::kubesim {

// The discovery documents clients read before anything else (/version, /api, /apis, and the
// APIResourceList of each group version kube-sim serves). kubectl refuses to work without them.
class DiscoveryApi {
 public:
  // True if the path was a discovery path and was answered.
  static bool handle(HttpExchange& ex, const std::string& serverAddress);
};

}  // namespace podmon::kubesim
