#include "store/store_progress.h"

#include <utility>

namespace podmon::store {

StoreProgress::StoreProgress(Clock::Ptr clock, std::chrono::milliseconds stallLimit)
    : clock_(std::move(clock)), stallLimit_(stallLimit) {}

void StoreProgress::begin() {
  std::lock_guard lock(mutex_);
  if (inFlight_ == 0 && !failedSinceProgress_) waitingSince_ = clock_->steadyNow();
  ++inFlight_;
}

void StoreProgress::end(bool succeeded) {
  std::lock_guard lock(mutex_);
  if (inFlight_ > 0) --inFlight_;
  if (succeeded) {
    failedSinceProgress_ = false;
    // The calls still in flight started their wait before this progress; count from now.
    waitingSince_ = clock_->steadyNow();
  } else {
    failedSinceProgress_ = true;
  }
}

std::optional<std::chrono::milliseconds> StoreProgress::waitingFor() const {
  std::lock_guard lock(mutex_);
  if (inFlight_ == 0 && !failedSinceProgress_) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_->steadyNow() - waitingSince_);
}

bool StoreProgress::stalled() const {
  const auto waited = waitingFor();
  return waited && *waited >= stallLimit_;
}

}  // namespace podmon::store
