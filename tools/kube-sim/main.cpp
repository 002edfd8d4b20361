// kube-sim: a stand-in Kubernetes API server for the demo, tests and benchmarks.
//   kube-sim --scenario FILE [--loop] [--port 0] [--port-file PATH]
//   kube-sim --scale-pods N --event-rate R [--events-total M]
// Prints "listening on HOST:PORT" as its first stdout line, then serves until SIGINT/SIGTERM.

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <optional>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "kube_sim_server.h"
#include "scale_generator.h"
#include "scenario.h"
#include "scenario_runner.h"

namespace {

const char* kUsage = R"(usage: kube-sim [options]
  --scenario FILE            load namespaces, pods and a crash schedule from YAML
  --loop                     repeat the scenario schedule forever
  --host HOST                bind address (default 127.0.0.1)
  --port N                   port, 0 = any free port (default 0)
  --port-file PATH           also write the port to PATH
  --scale-pods N             scale mode: generate N realistic pods
  --event-rate R             scale mode: MODIFIED events per second (default 100)
  --events-total M           scale mode: stop emitting after M events
  --crash-every K            scale mode: every Kth event is a crash (default 50)
  --scale-paused             scale mode: emit nothing until POST /_sim/scale/start
  --crash-log PATH           one line per crash, "<emitted epoch us> <namespace> <pod>"
  --api-latency-ms N         answer every Kubernetes API request after N ms (also POST /_sim/faults/api-latency)
  --bookmark-interval SEC    BOOKMARK period on watches (default 60)
  --restart-delay SEC        CrashLoopBackOff -> Running delay (default 1)
  --history N                watch events kept for resume (default 1000)
  --verbose                  log scenario steps
)";

struct Args {
  std::string scenario;
  bool loop = false;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string portFile;
  size_t scalePods = 0;
  double eventRate = 100;
  uint64_t eventsTotal = 0;
  uint64_t crashEvery = 50;
  bool scalePaused = false;
  std::string crashLog;
  double bookmarkInterval = -1;
  double restartDelay = -1;
  long long history = -1;
  bool verbose = false;
  long long apiLatencyMs = 0;
};

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string opt = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw podmon::ConfigException("kube-sim: " + opt + " needs a value");
      return argv[++i];
    };
    try {
      if (opt == "--scenario") a.scenario = next();
      else if (opt == "--loop") a.loop = true;
      else if (opt == "--host") a.host = next();
      else if (opt == "--port") a.port = std::stoi(next());
      else if (opt == "--port-file") a.portFile = next();
      else if (opt == "--scale-pods") a.scalePods = std::stoul(next());
      else if (opt == "--event-rate") a.eventRate = std::stod(next());
      else if (opt == "--events-total") a.eventsTotal = std::stoull(next());
      else if (opt == "--crash-every") a.crashEvery = std::stoull(next());
      else if (opt == "--scale-paused") a.scalePaused = true;
      else if (opt == "--crash-log") a.crashLog = next();
      else if (opt == "--bookmark-interval") a.bookmarkInterval = std::stod(next());
      else if (opt == "--restart-delay") a.restartDelay = std::stod(next());
      else if (opt == "--history") a.history = std::stoll(next());
      else if (opt == "--api-latency-ms") a.apiLatencyMs = std::stoll(next());
      else if (opt == "--verbose") a.verbose = true;
      else if (opt == "--help" || opt == "-h") {
        std::cout << kUsage;
        std::exit(0);
      } else {
        throw podmon::ConfigException("kube-sim: unknown option " + opt + "\n" + kUsage);
      }
    } catch (const std::logic_error&) {
      throw podmon::ConfigException("kube-sim: bad number for " + opt);
    }
  }
  if (a.apiLatencyMs < 0 || a.apiLatencyMs > 60000)
    throw podmon::ConfigException("kube-sim: --api-latency-ms must be between 0 and 60000");
  if (a.scenario.empty() && a.scalePods == 0)
    throw podmon::ConfigException(std::string("kube-sim: give --scenario FILE or --scale-pods N\n") + kUsage);
  return a;
}

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace podmon::kubesim;
  // Block the stop signals before any thread starts, then wait for them in main.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    Args args = parseArgs(argc, argv);
    spdlog::set_level(args.verbose ? spdlog::level::info : spdlog::level::warn);
    spdlog::default_logger()->sinks().clear();
    spdlog::default_logger()->sinks().push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());

    std::optional<Scenario> scenario;
    if (!args.scenario.empty()) scenario = Scenario::load(args.scenario);

    KubeSimServer::Options opts;
    opts.host = args.host;
    opts.port = static_cast<uint16_t>(args.port);
    if (scenario && scenario->bookmarkIntervalSeconds)
      opts.bookmarkInterval = millis(*scenario->bookmarkIntervalSeconds);
    if (scenario && scenario->restartDelaySeconds) opts.restartDelay = millis(*scenario->restartDelaySeconds);
    if (scenario && scenario->historyLimit) opts.historyLimit = *scenario->historyLimit;
    if (args.bookmarkInterval >= 0) opts.bookmarkInterval = millis(args.bookmarkInterval);
    if (args.restartDelay >= 0) opts.restartDelay = millis(args.restartDelay);
    if (args.history > 0) opts.historyLimit = static_cast<size_t>(args.history);
    opts.apiLatency = std::chrono::milliseconds(args.apiLatencyMs);
    // Scale mode logs the crashes it emits itself; otherwise the server logs every crash applied.
    if (args.scalePods == 0) opts.crashLogPath = args.crashLog;

    KubeSimServer server(opts);
    std::unique_ptr<ScenarioRunner> runner;
    std::unique_ptr<ScaleGenerator> scale;
    // Initial objects exist before the port is announced, so a client's first list sees them.
    if (scenario) {
      runner = std::make_unique<ScenarioRunner>(server, *scenario, args.loop);
    }
    if (args.scalePods > 0) {
      scale = std::make_unique<ScaleGenerator>(
          server, ScaleGenerator::Options{args.scalePods, args.eventRate, args.eventsTotal, args.crashEvery,
                                          args.scalePaused, args.crashLog});
      scale->createPods();
      server.addControlHook("scale/start", [&scale] { scale->resume(); });
    }
    server.start();
    if (runner) runner->start();
    if (scale) scale->start();

    std::cout << "listening on " << args.host << ":" << server.port() << std::endl;
    if (!args.portFile.empty()) {
      std::ofstream f(args.portFile + ".tmp");
      f << server.port() << "\n";
      f.close();
      std::rename((args.portFile + ".tmp").c_str(), args.portFile.c_str());
    }

    int sig = 0;
    sigwait(&stopSignals, &sig);
    if (scale) scale->stop();
    server.stop();
    return 0;
  } catch (const podmon::ConfigException& e) {
    std::cerr << e.message() << std::endl;
    return 2;
  } catch (const Poco::Exception& e) {
    std::cerr << "kube-sim: " << e.displayText() << std::endl;
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "kube-sim: " << e.what() << std::endl;
    return 1;
  }
}
