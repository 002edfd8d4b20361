#pragma once

#include <atomic>

#include "scenario.h"

namespace podmon::kubesim {

class KubeSimServer;

// Plays a Scenario against a running KubeSimServer: creates its namespaces and pods, then runs
// each scheduled action at its time on the server's TaskScheduler, optionally round after round.
// Stops with the server (the scheduler drops pending steps).
class ScenarioRunner {
 public:
  ScenarioRunner(KubeSimServer& server, Scenario scenario, bool loop);
  // Adds the initial objects and schedules the first round.
  void start();
  int roundsStarted() const { return rounds_.load(); }

 private:
  void scheduleRound();

  KubeSimServer& server_;
  Scenario scenario_;
  bool loop_;
  std::atomic<int> rounds_{0};
};

}  // namespace podmon::kubesim
