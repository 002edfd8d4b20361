#include "demo.h"

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <thread>

#include "core/errors.h"
#include "core/shutdown.h"
#include "daemon/daemon.h"
#include "daemon/production_dependencies.h"
#include "demo_scenario.h"
#include "kube_sim_server.h"
#include "pipeline/active_sinks.h"
#include "scenario.h"
#include "scenario_runner.h"
#include "store/store_factory.h"

namespace podmon::demo {

namespace {

using namespace podmon::kubesim;

constexpr const char* kDemoCluster = "demo";
constexpr const char* kDemoDatabase = "./podmon-demo.db";

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// A port nothing listens on now on 127.0.0.1 (0 when none can be had: the server then picks one).
int freeLocalPort() {
  try {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const int port = probe.address().port();
    probe.close();
    return port;
  } catch (const Poco::Exception&) {
    return 0;
  }
}

// The demo's settings: the embedded defaults whatever the environment says about servers.
void useDemoSettings(Settings& settings, const std::string& databasePath) {
  settings.kube.kubeconfig.clear();
  settings.kube.context.clear();
  settings.kube.watchNamespaces.clear();
  settings.kube.labelSelector.clear();
  settings.clusterName = kDemoCluster;
  settings.store.sqlHost.clear();
  settings.store.sqlitePath = databasePath;
  settings.elasticsearch.url.clear();
  settings.slack.token.clear();
  settings.slack.webhookUrl.clear();
  settings.slack.notify = true;
  // Every crash its own alert block: folding a crash loop into a follow-up after ALERT_COOLDOWN
  // would hide half the demo's crashes for minutes.
  settings.slack.alertCooldown = std::chrono::milliseconds(0);
  settings.leader.enabled = false;
  // The web view for whoever runs the demo, on this machine only: open without a login unless
  // they set API_TOKEN (then they log in with it). A free port, so a second demo or a daemon
  // already on 8080 does not stop this one.
  settings.status.bindAddress = "127.0.0.1";
  settings.status.serverPort = freeLocalPort();
  if (settings.status.apiToken.empty()) settings.status.uiOpenWithoutToken = true;
}

std::string webViewUrl(const Settings& settings) {
  return "http://127.0.0.1:" + std::to_string(settings.status.serverPort) + "/ui/";
}

void removeDatabaseFiles(const std::string& path) {
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    Poco::File file(path + suffix);
    if (file.exists()) file.remove();
  }
}

std::string describeExit(const crash::CrashEvent& e) {
  return e.exitCode ? std::to_string(*e.exitCode) : std::string("-");
}

// kube-sim with the demo scenario: the pods exist before podmon's first list; the crash schedule
// starts once podmon watches, so no crash falls before the watch (it would be a baseline, not a crash).
struct SimulatedCluster {
  explicit SimulatedCluster(const Scenario& scenario)
      : sim(simOptions(scenario)), setup(sim, podsOnly(scenario), false), schedule(sim, crashesOnly(scenario), true) {
    setup.start();
    sim.start();
  }

  static KubeSimServer::Options simOptions(const Scenario& scenario) {
    KubeSimServer::Options options;
    if (scenario.bookmarkIntervalSeconds) options.bookmarkInterval = millis(*scenario.bookmarkIntervalSeconds);
    if (scenario.restartDelaySeconds) options.restartDelay = millis(*scenario.restartDelaySeconds);
    if (scenario.historyLimit) options.historyLimit = *scenario.historyLimit;
    return options;
  }
  static Scenario podsOnly(Scenario scenario) {
    scenario.schedule.clear();
    return scenario;
  }
  static Scenario crashesOnly(Scenario scenario) {
    scenario.namespaces.clear();
    scenario.pods.clear();
    return scenario;
  }
  // The connection podmon's daemon gets injected: kube-sim over plain HTTP, no credentials.
  kube::KubeConnection connection() const {
    kube::KubeConnection c;
    c.server = sim.baseUrl();
    c.origin = "kube-sim in process, the demo scenario";
    c.contextName = "kube-sim-demo";
    c.clusterName = kDemoCluster;
    return c;
  }

