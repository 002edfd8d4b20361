#include "scenario_runner.h"

#include <spdlog/spdlog.h>

#include "kube_sim_server.h"

namespace podmon::kubesim {

ScenarioRunner::ScenarioRunner(KubeSimServer& server, Scenario scenario, bool loop)
    : server_(server), scenario_(std::move(scenario)), loop_(loop) {}

void ScenarioRunner::start() {
  for (const auto& ns : scenario_.namespaces) server_.addNamespace(ns);
  for (const auto& pod : scenario_.pods) server_.addPod(pod);
  scheduleRound();
}

void ScenarioRunner::scheduleRound() {
  int round = ++rounds_;
  for (const auto& action : scenario_.schedule) {
    auto delay = std::chrono::milliseconds(static_cast<long long>(action.at * 1000));
    server_.scheduler().schedule(delay, [this, action, round] {
      spdlog::info("kube-sim: round {} t={}s {} {}/{}", round, action.at, SimAction::kindName(action.kind), action.ns,
                   action.pod);
      server_.apply(action);
    });
  }
  if (loop_) {
    auto period = std::chrono::milliseconds(static_cast<long long>(scenario_.roundSeconds() * 1000));
    server_.scheduler().schedule(period, [this] { scheduleRound(); });
  }
}

}  // namespace podmon::kubesim
