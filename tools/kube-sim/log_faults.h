#pragma once

#include <map>
#include <mutex>
#include <string>

namespace podmon::kubesim {

// Faults injected into pods/log requests: a delay before answering (every request, or only the
// next delayCount ones, so a client's timeout fires once and its retry succeeds), a number of
// requests that fail with a chosen HTTP status, and per-pod delays (the log of one pod answers
// after D ms, every time, until cleared: one hung kubelet among healthy ones), to test how podmon
// copes with a slow or failing kubelet.
class LogFaults {
 public:
  struct Settings {
    int delayMs = 0;
    int failStatus = 500;
    int failCount = 0;
    int delayCount = -1;  // requests delayed by delayMs: -1 = every one, N = the next N
  };
  // Replaces every log fault (per-pod delays cleared too).
  void set(const Settings& settings);
  // The log of pod namespace/pod answers after delayMs (0 clears it). Throws nothing.
  void setPodDelay(const std::string& namespace_, const std::string& pod, int delayMs);
  // How long to hold a request for this pod's log: its own delay when it has one, else the
  // general one (consuming one delayed request).
  int takeDelayMs(const std::string& namespace_, const std::string& pod);
  std::size_t podDelays() const;
  Settings get() const;
  // Returns the status to fail this request with (consuming one failure), or 0.
  int takeFailure();
  // Returns how long to hold this request before answering (consuming one delayed request).
  int takeDelayMs();

 private:
  mutable std::mutex mu_;
  Settings settings_;
  std::map<std::string, int> podDelayMs_;  // "namespace/pod"
};

}  // namespace podmon::kubesim
