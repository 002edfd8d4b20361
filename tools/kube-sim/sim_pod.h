#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim_container.h"

namespace podmon::kubesim {

// A simulated pod. ClusterState never mutates a published SimPod: a change copies it, edits the
// copy, renders its JSON once and publishes it, so watch history and list snapshots can share it.
struct SimPod {
  using ConstPtr = std::shared_ptr<const SimPod>;

  std::string ns;
  std::string name;
  std::string uid;
  std::string generateName;
  std::string resourceVersion;
  std::string creationTimestamp;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  // Controller owner reference; ownerKind empty = bare pod.
  std::string ownerApiVersion;
  std::string ownerKind;
  std::string ownerName;
  std::string ownerUid;
  std::string restartPolicy = "Always";
  std::string nodeName = "sim-node-1";
  std::string hostIp = "10.0.0.11";
  std::string podIp = "10.244.0.10";
  std::string phase = "Running";
  std::string startTime;
  std::string readyTransitionTime;  // lastTransitionTime of Ready / ContainersReady
  std::string serviceAccount = "default";
  bool withManagedFields = false;
  std::vector<SimContainer> containers;  // init containers (init == true) and app containers

  std::string json;  // rendered by PodRenderer when published

  SimContainer* findContainer(const std::string& containerName);
  const SimContainer* findContainer(const std::string& containerName) const;
  std::vector<std::string> containerNames(bool initContainers) const;
  std::string key() const { return ns + "/" + name; }
  bool allAppContainersReady() const;
};

}  // namespace podmon::kubesim
