#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sim_pod.h"

namespace podmon::kubesim {

// One change to the simulated cluster. The scenario schedule, the /_sim/ control endpoint and
// the C++ API all describe changes with this one type, so they behave identically.
struct SimAction {
  enum class Kind { Crash, Update, Delete, Recreate, Add };

  Kind kind = Kind::Crash;
  double at = 0;  // seconds after scenario start (scenario only)
  std::string ns = "default";
  std::string pod;
  // Crash
  std::string container;  // "" = first app container
  std::string reason = "Error";
  int exitCode = 1;
  std::string log;         // last lines of the crashing instance
  bool restart = true;     // false: container stays terminated (Job pods, restartPolicy Never)
  bool unhealthy = false;  // also record Unhealthy + Killing events (liveness probe failure)
  // Update (an unrelated change: no crash)
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::optional<bool> ready;
  // Add
  std::shared_ptr<SimPod> newPod;

  static const char* kindName(Kind k) {
    switch (k) {
      case Kind::Crash: return "crash";
      case Kind::Update: return "update";
      case Kind::Delete: return "delete";
      case Kind::Recreate: return "recreate";
      case Kind::Add: return "add";
    }
    return "?";
  }
};

}  // namespace podmon::kubesim
