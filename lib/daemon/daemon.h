#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/redactor.h"
#include "core/request_rate_limiter.h"
#include "core/settings.h"
#include "core/shutdown.h"
#include "daemon/startup_warnings.h"
#include "kube/kube_transport.h"
#include "kube/pod_watcher.h"
#include "pipeline/active_sinks.h"
#include "pipeline/crash_enricher.h"
#include "pipeline/crash_recorder.h"
#include "pipeline/crash_tracker.h"
#include "pipeline/outbox_worker.h"
#include "pipeline/prune_worker.h"
#include "pipeline/sink_setup.h"
#include "spool/daemon_spool.h"
#include "status/daemon_metrics.h"
#include "status/dependency_checker.h"
#include "status/health_state.h"
#include "status/metrics_registry.h"
#include "status/status_server.h"
#include "store/store_factory.h"

namespace podmon::ha {
class LeaderElector;
}

namespace podmon::daemon {

// What the daemon reaches outside itself. Injected so `podmon demo` points it at kube-sim in
// process and the composition root (app/main.cpp) alone decides which store and sinks are real.
struct DaemonDependencies {
  // A new connection to the Kubernetes API: one per watcher, one for the log enricher, one for
  // the Lease. Throws KubeException or ConfigException when the connection cannot be set up.
  std::function<kube::KubeTransport::Ptr()> kubeTransport;
  std::string kubeDescription;  // "https://10.0.0.1:443 (in-cluster)", for the start-up line
  TransportFacts transport;     // for the start-up warnings (startupWarnings)
  // The store the settings name (connects lazily), writing an outbox row for each of the given
  // sinks. Called once, after the status server started. Throws ConfigException for unusable settings.
  std::function<store::OpenedStore(std::vector<store::Sink>)> openStore;
  // The active sinks' deliverers on that store (no I/O). Called once, right after openStore, with
  // the same decision. Throws ConfigException.
  std::function<std::vector<pipeline::ConfiguredSink>(const pipeline::ActiveSinks&, const store::OpenedStore&)>
      buildSinks;
  std::ostream* console = nullptr;  // one line per recorded crash
  Clock::Ptr clock = SystemClock::instance();
};

// podmon's daemon: the status server, the store and its sinks' outbox workers, the crash
// recorder, leader election and, while this replica leads, one pod watcher per namespace. It
// lives in the library (not in main) so the program, `podmon demo` and tests build the same thing
// from Settings and injected dependencies.
class Daemon {
 public:
  Daemon(Settings settings, DaemonDependencies dependencies);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Runs until `shutdown` is requested; returns the exit code (0). Throws ConfigException for bad
  // settings (before anything connects), Poco::Exception when the status port cannot be bound, and
  // StoreException for a store failure other than an unreachable server during start-up.
  int run(Shutdown& shutdown);

 private:
  struct WatchUnit;

  void startStatusServer();
  void openStoreAndSinks();
  void attachApi();
  void buildRecorder();
  void printCrashLine(const store::CrashRecord& record, const store::RecordResult& result);
  void startLeaderElection();
  void startMetrics();
  void startHealthChecks();
  bool leading() const;
  void runTerm(Shutdown& shutdown);
  std::vector<std::unique_ptr<WatchUnit>> startWatchers(const std::vector<store::ContainerState>& states);
  void stopTerm(Shutdown& shutdown, std::vector<std::unique_ptr<WatchUnit>>& units);
  void stop();
  // Runs `step` until it succeeds, backing off while the store is unreachable. False when a stop
  // was requested first. Other store errors (bad SQL, access denied) are fatal: they need an operator.
  bool untilDone(const char* what, Shutdown& shutdown, const std::function<void()>& step);

  Settings settings_;
  DaemonDependencies deps_;
  std::shared_ptr<const Redactor> redactor_;
  status::MetricsRegistry metrics_;
  status::HealthState health_;
  status::DaemonMetrics daemonMetrics_;
  status::DependencyChecker dependencyChecker_;  // GET /health's live checks
  std::vector<delivery::OutboxDeliverer::Ptr> checkedSinks_;
  std::unique_ptr<status::StatusServer> statusServer_;
  store::OpenedStore opened_;
  spool::DaemonSpool spool_;  // SPOOL_DIR (a no-op without it)
  std::vector<std::unique_ptr<pipeline::OutboxWorker>> workers_;
  std::unique_ptr<pipeline::PruneWorker> pruneWorker_;  // null when the store has no RetentionStore
  status::DaemonMetrics::Sources sources_;
  // KUBE_API_QPS / KUBE_API_BURST: one limit for every Kubernetes API request podmon makes.
  RequestRateLimiter::Ptr kubeLimiter_;
  std::unique_ptr<pipeline::CrashEnricher> enricher_;
  std::mutex printMutex_;
  std::unique_ptr<pipeline::CrashRecorder> recorder_;
  std::unique_ptr<ha::LeaderElector> elector_;
  kube::WatchStats stats_;
  pipeline::CrashTracker::TrackedCounts tracked_;
};

}  // namespace podmon::daemon
