#include "delivery/delivery_outcome.h"

#include <utility>

namespace podmon::delivery {

DeliveryOutcome DeliveryOutcome::delivered(int status) {
  DeliveryOutcome outcome;
  outcome.kind = Kind::kDelivered;
  outcome.status = status;
  return outcome;
}

DeliveryOutcome DeliveryOutcome::retry(std::string cause, std::string error,
                                       std::optional<std::chrono::milliseconds> after) {
  DeliveryOutcome outcome;
  outcome.kind = Kind::kRetry;
  outcome.cause = std::move(cause);
  outcome.error = std::move(error);
  outcome.retryAfter = after;
  return outcome;
}

DeliveryOutcome DeliveryOutcome::deferredFor(std::string cause, std::string error, std::chrono::milliseconds after) {
  DeliveryOutcome outcome = retry(std::move(cause), std::move(error), after);
  outcome.deferred = true;
  return outcome;
}

DeliveryOutcome DeliveryOutcome::dead(std::string cause, std::string error) {
  DeliveryOutcome outcome;
  outcome.kind = Kind::kDead;
  outcome.cause = std::move(cause);
  outcome.error = std::move(error);
  return outcome;
}

}  // namespace podmon::delivery
