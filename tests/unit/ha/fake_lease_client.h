#pragma once

#include <mutex>
#include <optional>

#include "core/errors.h"
#include "kube/lease_client.h"

namespace podmon::ha::fakes {

// One Lease in memory with the API server's optimistic concurrency (409 on a stale
// resourceVersion or a second create), shared by several electors; setDown() makes every call
// throw as an unreachable API server does.
class FakeLeaseClient : public kube::LeaseClient {
 public:
  std::optional<kube::LeaseRecord> get() override {
    std::lock_guard lock(mutex_);
    check();
    return lease_;
  }
  bool create(kube::LeaseRecord& record) override {
    std::lock_guard lock(mutex_);
    check();
    if (lease_) return false;
    record.resourceVersion = std::to_string(++rv_);
    lease_ = record;
    ++writes_;
    return true;
  }
  bool update(kube::LeaseRecord& record) override {
    std::lock_guard lock(mutex_);
    check();
    if (!lease_ || (!record.resourceVersion.empty() && record.resourceVersion != lease_->resourceVersion)) return false;
    record.resourceVersion = std::to_string(++rv_);
    lease_ = record;
    ++writes_;
    return true;
  }
  std::string describe() const override { return "fake lease"; }

  void setDown(bool down) {
    std::lock_guard lock(mutex_);
    down_ = down;
  }
  std::optional<kube::LeaseRecord> lease() const {
    std::lock_guard lock(mutex_);
    return lease_;
  }
  int writes() const {
    std::lock_guard lock(mutex_);
    return writes_;
  }

 private:
  void check() const {
    if (down_) throw KubeException("connection refused");
  }
  mutable std::mutex mutex_;
  std::optional<kube::LeaseRecord> lease_;
  uint64_t rv_ = 0;
  int writes_ = 0;
  bool down_ = false;
};

}  // namespace podmon::ha::fakes
