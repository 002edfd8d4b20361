#pragma once

#include <string>

namespace podmon::store {

// The last restart count podmon saw for one container, kept across restarts of podmon so a crash
// that happened while it was down is still noticed (and one seen before is not reported twice).
// One row of k8s_crash_monitor, keyed by (cluster, namespace, pod name, container).
struct ContainerState {
  std::string namespace_;
  std::string podName;
  std::string containerName;
  std::string podUid;  // "" for rows the original tool wrote
  int restartCount = 0;
  std::string containerId;  // "" when unknown

  bool operator==(const ContainerState&) const = default;
};

}  // namespace podmon::store
