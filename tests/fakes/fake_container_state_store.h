#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "core/errors.h"
#include "store/container_state_store.h"

namespace podmon::testing {

// An in-memory ContainerStateStore with SqlContainerStateStore's upsert semantics (the count of
// the same pod never goes back; a recreated pod's replaces it). setFailing(true) makes every call
// throw StoreException, as a store does while MySQL is down.
class FakeContainerStateStore : public store::ContainerStateStore {
 public:
  using Ptr = std::shared_ptr<FakeContainerStateStore>;

  void setFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }

  std::vector<store::ContainerState> loadContainerStates(const std::string& cluster) override {
    std::lock_guard lock(mutex_);
    check();
    std::vector<store::ContainerState> result;
    for (const auto& [key, state] : states_) {
      if (std::get<0>(key) == cluster) result.push_back(state);
    }
    return result;
  }

  void saveBaseline(const std::string& cluster, const store::ContainerState& state) override {
    std::lock_guard lock(mutex_);
    check();
    upsertLocked(cluster, state);
  }

  int deletePodStates(const std::string& cluster, const std::string& namespace_, const std::string& podName) override {
    std::lock_guard lock(mutex_);
    check();
    int removed = 0;
    for (auto it = states_.begin(); it != states_.end();) {
      const auto& [c, ns, pod, container] = it->first;
      if (c == cluster && ns == namespace_ && pod == podName) {
        it = states_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  // What FakeCrashRepository::recordCrash saves with a crash (no failure check: the repository
  // checks its own).
  void upsert(const std::string& cluster, const store::ContainerState& state) {
    std::lock_guard lock(mutex_);
    upsertLocked(cluster, state);
  }

 private:
  void check() const {
    if (failing_) throw StoreException("fake store: MySQL unreachable");
  }

  void upsertLocked(const std::string& cluster, const store::ContainerState& state) {
    auto& slot = states_[{cluster, state.namespace_, state.podName, state.containerName}];
    if (slot.podUid == state.podUid && !slot.podName.empty()) {
      const int count = std::max(slot.restartCount, state.restartCount);
      const std::string containerId = state.containerId.empty() ? slot.containerId : state.containerId;
      slot = state;
      slot.restartCount = count;
      slot.containerId = containerId;
    } else {
      slot = state;
    }
  }

  mutable std::mutex mutex_;
  bool failing_ = false;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, store::ContainerState> states_;
};

}  // namespace podmon::testing
