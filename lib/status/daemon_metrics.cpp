#include "status/daemon_metrics.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/errors.h"

namespace podmon::status {
namespace {

constexpr const char* kPollerLoop = "metrics_poller";
constexpr const char* kCrashesDetected = "podmon_crashes_detected_total";

double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

constexpr const char* kDeliveryLatencyHelp = "From the crash being stored to its delivery being recorded, by sink.";
constexpr const char* kFailuresHelp = "Failed delivery attempts by sink and cause (retried or given up).";

}  // namespace

DaemonMetrics::DaemonMetrics(MetricsRegistry& registry, HealthState& health, Clock::Ptr clock)
    : registry_(registry), health_(health), clock_(std::move(clock)), worker_(clock_) {
  registry_.gauge("podmon_build_info", "Always 1; the version is the label.", {{"version", PODMON_VERSION}}).set(1);
  registry_.gauge("podmon_process_start_time_seconds", "Start time of the process since the Unix epoch.")
      .set(std::chrono::duration<double>(clock_->now().time_since_epoch()).count());
  registry_.histogram("podmon_detection_latency_seconds",
                      "From the pod status change being received to the crash being stored.",
                      MetricsRegistry::latencyBuckets());
  for (const char* sink : {"elasticsearch", "slack"}) {
    registry_.histogram("podmon_delivery_latency_seconds", kDeliveryLatencyHelp, MetricsRegistry::latencyBuckets(),
                        {{"sink", sink}});
  }
  health_.setComponent("synced", ComponentState::kStarting, "the initial pod list has not completed");
}

DaemonMetrics::~DaemonMetrics() { stop(); }

void DaemonMetrics::setSources(Sources sources) {
  std::lock_guard lock(sourcesMutex_);
  sources_ = std::move(sources);
}

void DaemonMetrics::onRecorded(const store::CrashRecord& record, const store::RecordResult& result) {
  if (!result.isNew) {
    registry_.counter("podmon_crashes_duplicate_total", "Crashes found already stored (same crash key).").add(1);
    return;
  }
  const auto& e = record.event;
  {
    std::lock_guard lock(namespacesMutex_);
    const NamespaceSeriesCap::Decision ns = namespaces_.count(e.namespace_);
    if (ns.evicted) registry_.removeSeries(kCrashesDetected, "namespace", *ns.evicted);
    registry_
        .counter(kCrashesDetected,
                 "Container crashes recorded, by namespace (the 200 busiest; the others as _other) and reason.",
                 {{"namespace", ns.label}, {"reason", e.reason.empty() ? "Unknown" : e.reason}})
        .add(1);
  }
  // logsStatus is "captured", "unavailable: <why>", ...: keep only the first word as the label.
  std::string logs = record.logsStatus.substr(0, record.logsStatus.find_first_of(": "));
  registry_
      .counter("podmon_crash_logs_total", "Crash logs captured or not, by outcome.",
               {{"status", logs.empty() ? "none" : logs}})
      .add(1);
  if (e.detectedAt.time_since_epoch().count() > 0) {
    auto latency = clock_->now() - e.detectedAt;
    registry_.histogram("podmon_detection_latency_seconds", "", MetricsRegistry::latencyBuckets())
        .observe(std::max(0.0, seconds(latency)));
  }
}

void DaemonMetrics::onDelivery(const store::OutboxItem& item, const delivery::DeliveryOutcome& outcome) {
  using Kind = delivery::DeliveryOutcome::Kind;
  const std::string sink = store::toString(item.sink);
  if (item.sink == store::Sink::kElasticsearch && outcome.status > 0) {
    registry_
        .counter("podmon_es_bulk_items_total", "Elasticsearch bulk items by the status Elasticsearch gave them.",
                 {{"status", std::to_string(outcome.status)}})
        .add(1);
  }
  if (outcome.kind == Kind::kDelivered) {
    if (item.createdAt.time_since_epoch().count() > 0) {
      registry_
          .histogram("podmon_delivery_latency_seconds", kDeliveryLatencyHelp, MetricsRegistry::latencyBuckets(),
                     {{"sink", sink}})
          .observe(std::max(0.0, seconds(clock_->now() - item.createdAt)));
    }
    return;
  }
  if (outcome.deferred) return;  // held back on purpose (crash-loop folding): no failure
  const std::string cause = outcome.cause.empty() ? "other" : outcome.cause;
  registry_.counter("podmon_delivery_failures_total", kFailuresHelp, {{"sink", sink}, {"cause", cause}}).add(1);
  if (item.sink == store::Sink::kSlack && cause == "rate_limited") {
    registry_.counter("podmon_slack_rate_limited_total", "Slack answers of HTTP 429 (or ratelimited).").add(1);
  }
}

void DaemonMetrics::pollOnce() {
  Sources s;
  {
    std::lock_guard lock(sourcesMutex_);
    s = sources_;
  }
  health_.beat(kPollerLoop, std::chrono::seconds(60));

  const bool electing = static_cast<bool>(s.isLeader);
  const bool leading = !electing || s.isLeader();
  if (electing) {
    registry_.gauge("podmon_is_leader", "1 while this instance holds the lease and works.").set(leading ? 1 : 0);
    if (s.leadershipsGained)
      registry_.counter("podmon_leader_transitions_total", "Times this instance became the leader.")
          .setAtLeast(static_cast<double>(s.leadershipsGained()));
  }
  if (s.watch) {
    pollWatch(*s.watch, leading);
  } else if (!leading) {
    health_.setComponent("synced", ComponentState::kStandby, "standby: the leader watches");
  }
  pollPipeline(s);
  if (s.store) pollOutbox(*s.store, s.recorder);
  if (electing && !leading) {
    bool reachable = !s.leaseReachable || s.leaseReachable();
    health_.setComponent("lease", reachable ? ComponentState::kStandby : ComponentState::kDown,
                         reachable ? "standby, can take over" : "standby, cannot read the lease");
  } else if (electing) {
    health_.setCheck("lease", true, "leader");
  }
}

void DaemonMetrics::pollWatch(const kube::WatchStats& w, bool leading) {
  auto& r = registry_;
  constexpr const char* kEventsHelp = "Watch events received, by type.";
  r.counter("podmon_watch_events_total", kEventsHelp, {{"type", "ADDED"}}).setAtLeast(w.added.load());
  r.counter("podmon_watch_events_total", kEventsHelp, {{"type", "MODIFIED"}}).setAtLeast(w.modified.load());
  r.counter("podmon_watch_events_total", kEventsHelp, {{"type", "DELETED"}}).setAtLeast(w.deleted.load());
  r.counter("podmon_watch_events_total", kEventsHelp, {{"type", "BOOKMARK"}}).setAtLeast(w.bookmarks.load());
  r.counter("podmon_watch_events_total", kEventsHelp, {{"type", "ERROR"}}).setAtLeast(w.errorEvents.load());
  r.counter("podmon_watch_bookmarks_total", "BOOKMARK watch events received.").setAtLeast(w.bookmarks.load());
  r.counter("podmon_lists_total", "Full pod lists (initial and relists).").setAtLeast(w.lists.load());
  r.counter("podmon_relists_total", "Relists by cause.", {{"cause", "gone"}}).setAtLeast(w.relistsGone.load());
  r.counter("podmon_relists_total", "Relists by cause.", {{"cause", "malformed"}})
      .setAtLeast(w.relistsMalformed.load());
  r.counter("podmon_watch_reconnects_total", "Watches opened again after they ended or broke.")
      .setAtLeast(w.reconnects.load());
  r.counter("podmon_watch_errors_total", "Failed list or watch requests.").setAtLeast(w.errors.load());
  r.counter("podmon_malformed_events_total", "Watch lines that could not be parsed.")
      .setAtLeast(w.malformedEvents.load());
  r.gauge("podmon_watch_synced", "1 once the initial pod list has completed.").set(w.synced ? 1 : 0);
  if (auto last = w.lastProgressSteadyMs.load(); last > 0) {
    auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->steadyNow().time_since_epoch()).count();
    r.gauge("podmon_watch_last_progress_age_seconds", "Seconds since the last list or watch event.")
        .set(static_cast<double>(nowMs - last) / 1000.0);
  }
  if (!leading) health_.setComponent("synced", ComponentState::kStandby, "standby: the leader watches");
  else
    health_.setCheck("synced", w.synced.load(),
                     w.synced ? "initial pod list done" : "the initial pod list has not completed");
}

