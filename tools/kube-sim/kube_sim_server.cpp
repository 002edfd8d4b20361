#include "kube_sim_server.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "api_handler_factory.h"
#include "core/http_server_stop.h"
#include "list_snapshots.h"

#include <stdexcept>

namespace podmon::kubesim {
namespace {
ClusterState::Options stateOptions(const KubeSimServer::Options& o) { return {o.historyLimit, o.clock}; }
}  // namespace

KubeSimServer::KubeSimServer(Options options)
    : options_(std::move(options)),
      state_(stateOptions(options_)),
      listSnapshots_(std::make_unique<ListSnapshots>(options_.continueTokenTtl)) {
  apiLatencyMs_ = options_.apiLatency.count();
  if (!options_.crashLogPath.empty()) {
    crashLog_ = std::fopen(options_.crashLogPath.c_str(), "w");
    if (!crashLog_) throw std::runtime_error("kube-sim: cannot write the crash log " + options_.crashLogPath);
  }
}

KubeSimServer::KubeSimServer() : KubeSimServer(Options{}) {}

KubeSimServer::~KubeSimServer() {
  stop();
  if (crashLog_) std::fclose(crashLog_);
}

void KubeSimServer::logCrash(const SimAction& crash) {
  std::lock_guard lock(crashLogMutex_);
  if (!crashLog_) return;
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch());
  std::fprintf(crashLog_, "%lld %s %s\n", static_cast<long long>(us.count()), crash.ns.c_str(), crash.pod.c_str());
  std::fflush(crashLog_);
}

void KubeSimServer::start() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options_.host, options_.port), 64);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.maxThreads);
  params->setMaxQueued(options_.maxQueued);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(60, 0));
  http_ = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(*this), socket, params);
  http_->start();
}

