#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "kube/pod_snapshot.h"

namespace podmon::crash {

// One detected crash of one container instance: emitted once per (pod UID, container,
// restartCount) by CrashDetector, then enriched (logs, owner workload, events) and stored.
struct CrashEvent {
  std::string clusterName;
  std::string namespace_;
  std::string podName;
  std::string podUid;
  std::string containerName;
  kube::ContainerKind containerKind = kube::ContainerKind::kRegular;
  int restartCount = 0;   // the count after the crash (0 for a Job container that did not restart)
  int restartDelta = 0;   // how much restartCount rose since last seen (1 normally)
  bool restarted = true;  // false: terminated without restart (restartPolicy Never/OnFailure)
  bool detectedWhileDown = false;
  // From lastState.terminated (restart) or state.terminated (no restart).
  std::string reason;
  std::optional<int> exitCode;
  std::optional<int> signal;  // the kubelet's, else exitCode-128 when exitCode > 128
  std::string message;
  std::string startedAt;   // RFC 3339
  std::string finishedAt;  // RFC 3339
  std::string containerId;
  // The original tool's termination_state: terminationStateText() of the termination above as
  // the kubelet reported it (its message redacted once enriched), or "Not Available".
  std::string terminationState;
  // The container's state when the crash was seen: the waiting reason (e.g. CrashLoopBackOff),
  // Running, Terminated (what termination_state held before podmon matched the original).
  std::string containerState;
  // The crashed instance's terminated state as reported (lastState or state; phase kNone when the
  // pod showed none), kept so terminationState can be made again with the redacted message.
  kube::ContainerState termination;
  std::string nodeName;
  std::string image;
  std::string ownerKind;
  std::string ownerName;
  std::map<std::string, std::string> labels;  // the pod's labels
  std::chrono::system_clock::time_point detectedAt{};
};

}  // namespace podmon::crash
