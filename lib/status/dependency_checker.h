#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/worker_thread.h"
#include "status/health_state.h"

namespace podmon::status {

// Runs the live checks behind GET /health (the original's: the Kubernetes API and Elasticsearch;
// the store comes from the readiness poller) on a thread of its own, one round every `interval`,
// each check under its own deadline, and hands the answers to HealthState. /health then answers
// from memory on the status server's poll loop: callers can neither starve it nor make podmon
// hammer its dependencies, a hung dependency holds no request, and an answer that is not renewed
// in time (a check stuck past its deadline) counts as down.
class DependencyChecker {
 public:
  // Returns when the dependency answered usefully; throws (any std::exception, its message goes to
  // the log only) when it did not. Must finish within its own deadline.
  using Check = std::function<void()>;

  explicit DependencyChecker(HealthState& health, Clock::Ptr clock = SystemClock::instance());
  ~DependencyChecker();
  DependencyChecker(const DependencyChecker&) = delete;
  DependencyChecker& operator=(const DependencyChecker&) = delete;

  // Adds a check before start(). Throws nothing.
  void add(std::string name, Check check);
  // One round: every check once, in order. Throws nothing.
  void runOnce();
  // Rounds every `interval` on the thread; each answer is valid for `validFor` (more than the
  // interval plus the slowest check's deadline).
  void start(std::chrono::milliseconds interval, std::chrono::milliseconds validFor);
  void stop();

 private:
  HealthState& health_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, Check>> checks_;
  std::chrono::milliseconds validFor_{std::chrono::seconds(60)};
  WorkerThread worker_;
};

}  // namespace podmon::status
