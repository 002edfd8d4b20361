#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim_pod.h"

namespace podmon::kubesim {

class KubeSimServer;

// Scale mode for benchmarks: N realistic pods (4-10 KB of JSON each, managedFields included)
// and a steady stream of MODIFIED events at a given rate, with an occasional crash. Pods are
// built from templates so kube-sim stays cheaper than the watcher it feeds.
class ScaleGenerator {
 public:
  struct Options {
    size_t pods = 1000;
    double eventsPerSecond = 100;
    uint64_t eventsTotal = 0;  // 0 = run until stopped
    uint64_t crashEvery = 50;  // every Nth event is a crash
    bool paused = false;       // start() waits for resume() (POST /_sim/scale/start)
    std::string crashLog;      // if set: one line per crash, "<emitted epoch us> <namespace> <pod>"
  };

  ScaleGenerator(KubeSimServer& server, Options options);
  ~ScaleGenerator();
  ScaleGenerator(const ScaleGenerator&) = delete;
  ScaleGenerator& operator=(const ScaleGenerator&) = delete;

  void createPods();
  void start();
  // Starts emitting when created paused (benchmarks attach their clients first). Idempotent.
  void resume();
  void stop();
  uint64_t emitted() const { return emitted_.load(); }
  bool finished() const { return finished_.load(); }

  // The i-th generated pod (deterministic), exposed for tests.
  static SimPod makePod(size_t index);

 private:
  void run();
  void emit(uint64_t n);

  KubeSimServer& server_;
  Options options_;
  std::vector<std::pair<std::string, std::string>> names_;  // namespace, name of each pod
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool paused_ = false;
  std::FILE* crashLog_ = nullptr;
  std::atomic<uint64_t> emitted_{0};
  std::atomic<bool> finished_{false};
};

}  // namespace podmon::kubesim
