#include "daemon/daemon.h"

#include <Poco/Environment.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <thread>
#include <utility>

#include "core/backoff.h"
#include "core/errors.h"
#include "core/locale_warmup.h"
#include "crash/crash_detector.h"
#include "crash/crash_format.h"
#include "ha/leader_elector.h"
#include "kube/http_kube_api.h"
#include "kube/lease_client.h"
#include "status/health_api.h"
#include "store/crash_store_options.h"

namespace podmon::daemon {

// One watcher (and its detector) per watched namespace, or one for all namespaces.
struct Daemon::WatchUnit {
  std::unique_ptr<crash::CrashDetector> detector;
  std::unique_ptr<pipeline::CrashTracker> tracker;
  std::unique_ptr<kube::PodWatcher> watcher;
  std::thread thread;
};

Daemon::Daemon(Settings settings, DaemonDependencies dependencies)
    : settings_(std::move(settings)),
      deps_(std::move(dependencies)),
      daemonMetrics_(metrics_, health_),
      dependencyChecker_(health_, deps_.clock) {}

Daemon::~Daemon() = default;

int Daemon::run(Shutdown& shutdown) {
  warmLocaleCaches();  // before any thread: std::regex then only reads the locale's caches
  settings_.requireForDaemon();
  // Compiled once, before anything connects: a bad REDACT_PATTERNS entry fails start-up.
  redactor_ = Redactor::fromSettings(settings_.redact);
  if (redactor_) spdlog::info("redacting secrets in crash logs ({} patterns)", redactor_->patternCount());
  else spdlog::warn("REDACT is false: crash logs are stored and sent as they are");
  spdlog::info("podmon {} starting: cluster {}, Kubernetes API {}", PODMON_VERSION, settings_.clusterName,
               deps_.kubeDescription);
  for (const auto& warning : startupWarnings(settings_, deps_.transport)) spdlog::warn("{}", warning);
  startStatusServer();
  openStoreAndSinks();
  if (!untilDone("applying migrations", shutdown, [&] { opened_.migrate(); })) return 0;
  attachApi();
  buildRecorder();
  startLeaderElection();
  startMetrics();
  startHealthChecks();
  while (!shutdown.requested()) {
    health_.beat("main", std::chrono::seconds(60));
    if (!leading()) {
      shutdown.waitFor(std::chrono::milliseconds(200));
      continue;
    }
    runTerm(shutdown);
  }
  stop();
  return 0;
}

// The status server comes first so /healthz answers during start-up.
void Daemon::startStatusServer() {
  status::StatusServer::Options options{settings_.status.bindAddress,
                                        static_cast<unsigned short>(settings_.status.serverPort)};
  statusServer_ = std::make_unique<status::StatusServer>(options, metrics_, health_);
  statusServer_->start();
  spdlog::info("status server listening on port {} (address {})", statusServer_->port(), settings_.status.bindAddress);
  health_.setComponent("mysql", status::ComponentState::kStarting, "not connected yet");
  health_.beat("main", std::chrono::seconds(60));
}

// Sinks: one outbox worker each, for the sinks that are on. Built before anything else connects
// so a bad sink setting fails at once.
void Daemon::openStoreAndSinks() {
  // Which sinks are on, decided once: the outbox rows the store writes and the deliverers below.
  const pipeline::ActiveSinks activeSinks = pipeline::ActiveSinks::fromSettings(settings_);
  opened_ = deps_.openStore(activeSinks.outboxSinks());
  spdlog::info("{}", opened_.choice.startupLine());
  spool_.attach(settings_.spool, opened_);  // before the sinks: they take the alert state store it wraps
  if (auto progress = opened_.progress) {
    health_.setProbe("store_progress", [progress]() -> status::HealthState::ProbeAnswer {
      const auto waited = progress->waitingFor();
      if (!waited) return {true, "idle"};
      const std::string detail = "work waiting " + std::to_string(waited->count() / 1000) + "s (limit " +
                                 std::to_string(progress->stallLimit().count() / 1000) + "s)";
      return {!progress->stalled(), detail};
    });
  }
  for (auto& sink : deps_.buildSinks(activeSinks, opened_)) {
    spdlog::info("{}", sink.startupLine);
    if (!sink.deliverer) continue;
    if (sink.deliverer->sink() == store::Sink::kElasticsearch) checkedSinks_.push_back(sink.deliverer);
    pipeline::OutboxWorkerOptions workerOptions;
    workerOptions.overlapClaims = sink.deliverer->sink() == store::Sink::kElasticsearch;  // Slack: about 1/s anyway
    workers_.push_back(std::make_unique<pipeline::OutboxWorker>(opened_.outbox, sink.deliverer, workerOptions));
    workers_.back()->setObserver([this](const store::OutboxItem& item, const delivery::DeliveryOutcome& outcome) {
      daemonMetrics_.onDelivery(item, outcome);
    });
    sources_.workers.emplace_back(sink.name, workers_.back().get());
  }
  if (opened_.retention) {
    pipeline::PruneWorkerOptions prune;
    prune.periods = {settings_.store.crashRetention, settings_.store.outboxRetention, settings_.slack.alertCooldown};
    pruneWorker_ = std::make_unique<pipeline::PruneWorker>(opened_.retention, prune, deps_.clock);
  }
}

void Daemon::attachApi() {
  const StatusSettings& status = settings_.status;
  if (status.apiToken.empty() && !status.uiOpenWithoutToken) return;
  status::HealthApiOptions options{settings_.clusterName, status.apiToken, status.apiRateLimit, status.healthWindow};
  options.openWithoutToken = status.uiOpenWithoutToken;
  statusServer_->attachApi(std::make_shared<status::HealthApi>(options, opened_.crashes));
}

void Daemon::buildRecorder() {
  kubeLimiter_ = std::make_shared<RequestRateLimiter>(settings_.kube.apiQps, settings_.kube.apiBurst);
  pipeline::EnrichOptions enrichOptions;
  enrichOptions.tailLines = settings_.crashLog.tailLines;
  enrichOptions.maxLogBytes =
      std::min(static_cast<std::size_t>(settings_.crashLog.maxLength), store::kMaxLogColumnBytes - 1024);
  enrichOptions.redactor = redactor_;
  enrichOptions.timeout = settings_.crashLog.enrichTimeout;
  enricher_ = std::make_unique<pipeline::CrashEnricher>(
      std::make_shared<kube::HttpKubeApi>(deps_.kubeTransport(), kubeLimiter_), enrichOptions);
  pipeline::RecorderOptions recorderOptions;
  recorderOptions.enrichWorkers = static_cast<std::size_t>(settings_.crashLog.enrichWorkers);
  recorder_ = std::make_unique<pipeline::CrashRecorder>(
      opened_.crashes, opened_.containerStates, *enricher_, settings_.clusterName, recorderOptions,
      [this](const store::CrashRecord& record, const store::RecordResult& result) {
        daemonMetrics_.onRecorded(record, result);
        if (!result.isNew) return;
        for (auto& w : workers_) w->wake();
        printCrashLine(record, result);
      });
}

// One write per line: console alerts print from another thread.
void Daemon::printCrashLine(const store::CrashRecord& record, const store::RecordResult& result) {
  std::string line = crash::formatCrashLine(record.event) + " logs=\"" + record.logsStatus + "\" " +
                     (result.spooled ? std::string("spooled") : "id=" + std::to_string(result.id));
  if (!record.fingerprint.empty()) line += " fingerprint=" + record.fingerprint;
  if (result.fingerprintHistory) line += " seen=" + std::to_string(result.fingerprintHistory->count);
  line += "\n";
  std::lock_guard lock(printMutex_);
  *deps_.console << line << std::flush;
}

// Leader election: only the leader watches and delivers.
void Daemon::startLeaderElection() {
  const LeaderSettings& leader = settings_.leader;
  if (!leader.enabled) return;
  if (leader.podNamespace.empty()) {
    throw ConfigException("LEADER_ELECTION=true needs POD_NAMESPACE (where the Lease lives)");
  }
  ha::LeaderElectionOptions options;
  options.identity = leader.podName.empty() ? Poco::Environment::nodeName() : leader.podName;
  options.validate();
  auto leaseClient = kube::LeaseClient::overTransport(deps_.kubeTransport(), leader.podNamespace, leader.leaseName);
  elector_ = std::make_unique<ha::LeaderElector>(leaseClient, options);
  sources_.isLeader = [this] { return elector_->isLeader(); };
  sources_.leaseReachable = [this] { return elector_->leaseReachable(); };
  sources_.leadershipsGained = [this] { return elector_->leadershipsGained(); };
  spdlog::info("leader election on {} as {}", leaseClient->describe(), options.identity);
  elector_->start();
}

void Daemon::startMetrics() {
  sources_.watch = &stats_;
  sources_.tracked = &tracked_;
  sources_.recorder = recorder_.get();
  sources_.store = opened_.outbox;
  daemonMetrics_.setSources(sources_);
  daemonMetrics_.start();
}

// GET /health like the original: the Kubernetes API and Elasticsearch checked live on the
// checker's thread every 5 s (each within its client's deadline), the store through the readiness
// poller's query and the store progress probe. The answers stay valid a minute, longer than the
// slowest deadline (30 s), so only a check stuck past it turns stale.
void Daemon::startHealthChecks() {
  health_.requireForHealth("mysql");
  if (opened_.progress) health_.requireForHealth("store_progress");
  const std::string ns = settings_.kube.watchNamespaces.empty() ? "" : settings_.kube.watchNamespaces.front();
  auto kube = std::make_shared<kube::HttpKubeApi>(deps_.kubeTransport());
  dependencyChecker_.add("kubernetes", [kube, ns] { kube->checkPodsReadable(ns, std::chrono::seconds(5)); });
  for (const auto& sink : checkedSinks_) dependencyChecker_.add("elasticsearch", [sink] { sink->checkReachable(); });
  dependencyChecker_.start(std::chrono::seconds(5), std::chrono::seconds(60));
}

bool Daemon::leading() const { return !elector_ || elector_->isLeader(); }

// Runs the leader's work (watchers, recorder, sink workers) until a stop is requested or
// leadership is lost. Container state is loaded at the start of each term, so a standby that takes
// over continues from what the previous leader stored.
void Daemon::runTerm(Shutdown& shutdown) {
  std::vector<store::ContainerState> states;
  // The spool first: its crashes then count in the restart baselines and are not detected again.
  const auto load = [&] {
    spool_.replay();
    states = opened_.containerStates->loadContainerStates(settings_.clusterName);
  };
  if (!untilDone("loading container state", shutdown, load)) return;
  spdlog::info("loaded the stored state of {} containers", states.size());
  stats_.synced = false;
  for (auto& w : workers_) w->start();
  if (pruneWorker_) pruneWorker_->start();
  recorder_->start();
  spool_.start([this] {
    for (auto& w : workers_) w->wake();
  });
  auto units = startWatchers(states);
  states.clear();
  for (auto& unit : units) unit->thread = std::thread([w = unit->watcher.get()] { w->run(); });
  while (!shutdown.waitFor(std::chrono::milliseconds(200)) && leading()) {
    health_.beat("main", std::chrono::seconds(60));
  }
  stopTerm(shutdown, units);
}

std::vector<std::unique_ptr<Daemon::WatchUnit>> Daemon::startWatchers(
    const std::vector<store::ContainerState>& states) {
  std::vector<std::string> namespaces = settings_.kube.watchNamespaces;
  if (namespaces.empty()) namespaces.push_back("");
  const std::set<std::string> ignore(settings_.kube.ignoreNamespaces.begin(), settings_.kube.ignoreNamespaces.end());
  std::vector<std::unique_ptr<WatchUnit>> units;
  for (const auto& ns : namespaces) {
    auto unit = std::make_unique<WatchUnit>();
    unit->detector = std::make_unique<crash::CrashDetector>(settings_.clusterName);
    for (const auto& s : states) {
      if (!ns.empty() && s.namespace_ != ns) continue;
      unit->detector->restore({s.podUid, s.namespace_, s.podName, s.containerName, s.restartCount, s.containerId});
    }
    unit->tracker = std::make_unique<pipeline::CrashTracker>(*unit->detector, *recorder_);
    unit->tracker->shareCounts(&tracked_);
    kube::PodWatcherOptions options;
    options.query.namespace_ = ns;
    options.query.labelSelector = settings_.kube.labelSelector;
    options.ignoreNamespaces = ignore;
    auto api = std::make_shared<kube::HttpKubeApi>(deps_.kubeTransport(), kubeLimiter_);
    unit->watcher = std::make_unique<kube::PodWatcher>(api, options, *unit->tracker, stats_);
    units.push_back(std::move(unit));
  }
  return units;
}

void Daemon::stopTerm(Shutdown& shutdown, std::vector<std::unique_ptr<WatchUnit>>& units) {
  if (shutdown.requested()) spdlog::info("received signal {}: stopping", shutdown.signal());
  else spdlog::warn("leadership lost: stopping the watchers and deliveries");
  for (auto& unit : units) unit->watcher->stop();
  for (auto& unit : units) unit->thread.join();
  // On SIGTERM, finish what is in flight; after losing the lease, stop at once (another leader runs).
  if (shutdown.requested()) recorder_->waitIdle(std::chrono::seconds(5));
  recorder_->stop();
  spool_.stop();
  for (auto& w : workers_) w->stop();
  if (pruneWorker_) pruneWorker_->stop();
}

void Daemon::stop() {
  if (elector_) elector_->stop();  // releases the lease: a standby takes over at once
  daemonMetrics_.stop();
  dependencyChecker_.stop();
  statusServer_->stop();
  spdlog::info("stopped: {} watch events, {} lists, {} malformed events, {} crashes recorded", stats_.events.load(),
               stats_.lists.load(), stats_.malformedEvents.load(), recorder_->recorded());
}

bool Daemon::untilDone(const char* what, Shutdown& shutdown, const std::function<void()>& step) {
  Backoff backoff;
  while (!shutdown.requested()) {
    try {
      step();
      return true;
    } catch (const StoreException& e) {
      auto delay = backoff.nextDelay(deps_.clock->steadyNow());
      spdlog::warn("{} failed: {}; retrying in {} ms", what, e.message(), delay.count());
      if (shutdown.waitFor(delay)) return false;
    }
  }
  return false;
}

}  // namespace podmon::daemon
