#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace podmon::delivery {

// What became of one outbox item handed to a deliverer. The sinks (index/, notify/) build it with
// the named constructors; the outbox worker (pipeline/) records it.
struct DeliveryOutcome {
  enum class Kind {
    kDelivered,  // done (Elasticsearch 2xx or 409 on create; Slack ok:true)
    kRetry,      // try again later (429, 5xx, timeouts, connection errors)
    kDead,       // never retry (mapping error, channel gone for good): kept with its reason
  };
  Kind kind = Kind::kRetry;
  std::string error;                                    // for kRetry and kDead: why (no secrets)
  std::optional<std::chrono::milliseconds> retryAfter;  // server-given delay (Retry-After)
  bool deferred = false;  // kRetry that is no failure: delivery is scheduled later on purpose
  // For kRetry and kDead: a short fixed word for the metrics' `cause` label ("connection",
  // "http_503", "item_429", "rate_limited", ...). Never a free text: labels must stay few.
  std::string cause;
  // The sink's own status for this item when it has one (an Elasticsearch bulk item's status),
  // else 0.
  int status = 0;

  // Done; `status` is the sink's own status when it has one.
  static DeliveryOutcome delivered(int status = 0);
  // Failed for now: try again after `after` when the sink said so, else after the worker's backoff.
  static DeliveryOutcome retry(std::string cause, std::string error,
                               std::optional<std::chrono::milliseconds> after = std::nullopt);
  // Not failed: held back on purpose, to be tried again after `after`.
  static DeliveryOutcome deferredFor(std::string cause, std::string error, std::chrono::milliseconds after);
  // Never to be retried: kept with its reason.
  static DeliveryOutcome dead(std::string cause, std::string error);
};

}  // namespace podmon::delivery
