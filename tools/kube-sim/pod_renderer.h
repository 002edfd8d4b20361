#pragma once

#include <string>

#include "sim_pod.h"

namespace podmon::kubesim {

// Renders a SimPod as the JSON a real API server returns (v1 Pod with metadata, spec, status in
// the shape of the fixtures in shared/fixtures/real-pods), including optional managedFields.
class PodRenderer {
 public:
  static std::string render(const SimPod& pod);
  // The same pod with a different metadata.resourceVersion (filtered watches send the previous
  // object as DELETED with the event's RV).
  static std::string renderWithResourceVersion(const SimPod& pod, const std::string& resourceVersion);
};

}  // namespace podmon::kubesim
