#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "core/clock.h"

namespace podmon::store {

// Whether the store is making progress, for /readyz. A store call in flight, or one that failed
// since the last success, is work waiting; readiness fails once work has waited `stallLimit`
// without any call succeeding (a frozen server whose calls hang until SQL_TIMEOUT, a server that
// refuses every call). An idle store (no calls) is not stalled. Pure: times from the Clock.
class StoreProgress {
 public:
  using Ptr = std::shared_ptr<StoreProgress>;

  explicit StoreProgress(Clock::Ptr clock, std::chrono::milliseconds stallLimit = std::chrono::seconds(15));

  // A store call starts.
  void begin();
  // The call begun last by this caller ended; `succeeded` false keeps its work waiting.
  void end(bool succeeded);

  // How long work has waited without progress; nullopt when nothing waits.
  std::optional<std::chrono::milliseconds> waitingFor() const;
  bool stalled() const;
  std::chrono::milliseconds stallLimit() const { return stallLimit_; }

 private:
  Clock::Ptr clock_;
  std::chrono::milliseconds stallLimit_;
  mutable std::mutex mutex_;
  int inFlight_ = 0;
  bool failedSinceProgress_ = false;
  // Since when work has waited (the first begin after progress, or the last progress while other
  // calls were still in flight).
  std::chrono::steady_clock::time_point waitingSince_{};
};

}  // namespace podmon::store
