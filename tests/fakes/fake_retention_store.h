#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "core/errors.h"
#include "store/retention_store.h"

namespace podmon::testing {

// A RetentionStore that records each prune's cutoffs and answers `answer`; setFailing(true) makes
// prune throw StoreException, as a store does while MySQL is down. Each prune asks keepGoing once
// per `batches` and stops when it says no, like SqlRetentionStore between batches.
class FakeRetentionStore : public store::RetentionStore {
 public:
  using Ptr = std::shared_ptr<FakeRetentionStore>;

  store::PruneCounts prune(const store::PruneCutoffs& cutoffs, bool dryRun, const KeepGoing& keepGoing) override {
    std::lock_guard lock(mutex_);
    calls.push_back({cutoffs, dryRun});
    if (failing_) throw StoreException("prune: MySQL is down");
    for (int i = 0; i < batches; ++i) {
      if (keepGoing && !keepGoing()) break;
    }
    return answer;
  }
  void setFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  std::size_t callCount() {
    std::lock_guard lock(mutex_);
    return calls.size();
  }

  struct Call {
    store::PruneCutoffs cutoffs;
    bool dryRun = false;
  };
  std::vector<Call> calls;
  store::PruneCounts answer;
  int batches = 1;

 private:
  std::mutex mutex_;
  bool failing_ = false;
};

}  // namespace podmon::testing