  KubeSimServer sim;
  ScenarioRunner setup;
  ScenarioRunner schedule;
};

// Waits for podmon's watch (it lists first, then watches), starts the crashes, and when time is up
// lets the alerts of what was recorded reach the console first (bounded), so the demo ends with
// every recorded crash shown. Then stops the daemon.
void direct(SimulatedCluster& cluster, const Settings& settings, const DemoOptions& options, Shutdown& shutdown) {
  while (cluster.sim.stats().openWatches == 0) {
    if (shutdown.waitFor(std::chrono::milliseconds(50))) return;
  }
  cluster.schedule.start();
  spdlog::info("demo: podmon is watching; the crash schedule starts now");
  if (shutdown.waitFor(options.duration)) return;
  try {
    auto watcher = store::openStore(settings, pipeline::ActiveSinks::fromSettings(settings).outboxSinks());
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < giveUp) {
      std::int64_t pending = 0;
      for (const auto& stats : watcher.outbox->outboxStats()) pending += stats.pending;
      if (pending == 0 || shutdown.waitFor(std::chrono::milliseconds(100))) break;
    }
  } catch (const PodmonException& e) {
    spdlog::warn("demo: could not wait for the last alerts: {}", e.message());
  }
  shutdown.request();
}

void printSummary(const Settings& settings, const DemoOptions& options) {
  const auto opened = store::openStore(settings, pipeline::ActiveSinks::fromSettings(settings).outboxSinks());
  store::CrashQuery query;
  query.clusterName = kDemoCluster;
  query.limit = 1000;
  const auto recorded = opened.crashes->listRecentCrashes(query);
  const std::string& database = settings.store.sqlitePath;
  const std::string bin = options.programDir.empty() ? "" : options.programDir + "/";
  std::cout << "\n== podmon demo summary: " << recorded.size() << " crash(es) recorded in " << database << "\n";
  for (auto it = recorded.rbegin(); it != recorded.rend(); ++it) {
    const auto& e = it->record.event;
    std::cout << "  #" << it->id << " " << e.namespace_ << "/" << e.podName << " container " << e.containerName << ": "
              << (e.reason.empty() ? "-" : e.reason) << ", exit code " << describeExit(e) << ", restart "
              << e.restartCount << "\n";
  }
  std::cout << "List them:        SQLITE_PATH=" << database << " " << bin << "podmonctl crashes list --all-clusters\n"
            << "Your own cluster: " << bin
            << "podmon    (uses your current kubectl context and its cluster name; SQLite ./podmon.db, alerts "
               "on the console; set SQL_HOST, ELASTICSEARCH_URL and SLACK_TOKEN for production)\n"
            << std::flush;
}

}  // namespace

DemoOptions demoOptions(const daemon::PodmonCommandLine& commandLine, const char* argv0) {
  DemoOptions options;
  if (commandLine.demoSeconds) options.duration = *commandLine.demoSeconds;
  // The directory of the running program, for hints that name podmonctl beside it.
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  std::string path = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string(argv0);
  const auto slash = path.rfind('/');
  options.programDir = slash == std::string::npos ? std::string() : path.substr(0, slash);
  return options;
}

int runDemo(Settings settings, const DemoOptions& options) {
  // First, so every thread started below (kube-sim's, podmon's) inherits the blocked stop signals
  // and Ctrl-C reaches the Shutdown.
  Shutdown shutdown;
  SimulatedCluster cluster(
      Scenario::parse(kDemoScenarioYaml, "the demo scenario (tools/kube-sim/scenarios/demo.yaml)"));
  const std::string database = settings.store.sqlitePathGiven ? settings.store.sqlitePath : kDemoDatabase;
  if (!settings.store.sqlitePathGiven) removeDatabaseFiles(database);  // each demo starts from an empty store
  useDemoSettings(settings, database);
  std::cout << "podmon demo: a simulated cluster '" << kDemoCluster << "' (kube-sim at " << cluster.sim.baseUrl()
            << ") with crashing pods; podmon records each crash in " << database << " and prints its alert below. Runs "
            << options.duration.count() << " s (Ctrl-C stops it).\n"
            << "Web view while it runs: " << webViewUrl(settings)
            << (settings.status.uiOpenWithoutToken ? " (no login: this machine only)\n" : " (log in with API_TOKEN)\n")
            << std::flush;
  std::thread director([&] { direct(cluster, settings, options, shutdown); });
  int rc = 0;
  try {
    daemon::Daemon daemon(settings, daemon::productionDependencies(settings, cluster.connection(), std::cout));
    rc = daemon.run(shutdown);
  } catch (...) {
    shutdown.request();
    director.join();
    cluster.sim.stop();
    throw;
  }
  shutdown.request();
  director.join();
  cluster.sim.stop();
  printSummary(settings, options);
  return rc;
}

}  // namespace podmon::demo
