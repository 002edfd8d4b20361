#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "store/retention_store.h"

namespace podmon::testing {

// A RetentionStore that records each prune's cutoffs and answers `answer`; setFailing(true) makes
// prune throw StoreException, as a store does while MySQL is down. Each prune then works through
// `batches` batches of 1 ms, asking keepGoing before each and ending when it says no (counted in
// stoppedEarly), like SqlRetentionStore between batches.
class FakeRetentionStore : public store::RetentionStore {
 public:
  using Ptr = std::shared_ptr<FakeRetentionStore>;

  store::PruneCounts prune(const store::PruneCutoffs& cutoffs, bool dryRun, const KeepGoing& keepGoing) override {
    {
      std::lock_guard lock(mutex_);
      calls.push_back({cutoffs, dryRun});
      if (failing_) throw StoreException("prune: MySQL is down");
    }
    for (int i = 0; i < batches; ++i) {
      if (keepGoing && !keepGoing()) {
        ++stoppedEarly;
        break;
      }
      if (batches > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
  std::atomic<int> stoppedEarly{0};

 private:
  std::mutex mutex_;
  bool failing_ = false;
};

}  // namespace podmon::testing
