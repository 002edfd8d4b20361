#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The part of a Pod that crash detection needs, and nothing more: podmon never keeps whole pod
// objects (peers that do run out of memory on clusters of 10k pods).
namespace podmon::kube {

enum class ContainerKind { kInit, kRegular, kEphemeral };
const char* toString(ContainerKind kind);

// One of a container status's `state` or `lastState`.
struct ContainerState {
  enum class Phase { kNone, kWaiting, kRunning, kTerminated };
  Phase phase = Phase::kNone;
  std::string reason;
  std::string message;
  std::optional<int> exitCode;
  std::optional<int> signal;  // as the kubelet reported it (usually absent with CRI runtimes)
  std::string startedAt;      // RFC 3339, as sent
  std::string finishedAt;
  std::string containerId;

  bool terminated() const { return phase == Phase::kTerminated; }
  bool operator==(const ContainerState&) const = default;
};

struct ContainerSnapshot {
  std::string name;
  ContainerKind kind = ContainerKind::kRegular;
  int restartCount = 0;
  std::string image;
  std::string containerId;
  ContainerState state;
  ContainerState lastState;
  bool operator==(const ContainerSnapshot&) const = default;
};

struct OwnerReference {
  std::string kind;
  std::string name;
  std::string uid;
  bool operator==(const OwnerReference&) const = default;
};

struct PodSnapshot {
  std::string uid;
  std::string namespace_;
  std::string name;
  std::string nodeName;
  std::string restartPolicy;  // Always, OnFailure, Never ("" means Always)
  std::string phase;
  std::string resourceVersion;
  std::optional<OwnerReference> owner;  // the controller:true owner reference
  std::map<std::string, std::string> labels;
  std::vector<ContainerSnapshot> containers;  // init, then regular, then ephemeral

  const ContainerSnapshot* findContainer(const std::string& container) const;
  bool operator==(const PodSnapshot&) const = default;
};

// Watch event as read from the stream, reduced to what podmon uses.
struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };
  Type type = Type::kAdded;
  PodSnapshot pod;              // ADDED, MODIFIED, DELETED
  std::string resourceVersion;  // the object's resourceVersion (BOOKMARK too)
  int errorCode = 0;            // ERROR: Status.code (410 = resource version too old)
  std::string errorMessage;     // ERROR: Status.message
};
const char* toString(WatchEvent::Type type);

}  // namespace podmon::kube
