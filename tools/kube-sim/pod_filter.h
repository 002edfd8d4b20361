#pragma once

#include <string>

#include "field_selector.h"
#include "label_selector.h"
#include "sim_pod.h"

namespace podmon::kubesim {

// The namespace + labelSelector + fieldSelector of a pod list or watch request, applied the same
// way to both so a watch never shows what the list would not.
class PodFilter {
 public:
  PodFilter() = default;
  // Throws ApiError 400 for a bad selector or an unsupported field.
  PodFilter(std::string ns, const std::string& labelSelector, const std::string& fieldSelector);

  bool matches(const SimPod& pod) const;
  // No namespace and no selectors: every pod matches (a list can count what is left at once).
  bool matchesEverything() const { return everything_; }

 private:
  std::string ns_;
  LabelSelector labels_;
  FieldSelector fields_;
  bool everything_ = true;
};

}  // namespace podmon::kubesim
