#include "notify/alert_state.h"

namespace podmon::notify {

std::string alertKey(const crash::CrashEvent& crash) {
  const std::string workload =
      crash.ownerName.empty() ? "Pod/" + crash.podName : crash.ownerKind + "/" + crash.ownerName;
  return crash.clusterName + "|" + crash.namespace_ + "|" + workload + "|" + crash.containerName;
}

std::string failureAlertKey(const crash::CrashEvent& crash, const std::string& fingerprint) {
  if (fingerprint.empty()) return "";
  return "fingerprint|" + crash.clusterName + "|" + crash.namespace_ + "|" + fingerprint;
}

}  // namespace podmon::notify
