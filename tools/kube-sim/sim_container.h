#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace podmon::kubesim {

// One container of a simulated pod: its spec and the status the kubelet would report for it.
// Kept as plain data so a pod can be copied, changed and published as a new immutable version.
struct SimContainer {
  // A container instance that has exited, as in state.terminated / lastState.terminated.
  struct Termination {
    int exitCode = 0;
    std::string reason;
    std::string message;
    std::string startedAt;
    std::string finishedAt;
    std::string containerId;
  };
  enum class State { Waiting, Running, Terminated };

  std::string name;
  std::string image;
  bool init = false;
  std::vector<std::pair<std::string, std::string>> env;  // spec only; sizes pods in scale mode
  std::string memoryLimit;                               // "" = no resources block

  int restartCount = 0;
  bool ready = true;
  State state = State::Running;
  std::string waitingReason;
  std::string waitingMessage;
  std::string runningSince;
  std::optional<Termination> terminated;      // when state == Terminated
  std::optional<Termination> lastTerminated;  // lastState.terminated
  std::string containerId;                    // current instance
  std::string imageId;
  // Log lines every new instance of this container prints on start (not part of the pod JSON).
  std::string startupLog;
};

}  // namespace podmon::kubesim
