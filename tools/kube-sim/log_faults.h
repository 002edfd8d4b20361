#pragma once

#include <mutex>

namespace podmon::kubesim {

// Faults injected into pods/log requests: a delay before answering (every request, or only the
// next delayCount ones, so a client's timeout fires once and its retry succeeds), and a number of
// requests that fail with a chosen HTTP status, to test how podmon copes with a slow or failing
// kubelet.
class LogFaults {
 public:
  struct Settings {
    int delayMs = 0;
    int failStatus = 500;
    int failCount = 0;
    int delayCount = -1;  // requests delayed by delayMs: -1 = every one, N = the next N
  };
  void set(const Settings& settings);
  Settings get() const;
  // Returns the status to fail this request with (consuming one failure), or 0.
  int takeFailure();
  // Returns how long to hold this request before answering (consuming one delayed request).
  int takeDelayMs();

 private:
  mutable std::mutex mu_;
  Settings settings_;
};

}  // namespace podmon::kubesim
