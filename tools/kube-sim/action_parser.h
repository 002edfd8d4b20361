#pragma once

#include <yaml-cpp/yaml.h>

#include "sim_action.h"
#include "sim_pod.h"

namespace podmon::kubesim {

// Reads pods and actions from YAML nodes. Scenario files and /_sim/ JSON bodies (JSON is YAML)
// go through this one parser, so both accept exactly the same fields. Throws
// podmon::ConfigException naming the bad field.
class ActionParser {
 public:
  static SimPod parsePod(const YAML::Node& node);
  // `kindOverride` is used when the kind is implied (e.g. by a /_sim/crash path); otherwise the
  // node's `action` field decides (default crash).
  static SimAction parseAction(const YAML::Node& node, const std::string& kindOverride = "");
  static SimAction::Kind parseKind(const std::string& name);
};

}  // namespace podmon::kubesim
