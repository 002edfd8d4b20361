#include "notify/alert_state.h"

namespace podmon::notify {

std::string alertKey(const crash::CrashEvent& crash) {
  const std::string workload =
      crash.ownerName.empty() ? "Pod/" + crash.podName : crash.ownerKind + "/" + crash.ownerName;
  return crash.clusterName + "|" + crash.namespace_ + "|" + workload + "|" + crash.containerName;
}

}  // namespace podmon::notify
