#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim_action.h"
#include "sim_pod.h"

namespace podmon::kubesim {

// A scenario file: the namespaces and pods kube-sim starts with, and a schedule of crashes and
// other changes at given seconds. Loading fails fast with podmon::ConfigException naming the
// file and the bad field.
struct Scenario {
  std::vector<std::string> namespaces;
  std::vector<SimPod> pods;
  std::vector<SimAction> schedule;  // sorted by `at`
  double loopSeconds = 0;           // period of one round with --loop; 0 = last step + 5 s
  std::optional<double> bookmarkIntervalSeconds;
  std::optional<double> restartDelaySeconds;
  std::optional<size_t> historyLimit;

  static Scenario load(const std::string& path);
  static Scenario parse(const std::string& yamlText, const std::string& origin = "scenario");
  double roundSeconds() const;
};

}  // namespace podmon::kubesim
