#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "delivery/delivery_outcome.h"
#include "store/outbox_item.h"

namespace podmon::delivery {

// Delivers claimed outbox items to one sink (Elasticsearch, Slack). Implementations do the I/O
// and classify each result; they never touch the outbox themselves. It sits below pipeline/ so
// the sinks (index/, notify/) do not depend on the worker that drives them.
class OutboxDeliverer {
 public:
  using Ptr = std::shared_ptr<OutboxDeliverer>;
  virtual ~OutboxDeliverer() = default;
  virtual store::Sink sink() const = 0;
  // How many items one deliver() call takes at most.
  virtual std::size_t batchSize() const = 0;
  // One outcome per item, in the same order. Must not throw for a failed delivery (return kRetry);
  // a thrown exception is treated as kRetry for the whole batch.
  virtual std::vector<DeliveryOutcome> deliver(const std::vector<store::OutboxItem>& items) = 0;
  // Called when the worker (re)starts delivering after an idle or failing period, e.g. to
  // install the index template. Throwing means "not ready yet": the worker backs off and retries.
  virtual void prepare() {}
  // A live check that the sink answers (GET /health, like the original), made from another
  // thread than deliver(). Throws SinkException when it does not; default: nothing to check.
  virtual void checkReachable() {}
};

}  // namespace podmon::delivery
