#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/worker_thread.h"
#include "kube/pod_watcher.h"
#include "pipeline/crash_recorder.h"
#include "pipeline/crash_tracker.h"
#include "pipeline/outbox_worker.h"
#include "status/health_state.h"
#include "status/metrics_registry.h"
#include "status/namespace_series_cap.h"
#include "store/crash_record.h"
#include "store/outbox.h"

namespace podmon::status {

// Feeds the metrics and the health checks from the daemon's parts. The parts keep their own
// atomic counters; a poller copies them into the registry every few seconds, together with the
// outbox backlog (which doubles as the MySQL readiness check). Crashes are counted as they are
// recorded, by namespace and reason, with the detection latency.
class DaemonMetrics {
 public:
  // What the poller reads. Pointers may be null (e.g. no recorder yet); they must outlive stop().
  struct Sources {
    const kube::WatchStats* watch = nullptr;
    const pipeline::CrashTracker::TrackedCounts* tracked = nullptr;
    const pipeline::CrashRecorder* recorder = nullptr;
    std::vector<std::pair<std::string, const pipeline::OutboxWorker*>> workers;  // sink name -> worker
    store::Outbox::Ptr store;
    // Leader election; both empty when it is off (then this instance always works).
    std::function<bool()> isLeader;
    std::function<bool()> leaseReachable;
    std::function<uint64_t()> leadershipsGained;
  };

  DaemonMetrics(MetricsRegistry& registry, HealthState& health, Clock::Ptr clock = SystemClock::instance());
  ~DaemonMetrics();

  void setSources(Sources sources);
  // Called for each stored crash (the recorder's callback).
  void onRecorded(const store::CrashRecord& record, const store::RecordResult& result);
  // Called for each delivery outcome once the outbox holds it (the workers' observer): delivery
  // latency, failures by cause, Elasticsearch bulk item statuses, Slack rate limits.
  void onDelivery(const store::OutboxItem& item, const delivery::DeliveryOutcome& outcome);
  void pollOnce();
  void start(std::chrono::milliseconds interval = std::chrono::seconds(5));
  void stop();

 private:
  // pollOnce's parts: the watch counters and the "synced" check; tracker, recorder and workers;
  // the outbox backlog and the "mysql" check.
  void pollWatch(const kube::WatchStats& w, bool leading);
  void pollPipeline(const Sources& s);
  void pollOutbox(store::Outbox& outbox, const pipeline::CrashRecorder* recorder);

  MetricsRegistry& registry_;
  HealthState& health_;
  Clock::Ptr clock_;
  std::mutex sourcesMutex_;
  Sources sources_;
  WorkerThread worker_;
  std::mutex namespacesMutex_;
  NamespaceSeriesCap namespaces_;  // podmon_crashes_detected_total: the busiest namespaces plus "_other"
};

}  // namespace podmon::status