void DaemonMetrics::pollPipeline(const Sources& s) {
  auto& r = registry_;
  if (const auto* t = s.tracked) {
    r.gauge("podmon_pods_tracked", "Pods the crash detectors hold state for.").set(static_cast<double>(t->pods.load()));
    r.gauge("podmon_containers_tracked", "Containers the crash detectors hold state for.")
        .set(static_cast<double>(t->containers.load()));
  }

  if (const auto* rec = s.recorder) {
    r.counter("podmon_crashes_recorded_total", "Crashes newly stored in MySQL.")
        .setAtLeast(static_cast<double>(rec->recorded()));
    r.counter("podmon_db_errors_total", "Failed MySQL operations of the crash recorder.")
        .setAtLeast(static_cast<double>(rec->storeErrors()));
    r.gauge("podmon_recorder_queue_depth", "Crashes and baselines waiting to be stored.")
        .set(static_cast<double>(rec->queued()));
  }
  for (const auto& [sink, worker] : s.workers) {
    if (!worker) continue;
    r.counter("podmon_deliveries_total", "Outbox deliveries by sink and outcome.",
              {{"sink", sink}, {"outcome", "delivered"}})
        .setAtLeast(static_cast<double>(worker->delivered()));
    r.counter("podmon_deliveries_total", "Outbox deliveries by sink and outcome.",
              {{"sink", sink}, {"outcome", "retry"}})
        .setAtLeast(static_cast<double>(worker->retried()));
    r.counter("podmon_deliveries_total", "Outbox deliveries by sink and outcome.",
              {{"sink", sink}, {"outcome", "dead"}})
        .setAtLeast(static_cast<double>(worker->dead()));
  }
}

