#pragma once

#include <string>

#include "http_exchange.h"

namespace podmon::kubesim {

class KubeSimServer;

// Pods: list with limit/continue pagination and selectors, GET one pod, and watch (chunked JSON
// lines, bookmarks, 410 for an expired resourceVersion, timeoutSeconds). Throws ApiError.
class PodApi {
 public:
  explicit PodApi(KubeSimServer& server) : server_(server) {}

  void list(HttpExchange& ex, const std::string& ns);
  void get(HttpExchange& ex, const std::string& ns, const std::string& name);
  void watch(HttpExchange& ex, const std::string& ns);

 private:
  KubeSimServer& server_;
};

}  // namespace podmon::kubesim
