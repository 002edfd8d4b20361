#pragma once

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <string>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/rate_limited_log.h"
#include "core/worker_thread.h"
#include "kube/kube_api.h"
#include "kube/pod_parser.h"

namespace podmon::kube {

// Receives what the watcher learns, in order, on the watcher's thread. A handler may block
// (back-pressure: the watch is simply read later); it should not throw.
class PodEventHandler {
 public:
  virtual ~PodEventHandler() = default;
  // A full list follows: every pod through onSyncPod, then onSyncEnd. `initial` is true once.
  virtual void onSyncStart(bool initial) = 0;
  virtual void onSyncPod(const PodSnapshot& pod) = 0;
  virtual void onSyncEnd() = 0;
  // ADDED, MODIFIED or DELETED from the watch.
  virtual void onPodEvent(const WatchEvent& event) = 0;
};

// Counters the watcher keeps (read by metrics and tests; all atomics).
struct WatchStats {
  std::atomic<uint64_t> events{0};
  std::atomic<uint64_t> bookmarks{0};
  std::atomic<uint64_t> added{0};
  std::atomic<uint64_t> modified{0};
  std::atomic<uint64_t> deleted{0};
  std::atomic<uint64_t> errorEvents{0};  // ERROR events (410 Gone and others)
  std::atomic<uint64_t> lists{0};
  std::atomic<uint64_t> relistsGone{0};
  std::atomic<uint64_t> relistsMalformed{0};
  std::atomic<uint64_t> reconnects{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> malformedEvents{0};
  std::atomic<uint64_t> resumes{0};  // watches resumed from the last resourceVersion after a failure
  std::atomic<bool> synced{false};
  std::atomic<int64_t> lastProgressSteadyMs{0};
};

struct PodWatcherOptions {
  PodQuery query;
  std::set<std::string> ignoreNamespaces;
  int minTimeoutSeconds = 300;  // watch timeoutSeconds is random in [min, max]
  int maxTimeoutSeconds = 600;
  Backoff::Params backoff{};
};

// A reflector like client-go's: list (paginated), then watch from the list's resourceVersion
// with bookmarks; a clean end of stream re-watches from the last resourceVersion at once. Every
// failure (a 410, a malformed line, a dropped or refused connection, a watch closed at once) waits
// the next delay of one jittered Backoff (0.8 s doubling to 30 s, reset after 2 min without
// failures) and then resumes the watch from the last event's or bookmark's resourceVersion; only
// a 410 (or no resourceVersion yet) makes it list again. Failures are logged at most once per
// 10 s per kind, with a count, so a storm costs a few requests and lines, not thousands.
class PodWatcher {
 public:
  PodWatcher(KubeApi::Ptr api, PodWatcherOptions options, PodEventHandler& handler, WatchStats& stats,
             Clock::Ptr clock = SystemClock::instance());

  // Runs until stop() is called. Never throws.
  void run();
  void stop();
  bool stopping() const { return stopping_.load(); }

 private:
  void listAndSync(bool initial);
  void watchOnce();
  void handleLine(std::string_view line);
  void sleepFor(std::chrono::milliseconds delay);
  enum class Failure { kExpired, kMalformed, kError };
  // Backs off after a failure: decides between resume and relist, logs (rate-limited), sleeps.
  void backOffAfter(Failure kind, const std::string& what);
  bool ignored(const std::string& namespace_) const { return options_.ignoreNamespaces.count(namespace_) > 0; }
  void markProgress();

  KubeApi::Ptr api_;
  PodWatcherOptions options_;
  PodEventHandler& handler_;
  WatchStats& stats_;
  Clock::Ptr clock_;
  PodParser parser_;
  Backoff backoff_;
  std::mt19937 rng_;
  std::string resourceVersion_;
  bool needList_ = true;
  RateLimitedLog expiredLog_;
  RateLimitedLog malformedLog_;
  RateLimitedLog errorLog_;
  uint64_t eventsThisWatch_ = 0;
  std::atomic<bool> stopping_{false};
  WorkerThread sleeper_;  // run() is called on a thread the caller owns: only the stop-aware sleep
};

}  // namespace podmon::kube
