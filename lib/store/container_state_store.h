#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/container_state.h"

namespace podmon::store {

// The restart count podmon last saw of each container (k8s_crash_monitor), for the recorder and
// the start of each leadership term. Every method throws StoreException when the database cannot
// answer; a failure is never read as "no state".
class ContainerStateStore {
 public:
  using Ptr = std::shared_ptr<ContainerStateStore>;
  virtual ~ContainerStateStore() = default;

  // All rows of one cluster, for start-up reconciliation.
  virtual std::vector<ContainerState> loadContainerStates(const std::string& cluster) = 0;
  // Remembers a container's restart count without recording a crash (first sight, pod recreated).
  virtual void saveBaseline(const std::string& cluster, const ContainerState& state) = 0;
  // Many baselines at once (the initial list of a large cluster); the same as saveBaseline for each,
  // in order. Stores that can write them in fewer round trips override it.
  virtual void saveBaselines(const std::string& cluster, const std::vector<ContainerState>& states) {
    for (const auto& state : states) saveBaseline(cluster, state);
  }
  // Forgets the rows of a deleted pod. Returns how many rows went.
  virtual int deletePodStates(const std::string& cluster, const std::string& namespace_,
                              const std::string& podName) = 0;
};

}  // namespace podmon::store
