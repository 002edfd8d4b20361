// podmon: watches pods and records container crashes. This file only wires things together.
#include <algorithm>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <Poco/Environment.h>
#include <unistd.h>
#include <spdlog/spdlog.h>

#include "demo.h"
#include "core/backoff.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/logging.h"
#include "core/redactor.h"
#include "core/shutdown.h"
#include "crash/crash_detector.h"
#include "crash/crash_format.h"
#include "kube/http_kube_api.h"
#include "kube/kube_config.h"
#include "kube/pod_watcher.h"
#include "kube/poco_kube_transport.h"
#include "pipeline/active_sinks.h"
#include "pipeline/crash_enricher.h"
#include "pipeline/crash_recorder.h"
#include "pipeline/crash_tracker.h"
#include "pipeline/outbox_worker.h"
#include "pipeline/sink_setup.h"
#include "ha/leader_elector.h"
#include "kube/lease_client.h"
#include "status/daemon_metrics.h"
#include "status/health_api.h"
#include "status/status_server.h"
#include "store/store_factory.h"

namespace {

using namespace podmon;

// Runs `step` until it succeeds, backing off while MySQL is unreachable. Returns false when a stop
// was requested first. Errors other than an unreachable server (bad SQL, access denied) are fatal
// at start-up: they need an operator.
bool untilDone(const char* what, Shutdown& shutdown, const std::function<void()>& step) {
  Backoff backoff;
  while (!shutdown.requested()) {
    try {
      step();
      return true;
    } catch (const StoreException& e) {
      auto delay = backoff.nextDelay(std::chrono::steady_clock::now());
      spdlog::warn("{} failed: {}; retrying in {} ms", what, e.message(), delay.count());
      if (shutdown.waitFor(delay)) return false;
    }
  }
  return false;
}

// One watcher (and its detector) per watched namespace, or one for all namespaces.
struct WatchUnit {
  std::unique_ptr<crash::CrashDetector> detector;
  std::unique_ptr<pipeline::CrashTracker> tracker;
  std::unique_ptr<kube::PodWatcher> watcher;
  std::thread thread;
};

// Runs the leader's work (watchers, recorder, sink workers) until a stop is requested or
// leadership is lost. Container state is loaded at the start of each term, so a standby that takes
// over continues from what the previous leader stored.
void runTerm(const Config& config, Shutdown& shutdown, store::ContainerStateStore& store, pipeline::CrashRecorder& recorder,
             std::vector<std::unique_ptr<pipeline::OutboxWorker>>& workers, kube::WatchStats& stats,
             pipeline::CrashTracker::TrackedCounts& tracked, const std::function<std::shared_ptr<kube::HttpKubeApi>()>& makeApi, const std::function<bool()>& leading,
             status::HealthState& health) {
  const std::string cluster = config.get("CLUSTER_NAME");
  std::vector<store::ContainerState> states;
  if (!untilDone("loading container state", shutdown, [&] { states = store.loadContainerStates(cluster); })) return;
  spdlog::info("loaded the stored state of {} containers", states.size());
  stats.synced = false;
  for (auto& w : workers) w->start();
  recorder.start();

  std::vector<std::string> namespaces = config.getList("WATCH_NAMESPACES");
  if (namespaces.empty()) namespaces.push_back("");
  std::set<std::string> ignore;
  for (const auto& ns : config.getList("IGNORE_NAMESPACES")) ignore.insert(ns);

  std::vector<std::unique_ptr<WatchUnit>> units;
  for (const auto& ns : namespaces) {
    auto unit = std::make_unique<WatchUnit>();
    unit->detector = std::make_unique<crash::CrashDetector>(cluster);
    for (const auto& s : states) {
      if (!ns.empty() && s.namespace_ != ns) continue;
      unit->detector->restore({s.podUid, s.namespace_, s.podName, s.containerName, s.restartCount, s.containerId});
    }
    unit->tracker = std::make_unique<pipeline::CrashTracker>(*unit->detector, recorder);
    unit->tracker->shareCounts(&tracked);
    kube::PodWatcherOptions options;
    options.query.namespace_ = ns;
    options.query.labelSelector = config.get("LABEL_SELECTOR");
    options.ignoreNamespaces = ignore;
    unit->watcher = std::make_unique<kube::PodWatcher>(makeApi(), options, *unit->tracker, stats);
    units.push_back(std::move(unit));
  }
  states.clear();
  for (auto& unit : units) unit->thread = std::thread([w = unit->watcher.get()] { w->run(); });

  while (!shutdown.waitFor(std::chrono::milliseconds(200)) && leading()) health.beat("main", std::chrono::seconds(60));
  if (shutdown.requested()) spdlog::info("received signal {}: stopping", shutdown.signal());
  else spdlog::warn("leadership lost: stopping the watchers and deliveries");
  for (auto& unit : units) unit->watcher->stop();
  for (auto& unit : units) unit->thread.join();
  // On SIGTERM, finish what is in flight; after losing the lease, stop at once (another leader runs).
  if (shutdown.requested()) recorder.waitIdle(std::chrono::seconds(5));
  recorder.stop();
  for (auto& w : workers) w->stop();
}

int runDaemon(const Config& givenConfig, Shutdown& shutdown) {
  kube::KubeConnection connection =
      kube::resolveKubeConnection({givenConfig.get("KUBECONFIG"), givenConfig.get("KUBE_CONTEXT")}, kube::processEnv());
  // Without CLUSTER_NAME, the kubeconfig context's cluster names the records (like kubectl's
  // current context, so trying podmon on a cluster is one command).
  const Config config = givenConfig.isSet("CLUSTER_NAME") || connection.clusterName.empty()
                            ? givenConfig
                            : givenConfig.with("CLUSTER_NAME", connection.clusterName, "kubeconfig context");
  config.requireForDaemon();
  const std::string cluster = config.get("CLUSTER_NAME");
  if (config.source("CLUSTER_NAME") == "kubeconfig context") {
    spdlog::info("CLUSTER_NAME not set: using the cluster of kubeconfig context {}: {}", connection.contextName, cluster);
  }
  // Compiled once, before anything connects: a bad REDACT_PATTERNS entry fails start-up.
  std::shared_ptr<const Redactor> redactor = Redactor::fromConfig(config);
  if (redactor) spdlog::info("redacting secrets in crash logs ({} patterns)", redactor->patternCount());
  else spdlog::warn("REDACT is false: crash logs are stored and sent as they are");
  spdlog::info("podmon {} starting: cluster {}, Kubernetes API {} ({})", PODMON_VERSION, cluster, connection.server,
               connection.origin);
  std::function<std::shared_ptr<kube::HttpKubeApi>()> makeApi = [&] {
    return std::make_shared<kube::HttpKubeApi>(std::make_shared<kube::PocoKubeTransport>(connection));
  };

  // The status server comes first so /healthz answers during start-up.
  status::MetricsRegistry metrics;
  status::HealthState health;
  status::DaemonMetrics daemonMetrics(metrics, health);
  status::StatusServer statusServer({"0.0.0.0", static_cast<unsigned short>(config.getInt("SERVER_PORT"))}, metrics, health);
  statusServer.start();
  spdlog::info("status server listening on port {}", statusServer.port());
  health.setCheck("mysql", false, "not connected yet");
  health.beat("main", std::chrono::seconds(60));

  // Which sinks are on, decided once: the outbox rows the store writes and the deliverers below.
  const pipeline::ActiveSinks activeSinks = pipeline::ActiveSinks::fromConfig(config);
  const store::OpenedStore opened = store::openStore(config, activeSinks.outboxSinks());
  spdlog::info("{}", opened.choice.startupLine());
  // Sinks: one outbox worker each, for the sinks that are on. Built before anything else so a
  // bad sink setting fails at once.
  std::vector<std::unique_ptr<pipeline::OutboxWorker>> workers;
  status::DaemonMetrics::Sources sources;
  for (auto& sink : pipeline::buildSinks(activeSinks, config, opened, std::cout)) {
    spdlog::info("{}", sink.startupLine);
    if (!sink.deliverer) continue;
    workers.push_back(std::make_unique<pipeline::OutboxWorker>(opened.outbox, sink.deliverer));
    workers.back()->setObserver([&daemonMetrics](const store::OutboxItem& item, const delivery::DeliveryOutcome& outcome) {
      daemonMetrics.onDelivery(item, outcome);
    });
    sources.workers.emplace_back(sink.name, workers.back().get());
  }

  if (!untilDone("applying migrations", shutdown, [&] { opened.migrate(); })) return 0;
  if (config.isSet("API_TOKEN")) {
    status::HealthApiOptions apiOptions{cluster, config.get("API_TOKEN"), config.getInt("API_RATE_LIMIT"),
                                        config.getDuration("HEALTH_WINDOW")};
    statusServer.attachApi(std::make_shared<status::HealthApi>(apiOptions, opened.crashes));
  }

  pipeline::EnrichOptions enrichOptions;
  enrichOptions.tailLines = config.getInt("LOG_TAIL_LINES");
  enrichOptions.maxLogBytes = static_cast<std::size_t>(config.getInt("MAX_CRASHLOG_LENGTH"));
  enrichOptions.redactor = redactor;
  pipeline::CrashEnricher enricher(makeApi(), enrichOptions);
  std::mutex printMutex;
  pipeline::CrashRecorder recorder(opened.crashes, opened.containerStates, enricher, cluster, pipeline::RecorderOptions{},
                                   [&](const store::CrashRecord& record, const store::RecordResult& result) {
                                     daemonMetrics.onRecorded(record, result);
                                     if (!result.isNew) return;
                                     for (auto& w : workers) w->wake();
                                     // One write per line: console alerts print from another thread.
                                     std::string line = crash::formatCrashLine(record.event) + " logs=\"" +
                                                        record.logsStatus + "\" id=" + std::to_string(result.id);
                                     if (!record.fingerprint.empty()) line += " fingerprint=" + record.fingerprint;
                                     if (result.fingerprintHistory) {
                                       line += " seen=" + std::to_string(result.fingerprintHistory->count);
                                     }
                                     line += "\n";
                                     std::lock_guard lock(printMutex);
                                     std::cout << line << std::flush;
                                   });

  // Leader election: only the leader watches and delivers.
  std::unique_ptr<ha::LeaderElector> elector;
  if (config.getBool("LEADER_ELECTION")) {
    if (!config.isSet("POD_NAMESPACE")) throw ConfigException("LEADER_ELECTION=true needs POD_NAMESPACE (where the Lease lives)");
    ha::LeaderElectionOptions electionOptions;
    electionOptions.identity = config.isSet("POD_NAME") ? config.get("POD_NAME") : Poco::Environment::nodeName();
    electionOptions.validate();
    auto leaseClient = kube::LeaseClient::overTransport(std::make_shared<kube::PocoKubeTransport>(connection),
                                                        config.get("POD_NAMESPACE"), config.get("LEASE_NAME"));
    elector = std::make_unique<ha::LeaderElector>(leaseClient, electionOptions);
    sources.isLeader = [&] { return elector->isLeader(); };
    sources.leaseReachable = [&] { return elector->leaseReachable(); };
    sources.leadershipsGained = [&] { return elector->leadershipsGained(); };
    spdlog::info("leader election on {} as {}", leaseClient->describe(), electionOptions.identity);
    elector->start();
  }
  auto leading = [&] { return !elector || elector->isLeader(); };

  kube::WatchStats stats;
  pipeline::CrashTracker::TrackedCounts tracked;
  sources.watch = &stats;
  sources.tracked = &tracked;
  sources.recorder = &recorder;
  sources.store = opened.outbox;
  daemonMetrics.setSources(sources);
  daemonMetrics.start();

  while (!shutdown.requested()) {
    health.beat("main", std::chrono::seconds(60));
    if (!leading()) {
      shutdown.waitFor(std::chrono::milliseconds(200));
      continue;
    }
    runTerm(config, shutdown, *opened.containerStates, recorder, workers, stats, tracked, makeApi, leading, health);
  }
  if (elector) elector->stop();  // releases the lease: a standby takes over at once
  daemonMetrics.stop();
  statusServer.stop();
  spdlog::info("stopped: {} watch events, {} lists, {} malformed events, {} crashes recorded", stats.events.load(),
               stats.lists.load(), stats.malformedEvents.load(), recorder.recorded());
  return 0;
}

int runMigrate(const Config& config) {
  const store::OpenedStore opened = store::openStore(config, pipeline::ActiveSinks::fromConfig(config).outboxSinks());
  const auto applied = opened.migrate();
  std::cout << (applied.empty() ? "schema is up to date" : "applied " + std::to_string(applied.size()) + " migration(s)")
            << " on " << opened.choice.describe() << "\n";
  return 0;
}

// The directory of the running program, for hints that name podmonctl beside it.
std::string programDir(const char* argv0) {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  std::string path = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string(argv0);
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The last words of a failed run: a plain line on stderr, or a JSON line when LOG_FORMAT=json is in
// effect, so that a log collector parsing podmon's stderr sees why it stopped.
bool jsonLogs = false;
void reportFatal(const std::string& line) {
  if (jsonLogs) {
    spdlog::critical(line);
  } else {
    std::cerr << line << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    const bool demo = std::find(args.begin(), args.end(), "demo") != args.end();
    const auto demoSeconds = demo ? podmon::demo::takeSecondsOption(args) : std::nullopt;
    std::vector<char*> configArgv{argv[0]};
    for (auto& arg : args) configArgv.push_back(arg.data());
    configArgv.push_back(nullptr);
    podmon::Config config = podmon::Config::load(static_cast<int>(configArgv.size() - 1), configArgv.data());
    if (config.helpRequested()) {
      std::cout << "podmon " << PODMON_VERSION << ": Kubernetes pod crash watcher\n\n"
                << "Commands:\n  (none)    watch pods and record crashes until SIGTERM\n"
                << "  migrate   apply the SQL migrations and exit\n"
                << "  demo [--seconds N]  run against a simulated cluster with crashing pods for N seconds (30),\n"
                << "            with the embedded store (./podmon-demo.db) and alerts on the console\n\n"
                << "With no settings at all podmon watches the current kubectl context's cluster, records crashes\n"
                << "in ./podmon.db (SQLite) and prints alerts; SQL_HOST, ELASTICSEARCH_URL and SLACK_TOKEN switch\n"
                << "to MySQL, Elasticsearch and Slack.\n\n"
                << podmon::Config::helpText("podmon");
      return 0;
    }
    if (config.versionRequested()) {
      std::cout << "podmon " << PODMON_VERSION << "\n";
      return 0;
    }
    podmon::setupLogging(config.get("LOG_LEVEL"), config.get("LOG_FORMAT"));
    jsonLogs = config.get("LOG_FORMAT") == "json";
    const auto& positional = config.positional();
    if (positional.size() == 1 && positional[0] == "migrate") return runMigrate(config);
    if (positional.size() == 1 && positional[0] == "demo") {
      podmon::demo::DemoOptions options;
      if (demoSeconds) options.duration = *demoSeconds;
      options.programDir = programDir(argv[0]);
      return podmon::demo::runDemo(config, options, [](const podmon::Config& c, podmon::Shutdown& s) {
        return runDaemon(c, s);
      });
    }
    if (!positional.empty()) throw podmon::ConfigException("unknown command '" + positional[0] + "' (see --help)");
    podmon::Shutdown shutdown;
    return runDaemon(config, shutdown);
  } catch (const podmon::ConfigException& e) {
    reportFatal("podmon: configuration error: " + e.message());
    return 2;
  } catch (const Poco::Exception& e) {
    reportFatal("podmon: " + e.displayText());
    return 1;
  } catch (const std::exception& e) {
    reportFatal(std::string("podmon: ") + e.what());
    return 1;
  }
}
