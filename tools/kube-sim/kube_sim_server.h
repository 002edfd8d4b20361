#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cluster_state.h"
#include "core/clock.h"
#include "log_faults.h"
#include "request_stats.h"
#include "sim_action.h"
#include "task_scheduler.h"
#include "watch_script.h"

namespace Poco::Net {
class HTTPServer;
}

namespace podmon::kubesim {

class ListSnapshots;

// A stand-in Kubernetes API server on plain HTTP for the demo, tests and benchmarks. It speaks
// enough of the real API (discovery, pods list/get/watch, pods/log, events, leases, ReplicaSets)
// that the real kubectl works against it, and adds /_sim/ control endpoints plus this C++ API
// to crash containers and inject faults. Integration tests run it in process on port 0.
class KubeSimServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    uint16_t port = 0;                                  // 0 = pick a free port
    size_t historyLimit = 1000;                         // watch events kept for resume
    std::chrono::milliseconds bookmarkInterval{60000};  // BOOKMARK period on watches that allow them
    std::chrono::milliseconds restartDelay{1000};       // CrashLoopBackOff -> Running
    int defaultWatchTimeoutSeconds = 1800;              // when a watch has no timeoutSeconds
    std::chrono::seconds continueTokenTtl{300};         // list pagination snapshot lifetime
    int maxThreads = 32;
    int maxQueued = 64;
    podmon::Clock::Ptr clock;  // timestamps; default system clock
    // Every Kubernetes API request (discovery, lists, gets, logs, events, owners, leases, and a
    // watch before its response headers) is answered after this long, like a busy real API
    // server; the /_sim/ control endpoints are not delayed. Changeable with setApiLatency().
    std::chrono::milliseconds apiLatency{0};
    // If set: one line per crash, "<epoch us> <namespace> <pod>", written when the crash is applied.
    std::string crashLogPath;
  };
  // Watch faults repeated on a timer (the fault suite's "drops every few seconds" and "410
  // storms"): each period > 0 repeats its fault on every open watch until the schedule is
  // replaced; all zero stops them.
  struct WatchFaultSchedule {
    std::chrono::milliseconds dropEvery{0};
    std::chrono::milliseconds expireEvery{0};
    std::chrono::milliseconds malformedEvery{0};
  };
  // Watch faults injected so far, by hand or by the schedule.
  struct WatchFaultCounts {
    uint64_t drops = 0;
    uint64_t expiries = 0;
    uint64_t malformed = 0;
    uint64_t scripted = 0;  // watch requests answered by the WatchScript
  };
  struct Stats {
    std::map<std::string, uint64_t> requests;  // by path kind
    size_t openWatches = 0;
    size_t pods = 0;
    uint64_t resourceVersion = 0;
    WatchFaultCounts watchFaults;
  };

  explicit KubeSimServer(Options options);
  KubeSimServer();
  ~KubeSimServer();
  KubeSimServer(const KubeSimServer&) = delete;
  KubeSimServer& operator=(const KubeSimServer&) = delete;

  // Binds and starts serving; throws Poco::Net::NetException if the port is taken.
  void start();
  // Closes open watches, stops the scheduler and the HTTP server. Idempotent.
  void stop();
  uint16_t port() const { return port_; }
  std::string baseUrl() const;

  // Cluster changes (also reachable through /_sim/). Throw ApiError (e.g. 404 unknown pod).
  void addNamespace(const std::string& ns);
  SimPod::ConstPtr addPod(SimPod pod);
  bool deletePod(const std::string& ns, const std::string& name);
  SimPod::ConstPtr recreatePod(const std::string& ns, const std::string& name);
  // A crash; with action.restart the container comes back after Options::restartDelay
  // (a second MODIFIED event), immediately if restartDelay is 0.
  SimPod::ConstPtr crashContainer(const SimAction& crash);
  SimPod::ConstPtr crashContainer(const std::string& ns, const std::string& pod, const std::string& container,
                                  const std::string& reason, int exitCode, const std::string& log, bool restart = true);
  SimPod::ConstPtr updatePod(const SimAction& update);
  // Dispatches any action by its kind (scenario steps and the control endpoint use this).
  void apply(const SimAction& action);

  // Faults.
  void dropWatches();    // close every open watch connection abruptly
  void expireWatches();  // 410 ERROR on open watches; old RVs get 410 afterwards
  void sendMalformedWatchLine();
  void compactHistory();
  void setLogFaults(const LogFaults::Settings& faults);
  // Replaces the periodic watch faults; the first of each comes one period from now.
  void setWatchFaults(const WatchFaultSchedule& schedule);

  // The delay before each Kubernetes API request is answered (Options::apiLatency).
  void setApiLatency(std::chrono::milliseconds latency) { apiLatencyMs_ = latency.count(); }
  std::chrono::milliseconds apiLatency() const { return std::chrono::milliseconds(apiLatencyMs_.load()); }

  // Extra POST /_sim/NAME endpoints a program adds (kube-sim's scale mode: "scale/start").
  void addControlHook(const std::string& name, std::function<void()> hook);
  // Runs the hook and returns true, or returns false when there is none of that name.
  bool runControlHook(const std::string& name);

  Stats stats() const;
  ClusterState& state() { return state_; }
  const Options& options() const { return options_; }
  RequestStats& requestStats() { return requestStats_; }
  LogFaults& logFaults() { return logFaults_; }
  WatchScript& watchScript() { return watchScript_; }
  ListSnapshots& listSnapshots() { return *listSnapshots_; }
  TaskScheduler& scheduler() { return scheduler_; }
  // Sleeps up to `d` (an injected delay); returns false at once when the server stops.
  bool sleepUnlessStopped(std::chrono::milliseconds d);

 private:
  Options options_;
  ClusterState state_;
  RequestStats requestStats_;
  LogFaults logFaults_;
  WatchScript watchScript_;
  std::unique_ptr<ListSnapshots> listSnapshots_;
  TaskScheduler scheduler_;
  enum class WatchFault { kDrop, kExpire, kMalformed };
  void scheduleWatchFault(WatchFault fault, std::chrono::milliseconds period, uint64_t generation);

  std::unique_ptr<Poco::Net::HTTPServer> http_;
  uint16_t port_ = 0;
  std::mutex stopMutex_;
  std::condition_variable stopCv_;
  bool stopped_ = false;  // under stopMutex_
  std::mutex hooksMutex_;
  std::map<std::string, std::function<void()>> controlHooks_;
  std::mutex watchFaultsMu_;
  uint64_t watchFaultGeneration_ = 0;  // a replaced schedule's timers see a newer one and stop
  std::atomic<uint64_t> drops_{0};
  std::atomic<uint64_t> expiries_{0};
  std::atomic<uint64_t> malformed_{0};
  std::atomic<long long> apiLatencyMs_{0};
  std::mutex crashLogMutex_;
  std::FILE* crashLog_ = nullptr;  // under crashLogMutex_
  void logCrash(const SimAction& crash);
};

}  // namespace podmon::kubesim