void KubeSimServer::stop() {
  {
    std::lock_guard lock(stopMutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopCv_.notify_all();  // wakes handlers sleeping for an injected delay
  state_.shutdown();     // wakes and ends every watch
  scheduler_.stop();
  if (http_) {
    // Handlers reach this object: none may still run once stop() returns.
    stopServerAndWait(*http_);
    http_.reset();
  }
}

bool KubeSimServer::sleepUnlessStopped(std::chrono::milliseconds d) {
  std::unique_lock lock(stopMutex_);
  return !stopCv_.wait_for(lock, d, [this] { return stopped_; });
}

std::string KubeSimServer::baseUrl() const { return "http://" + options_.host + ":" + std::to_string(port_); }

void KubeSimServer::addNamespace(const std::string& ns) { state_.addNamespace(ns); }

SimPod::ConstPtr KubeSimServer::addPod(SimPod pod) { return state_.addPod(std::move(pod)); }

bool KubeSimServer::deletePod(const std::string& ns, const std::string& name) { return state_.deletePod(ns, name); }

SimPod::ConstPtr KubeSimServer::recreatePod(const std::string& ns, const std::string& name) {
  return state_.recreatePod(ns, name);
}

SimPod::ConstPtr KubeSimServer::crashContainer(const SimAction& crash) {
  // A container still in back-off cannot crash again: a real kubelet restarts it first (with a
  // new container ID). Finish a pending restart so rapid crashes stay realistic.
  if (auto current = state_.getPod(crash.ns, crash.pod)) {
    std::string name = crash.container.empty() && !current->containerNames(false).empty()
                           ? current->containerNames(false).front()
                           : crash.container;
    const SimContainer* c = current->findContainer(name);
    if (c && c->state == SimContainer::State::Waiting && c->restartCount > 0) {
      state_.finishRestart(current->ns, current->name, current->uid, name);
    }
  }
  SimPod::ConstPtr pod = state_.crashContainer(crash);
  logCrash(crash);
  if (!crash.restart) return pod;
  std::string container = crash.container;
  if (container.empty()) container = pod->containerNames(false).front();
  if (options_.restartDelay.count() <= 0) {
    auto restarted = state_.finishRestart(pod->ns, pod->name, pod->uid, container);
    return restarted ? restarted : pod;
  }
  scheduler_.schedule(options_.restartDelay, [this, ns = pod->ns, name = pod->name, uid = pod->uid, container] {
    state_.finishRestart(ns, name, uid, container);
  });
  return pod;
}

SimPod::ConstPtr KubeSimServer::crashContainer(const std::string& ns, const std::string& pod,
                                               const std::string& container, const std::string& reason, int exitCode,
                                               const std::string& log, bool restart) {
  SimAction a;
  a.ns = ns;
  a.pod = pod;
  a.container = container;
  a.reason = reason;
  a.exitCode = exitCode;
  a.log = log;
  a.restart = restart;
  return crashContainer(a);
}

SimPod::ConstPtr KubeSimServer::updatePod(const SimAction& update) { return state_.updatePod(update); }

void KubeSimServer::apply(const SimAction& action) {
  switch (action.kind) {
    case SimAction::Kind::Crash: crashContainer(action); break;
    case SimAction::Kind::Update: updatePod(action); break;
    case SimAction::Kind::Delete: deletePod(action.ns, action.pod); break;
    case SimAction::Kind::Recreate: recreatePod(action.ns, action.pod); break;
    case SimAction::Kind::Add:
      if (action.newPod) addPod(*action.newPod);
      break;
  }
}

// Each fault is counted before it takes effect: a client that sees its watch cut and then asks
// /_sim/stats must find the cut counted.
void KubeSimServer::dropWatches() {
  ++drops_;
  state_.dropWatches();
}
void KubeSimServer::expireWatches() {
  ++expiries_;
  state_.expireWatches();
}
void KubeSimServer::sendMalformedWatchLine() {
  ++malformed_;
  state_.sendMalformedWatchLine();
}
void KubeSimServer::compactHistory() { state_.compactHistory(); }
void KubeSimServer::setLogFaults(const LogFaults::Settings& faults) { logFaults_.set(faults); }

void KubeSimServer::addControlHook(const std::string& name, std::function<void()> hook) {
  std::lock_guard lock(hooksMutex_);
  controlHooks_[name] = std::move(hook);
}

bool KubeSimServer::runControlHook(const std::string& name) {
  std::function<void()> hook;
  {
    std::lock_guard lock(hooksMutex_);
    auto it = controlHooks_.find(name);
    if (it == controlHooks_.end()) return false;
    hook = it->second;
  }
  hook();
  return true;
}

void KubeSimServer::setWatchFaults(const WatchFaultSchedule& schedule) {
  uint64_t generation = 0;
  {
    std::lock_guard lock(watchFaultsMu_);
    generation = ++watchFaultGeneration_;
  }
  scheduleWatchFault(WatchFault::kDrop, schedule.dropEvery, generation);
  scheduleWatchFault(WatchFault::kExpire, schedule.expireEvery, generation);
  scheduleWatchFault(WatchFault::kMalformed, schedule.malformedEvery, generation);
}

void KubeSimServer::scheduleWatchFault(WatchFault fault, std::chrono::milliseconds period, uint64_t generation) {
  if (period.count() <= 0) return;
  scheduler_.schedule(period, [this, fault, period, generation] {
    // Held while injecting, so once setWatchFaults() returns no fault of an older schedule follows.
    std::lock_guard lock(watchFaultsMu_);
    if (generation != watchFaultGeneration_) return;
    switch (fault) {
      case WatchFault::kDrop: dropWatches(); break;
      case WatchFault::kExpire: expireWatches(); break;
      case WatchFault::kMalformed: sendMalformedWatchLine(); break;
    }
    scheduleWatchFault(fault, period, generation);
  });
}

KubeSimServer::Stats KubeSimServer::stats() const {
  return Stats{requestStats_.counts(), state_.openWatches(), state_.podCount(), state_.currentResourceVersion(),
               WatchFaultCounts{drops_.load(), expiries_.load(), malformed_.load(), watchScript_.served()}};
}

}  // namespace podmon::kubesim
