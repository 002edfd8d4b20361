#include "demo.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "core/errors.h"
#include "crash/crash_format.h"
#include "pipeline/active_sinks.h"
#include "demo_scenario.h"
#include "kube_sim_server.h"
#include "scenario.h"
#include "scenario_runner.h"
#include "store/store_factory.h"

namespace podmon::demo {

namespace {

constexpr const char* kDemoCluster = "demo";
constexpr const char* kDemoDatabase = "./podmon-demo.db";

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

std::string kubeconfigFor(const std::string& server) {
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: kube-sim-demo\n  cluster:\n    server: " + server +
         "\nusers:\n- name: demo\n  user: {}\ncontexts:\n- name: kube-sim-demo\n  context: {cluster: kube-sim-demo, "
         "user: demo}\ncurrent-context: kube-sim-demo\n";
}

// The demo's settings: the embedded defaults whatever the environment says about servers.
Config demoConfig(const Config& config, const std::string& kubeconfigPath, const std::string& databasePath) {
  Config demo = config.with("KUBECONFIG", kubeconfigPath, "demo")
                    .with("KUBE_CONTEXT", "", "demo")
                    .with("CLUSTER_NAME", kDemoCluster, "demo")
                    .with("SQL_HOST", "", "demo")
                    .with("SQLITE_PATH", databasePath, "demo")
                    .with("ELASTICSEARCH_URL", "", "demo")
                    .with("SLACK_TOKEN", "", "demo")
                    .with("SLACK_WEBHOOK_URL", "", "demo")
                    .with("SLACK_NOTIFY", "true", "demo")
                    // Every crash its own alert block: folding a crash loop into a follow-up
                    // after ALERT_COOLDOWN would hide half the demo's crashes for minutes.
                    .with("ALERT_COOLDOWN", "0", "demo")
                    .with("SERVER_PORT", "0", "demo")
                    .with("LEADER_ELECTION", "false", "demo")
                    .with("WATCH_NAMESPACES", "", "demo")
                    .with("LABEL_SELECTOR", "", "demo");
  return demo;
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

}  // namespace

std::optional<std::chrono::seconds> takeSecondsOption(std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string value;
    std::size_t count = 0;
    if (args[i] == "--seconds") {
      if (i + 1 >= args.size()) throw ConfigException("--seconds needs a number of seconds (e.g. --seconds 20)");
      value = args[i + 1];
      count = 2;
    } else if (args[i].rfind("--seconds=", 0) == 0) {
      value = args[i].substr(10);
      count = 1;
    } else {
      continue;
    }
    if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(value) < 1) {
      throw ConfigException("--seconds: '" + value + "' is not a whole number of seconds from 1 to 999999");
    }
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i + count));
    return std::chrono::seconds(std::stoi(value));
  }
  return std::nullopt;
}

int runDemo(const Config& config, const DemoOptions& options, const DaemonRunner& runDaemon) {
  using namespace podmon::kubesim;
  // First, so every thread started below (kube-sim's, podmon's) inherits the blocked stop signals
  // and Ctrl-C reaches the Shutdown.
  Shutdown shutdown;
  const Scenario scenario = Scenario::parse(kDemoScenarioYaml, "the demo scenario (tools/kube-sim/scenarios/demo.yaml)");

  KubeSimServer::Options simOptions;
  if (scenario.bookmarkIntervalSeconds) simOptions.bookmarkInterval = millis(*scenario.bookmarkIntervalSeconds);
  if (scenario.restartDelaySeconds) simOptions.restartDelay = millis(*scenario.restartDelaySeconds);
  if (scenario.historyLimit) simOptions.historyLimit = *scenario.historyLimit;
  KubeSimServer sim(simOptions);
  // The pods exist before podmon's first list; the crash schedule starts once podmon watches, so
  // no crash falls before the watch (it would be a baseline, not a crash).
  Scenario initial = scenario;
  initial.schedule.clear();
  ScenarioRunner setup(sim, initial, false);
  setup.start();
  Scenario crashes = scenario;
  crashes.namespaces.clear();
  crashes.pods.clear();
  ScenarioRunner schedule(sim, crashes, true);
  sim.start();

  Poco::TemporaryFile kubeconfig;
  {
    std::ofstream out(kubeconfig.path());
    out << kubeconfigFor(sim.baseUrl());
    if (!out) throw ConfigException("demo: cannot write a kubeconfig to " + kubeconfig.path());
  }
  const bool ownDatabase = config.source("SQLITE_PATH") == "default";
  const std::string database = ownDatabase ? kDemoDatabase : config.get("SQLITE_PATH");
  if (ownDatabase) removeDatabaseFiles(database);  // each demo starts from an empty store
  const Config demo = demoConfig(config, kubeconfig.path(), database);

  std::cout << "podmon demo: a simulated cluster '" << kDemoCluster << "' (kube-sim at " << sim.baseUrl()
            << ") with crashing pods; podmon records each crash in " << database
            << " and prints its alert below. Runs " << options.duration.count() << " s (Ctrl-C stops it).\n"
            << std::flush;

  std::thread director([&] {
    // Wait for podmon's watch (it lists first, then watches), then start the crashes.
    while (sim.stats().openWatches == 0) {
      if (shutdown.waitFor(std::chrono::milliseconds(50))) return;
    }
    schedule.start();
    spdlog::info("demo: podmon is watching; the crash schedule starts now");
    if (shutdown.waitFor(options.duration)) return;
    // Time is up: let the alerts of what was recorded reach the console first (bounded), so the
    // demo ends with every recorded crash shown.
    try {
      auto watcher = store::openStore(demo, pipeline::ActiveSinks::fromConfig(demo).outboxSinks());
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
  });
  int rc = 0;
  try {
    rc = runDaemon(demo, shutdown);
  } catch (...) {
    shutdown.request();
    director.join();
    sim.stop();
    throw;
  }
  shutdown.request();
  director.join();
  sim.stop();

  const auto opened = store::openStore(demo, pipeline::ActiveSinks::fromConfig(demo).outboxSinks());
  store::CrashQuery query;
  query.clusterName = kDemoCluster;
  query.limit = 1000;
  const auto recorded = opened.crashes->listRecentCrashes(query);
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
  return rc;
}

}  // namespace podmon::demo
