#include "pod_filter.h"

namespace podmon::kubesim {

PodFilter::PodFilter(std::string ns, const std::string& labelSelector, const std::string& fieldSelector)
    : ns_(std::move(ns)),
      labels_(LabelSelector::parse(labelSelector)),
      fields_(FieldSelector::parse(fieldSelector,
                                   {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
                                    "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"})),
      everything_(ns_.empty() && labelSelector.empty() && fieldSelector.empty()) {}

bool PodFilter::matches(const SimPod& pod) const {
  if (!ns_.empty() && pod.ns != ns_) return false;
  if (!labels_.matches(pod.labels)) return false;
  return fields_.matches([&](const std::string& field) -> std::string {
    if (field == "metadata.name") return pod.name;
    if (field == "metadata.namespace") return pod.ns;
    if (field == "spec.nodeName") return pod.nodeName;
    if (field == "spec.restartPolicy") return pod.restartPolicy;
    if (field == "spec.schedulerName") return "default-scheduler";
    if (field == "spec.serviceAccountName") return pod.serviceAccount;
    if (field == "status.phase") return pod.phase;
    if (field == "status.podIP") return pod.podIp;
    return "";
  });
}

}  // namespace podmon::kubesim