void DaemonMetrics::pollOutbox(store::Outbox& outbox, const pipeline::CrashRecorder* recorder) {
  auto& r = registry_;
  try {
    for (const auto& o : outbox.outboxStats()) {
      Labels l{{"sink", store::toString(o.sink)}};
      r.gauge("podmon_outbox_pending", "Outbox rows not delivered yet.", l).set(static_cast<double>(o.pending));
      r.gauge("podmon_outbox_failed", "Pending outbox rows waiting for a retry.", l).set(static_cast<double>(o.failed));
      r.gauge("podmon_outbox_dead", "Outbox rows given up on.", l).set(static_cast<double>(o.dead));
      r.gauge("podmon_outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox row (0 when none).", l)
          .set(o.oldestPendingAge ? seconds(*o.oldestPendingAge) : 0.0);
    }
    bool recorderOk = !recorder || recorder->storeHealthy();
    health_.setCheck("mysql", recorderOk, recorderOk ? "reachable" : "the crash recorder cannot write");
    r.gauge("podmon_mysql_up", "1 when the last MySQL poll succeeded.").set(1);
  } catch (const PodmonException& e) {
    health_.setCheck("mysql", false, "unreachable: " + e.message());
    r.gauge("podmon_mysql_up", "1 when the last MySQL poll succeeded.").set(0);
    r.counter("podmon_db_poll_errors_total", "Failed MySQL polls of the outbox backlog.").add(1);
  }
}

void DaemonMetrics::start(std::chrono::milliseconds interval) {
  worker_.startLoop([this, interval] {
    try {
      pollOnce();
    } catch (const std::exception& e) {
      spdlog::warn("metrics poll failed: {}", e.what());
    }
    return interval;
  });
}

void DaemonMetrics::stop() {
  worker_.stop();
  health_.forget(kPollerLoop);
}

}  // namespace podmon::status
