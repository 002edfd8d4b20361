#pragma once

#include <string>

#include "http_exchange.h"

namespace podmon::kubesim {

class KubeSimServer;

// pods/log: the current or previous instance's log as text/plain, with tailLines and limitBytes
// applied as the kubelet does, the kubelet's error messages, and the injected log faults.
class PodLogApi {
 public:
  explicit PodLogApi(KubeSimServer& server) : server_(server) {}
  void get(HttpExchange& ex, const std::string& ns, const std::string& pod);

  // Last `lines` lines of `text` (a final line without '\n' counts as a line).
  static std::string tail(const std::string& text, long long lines);

 private:
  KubeSimServer& server_;
};

}  // namespace podmon::kubesim
