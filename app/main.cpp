// podmon: watches pods and reports container crashes. This file only wires things together.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/config.h"
#include "core/errors.h"
#include "core/logging.h"
#include "crash/crash_detector.h"
#include "crash/crash_format.h"
#include "kube/http_kube_api.h"
#include "kube/kube_config.h"
#include "kube/pod_watcher.h"
#include "kube/poco_kube_transport.h"
#include "pipeline/crash_tracker.h"

namespace {

using namespace podmon;

// Prints one line per crash on stdout (the console sink; the durable pipeline comes on top).
class ConsoleCrashSink : public pipeline::CrashSink {
 public:
  void onCrash(const crash::CrashEvent& crash) override {
    std::lock_guard lock(mutex_);
    std::cout << crash::formatCrashLine(crash) << std::endl;
  }

 private:
  std::mutex mutex_;
};

// One watcher (and its detector) per watched namespace, or one for all namespaces.
struct WatchUnit {
  std::unique_ptr<crash::CrashDetector> detector;
  std::unique_ptr<pipeline::CrashTracker> tracker;
  std::unique_ptr<kube::PodWatcher> watcher;
  std::thread thread;
};

int runDaemon(const Config& config) {
  config.requireForDaemon();
  kube::KubeConfigOptions kubeOptions{config.get("KUBECONFIG"), config.get("KUBE_CONTEXT")};
  auto env = kube::processEnv();
  // An explicit KUBECONFIG setting (flag or file) wins over the process environment.
  kube::KubeConnection connection = kube::resolveKubeConnection(kubeOptions, env);
  spdlog::info("podmon {} starting: cluster {}, Kubernetes API {} ({})", PODMON_VERSION, config.get("CLUSTER_NAME"),
               connection.server, connection.origin);

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ConsoleCrashSink sink;
  kube::WatchStats stats;
  std::vector<std::string> namespaces = config.getList("WATCH_NAMESPACES");
  if (namespaces.empty()) namespaces.push_back("");
  std::set<std::string> ignore;
  for (const auto& ns : config.getList("IGNORE_NAMESPACES")) ignore.insert(ns);

  std::vector<std::unique_ptr<WatchUnit>> units;
  for (const auto& ns : namespaces) {
    auto unit = std::make_unique<WatchUnit>();
    unit->detector = std::make_unique<crash::CrashDetector>(config.get("CLUSTER_NAME"));
    unit->tracker = std::make_unique<pipeline::CrashTracker>(*unit->detector, sink);
    kube::PodWatcherOptions options;
    options.query.namespace_ = ns;
    options.query.labelSelector = config.get("LABEL_SELECTOR");
    options.ignoreNamespaces = ignore;
    auto api = std::make_shared<kube::HttpKubeApi>(std::make_shared<kube::PocoKubeTransport>(connection));
    unit->watcher = std::make_unique<kube::PodWatcher>(api, options, *unit->tracker, stats);
    units.push_back(std::move(unit));
  }
  for (auto& unit : units) {
    unit->thread = std::thread([w = unit->watcher.get()] { w->run(); });
  }
  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received signal {}: stopping", signal);
  for (auto& unit : units) unit->watcher->stop();
  for (auto& unit : units) unit->thread.join();
  spdlog::info("stopped: {} watch events, {} lists, {} malformed events", stats.events.load(), stats.lists.load(),
               stats.malformedEvents.load());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    podmon::Config config = podmon::Config::load(argc, argv);
    if (config.helpRequested()) {
      std::cout << "podmon " << PODMON_VERSION << ": Kubernetes pod crash watcher\n\n"
                << "Commands: (none) run the watcher\n\n"
                << podmon::Config::helpText("podmon");
      return 0;
    }
    if (config.versionRequested()) {
      std::cout << "podmon " << PODMON_VERSION << "\n";
      return 0;
    }
    podmon::setupLogging(config.get("LOG_LEVEL"), config.get("LOG_FORMAT"));
    if (!config.positional().empty()) {
      throw podmon::ConfigException("unknown command '" + config.positional()[0] + "' (see --help)");
    }
    return runDaemon(config);
  } catch (const podmon::ConfigException& e) {
    std::cerr << "podmon: configuration error: " << e.message() << "\n";
    return 2;
  } catch (const Poco::Exception& e) {
    std::cerr << "podmon: " << e.displayText() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "podmon: " << e.what() << "\n";
    return 1;
  }
}
