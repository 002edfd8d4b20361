#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/container_state_store.h"
#include "store/sql_backend.h"

namespace podmon::store {

// ContainerStateStore on the original tool's k8s_crash_monitor table, written once for both
// backends. Edit times come from the injected clock.
class SqlContainerStateStore : public ContainerStateStore {
 public:
  SqlContainerStateStore(SqlBackend::Ptr backend, Clock::Ptr clock);

  std::vector<ContainerState> loadContainerStates(const std::string& cluster) override;
  void saveBaseline(const std::string& cluster, const ContainerState& state) override;
  // One multi-row upsert per kBaselineBatch states (a round trip per container made the initial
  // sync of 150k pods take minutes).
  void saveBaselines(const std::string& cluster, const std::vector<ContainerState>& states) override;
  static constexpr std::size_t kBaselineBatch = 500;
  int deletePodStates(const std::string& cluster, const std::string& namespace_, const std::string& podName) override;

 private:
  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
};

}  // namespace podmon::store
