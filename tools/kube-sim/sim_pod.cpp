#include "sim_pod.h"

namespace podmon::kubesim {

SimContainer* SimPod::findContainer(const std::string& containerName) {
  for (auto& c : containers)
    if (c.name == containerName) return &c;
  return nullptr;
}

const SimContainer* SimPod::findContainer(const std::string& containerName) const {
  for (const auto& c : containers)
    if (c.name == containerName) return &c;
  return nullptr;
}

std::vector<std::string> SimPod::containerNames(bool initContainers) const {
  std::vector<std::string> names;
  for (const auto& c : containers)
    if (c.init == initContainers) names.push_back(c.name);
  return names;
}

bool SimPod::allAppContainersReady() const {
  for (const auto& c : containers)
    if (!c.init && !c.ready) return false;
  return true;
}

}  // namespace podmon::kubesim
