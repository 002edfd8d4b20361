#include "scale_generator.h"

#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "api_error.h"
#include "kube_sim_server.h"

namespace podmon::kubesim {
namespace {

constexpr size_t kNamespaces = 20;
const char* kApps[] = {"checkout", "payments", "search", "catalog", "auth", "cart", "ledger", "mailer"};

std::string suffix(size_t n, size_t len) {
  static const char* kChars = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out.push_back(kChars[n % 27]);
    n = n / 27 + 7 * (i + 1);
  }
  return out;
}

}  // namespace

ScaleGenerator::ScaleGenerator(KubeSimServer& server, Options options)
    : server_(server), options_(std::move(options)), paused_(options_.paused) {
  if (!options_.crashLog.empty()) {
    crashLog_ = std::fopen(options_.crashLog.c_str(), "w");
    if (!crashLog_) throw std::runtime_error("kube-sim: cannot write the crash log " + options_.crashLog);
  }
}

ScaleGenerator::~ScaleGenerator() {
  stop();
  if (crashLog_) std::fclose(crashLog_);
}

void ScaleGenerator::resume() {
  std::lock_guard lock(mu_);
  paused_ = false;
  wake_.notify_all();
}

SimPod ScaleGenerator::makePod(size_t index) {
  SimPod pod;
  std::string app = std::string(kApps[index % 8]) + "-" + std::to_string(index % 97);
  pod.ns = "team-" + std::to_string(index % kNamespaces);
  pod.name = app + "-" + suffix(index / 97 + 11, 10) + "-" + suffix(index, 5);
  pod.labels = {{"app.kubernetes.io/name", app},
                {"app.kubernetes.io/part-of", "shop"},
                {"app.kubernetes.io/version", "1." + std::to_string(index % 13) + ".0"},
                {"team", pod.ns}};
  pod.annotations = {{"prometheus.io/scrape", "true"}, {"prometheus.io/port", "9090"}};
  pod.ownerKind = "Deployment";
  pod.ownerName = app;
  pod.nodeName = "ip-10-0-" + std::to_string(index % 40) + "-" + std::to_string(index % 200) + ".ec2.internal";
  pod.withManagedFields = true;
  size_t containers = 1 + index % 3;
  for (size_t c = 0; c < containers; ++c) {
    SimContainer con;
    con.name = c == 0 ? "app" : c == 1 ? "sidecar-proxy" : "log-shipper";
    con.image = "registry.example.com/shop/" + app + "/" + con.name + ":1." + std::to_string(index % 13) + ".0";
    con.memoryLimit = std::to_string(128 << (index % 4)) + "Mi";
    con.startupLog = "starting " + con.name + " for " + app + "\nlistening on :8080\n";
    size_t envCount = 6 + (index * 7 + c) % 10;
    for (size_t e = 0; e < envCount; ++e)
      con.env.emplace_back("CONFIG_" + std::to_string(e) + "_" + con.name,
                           "value-" + app + "-" + std::to_string(e) + "-setting-for-environment-prod");
    pod.containers.push_back(std::move(con));
  }
  return pod;
}

void ScaleGenerator::createPods() {
  for (size_t i = 0; i < kNamespaces && i < options_.pods; ++i) server_.addNamespace("team-" + std::to_string(i));
  names_.clear();
  for (size_t i = 0; i < options_.pods; ++i) {
    auto pod = server_.addPod(makePod(i));
    names_.emplace_back(pod->ns, pod->name);
  }
}

void ScaleGenerator::start() {
  thread_ = std::thread([this] { run(); });
}

void ScaleGenerator::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void ScaleGenerator::emit(uint64_t n) {
  const auto& [ns, name] = names_[n % names_.size()];
  SimAction a;
  a.ns = ns;
  a.pod = name;
  if (options_.crashEvery > 0 && n % options_.crashEvery == options_.crashEvery - 1) {
    a.kind = SimAction::Kind::Crash;
    bool oom = (n / options_.crashEvery) % 2 == 0;
    a.reason = oom ? "OOMKilled" : "Error";
    a.exitCode = oom ? 137 : 1;
    a.log = oom ? "allocating buffer for batch " + std::to_string(n) + "\n"
                : "panic: runtime error: invalid memory address (event " + std::to_string(n) + ")\n";
  } else {
    a.kind = SimAction::Kind::Update;
    a.annotations["sim.podmon.io/heartbeat"] = std::to_string(n);
    if (n % 7 == 0) a.ready = (n / 7) % 2 == 0;
  }
  if (crashLog_ && a.kind == SimAction::Kind::Crash) {
    // The emission time, for crash-to-alert latency: taken just before the change is published.
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::fprintf(crashLog_, "%lld %s %s\n", static_cast<long long>(us), ns.c_str(), name.c_str());
    std::fflush(crashLog_);
  }
  try {
    server_.apply(a);
  } catch (const ApiError& e) {
    spdlog::debug("kube-sim scale: {}", e.message());
  }
}

void ScaleGenerator::run() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mu_);
  wake_.wait(lock, [this] { return stopping_ || !paused_; });
  auto begin = Clock::now();
  uint64_t n = 0;
  while (!stopping_ && !names_.empty()) {
    double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    auto due = static_cast<uint64_t>(elapsed * options_.eventsPerSecond);
    if (options_.eventsTotal > 0) due = std::min(due, options_.eventsTotal);
    lock.unlock();
    while (n < due) {
      emit(n++);
      emitted_.store(n);
    }
    lock.lock();
    if (options_.eventsTotal > 0 && n >= options_.eventsTotal) {
      finished_ = true;
      spdlog::info("kube-sim scale: {} events emitted, done", n);
      break;
    }
    wake_.wait_for(lock, std::chrono::milliseconds(5));
  }
}

}  // namespace podmon::kubesim
