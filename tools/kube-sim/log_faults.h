#pragma once

#include <mutex>

namespace podmon::kubesim {

// Faults injected into pods/log requests: a delay before answering, and a number of requests
// that fail with a chosen HTTP status, to test how a watcher copes with a slow or failing kubelet.
class LogFaults {
 public:
  struct Settings {
    int delayMs = 0;
    int failStatus = 500;
    int failCount = 0;
  };
  void set(const Settings& settings);
  Settings get() const;
  // Returns the status to fail this request with (consuming one failure), or 0.
  int takeFailure();

 private:
  mutable std::mutex mu_;
  Settings settings_;
};

}  // namespace podmon::kubesim
