#include "store/prune_counts.h"

namespace podmon::store {

PruneCounts& PruneCounts::operator+=(const PruneCounts& other) {
  crashes += other.crashes;
  crashOutbox += other.crashOutbox;
  labels += other.labels;
  fingerprintPods += other.fingerprintPods;
  fingerprints += other.fingerprints;
  doneOutbox += other.doneOutbox;
  alertStates += other.alertStates;
  return *this;
}

std::int64_t PruneCounts::total() const {
  return crashes + crashOutbox + labels + fingerprintPods + fingerprints + doneOutbox + alertStates;
}

std::vector<std::pair<std::string, std::int64_t>> PruneCounts::byTable() const {
  return {{"k8s_pod_crash", crashes},
          {"podmon_outbox", crashOutbox + doneOutbox},
          {"podmon_crash_labels", labels},
          {"podmon_fingerprint_pods", fingerprintPods},
          {"podmon_fingerprints", fingerprints},
          {"podmon_alert_state", alertStates}};
}

std::string PruneCounts::describe() const {
  std::string text;
  for (const auto& [table, rows] : byTable()) {
    if (!text.empty()) text += ", ";
    text += table + " " + std::to_string(rows);
  }
  return text;
}

}  // namespace podmon::store
