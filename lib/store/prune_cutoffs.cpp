#include "store/prune_cutoffs.h"

#include <algorithm>

namespace podmon::store {

namespace {

std::optional<PruneCutoffs::TimePoint> before(std::chrono::milliseconds period, PruneCutoffs::TimePoint now) {
  if (period <= std::chrono::milliseconds::zero()) return std::nullopt;
  return now - period;
}

}  // namespace

PruneCutoffs PruneCutoffs::at(const RetentionPeriods& periods, TimePoint now) {
  PruneCutoffs cutoffs;
  cutoffs.crashesBefore = before(periods.crashes, now);
  cutoffs.doneOutboxBefore = before(periods.doneOutbox, now);
  const std::chrono::milliseconds stateAge =
      std::max<std::chrono::milliseconds>(periods.alertCooldown, kMinAlertStateAge);
  cutoffs.alertStatesBefore = now - stateAge;
  return cutoffs;
}

PruneCutoffs PruneCutoffs::olderThan(std::chrono::milliseconds age, std::chrono::milliseconds alertCooldown,
                                     TimePoint now) {
  return at({age, age, alertCooldown}, now);
}

}  // namespace podmon::store
