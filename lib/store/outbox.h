#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/outbox_item.h"

namespace podmon::store {

// The deliveries still to make (podmon_outbox), for the sink workers, metrics and podmonctl. Rows
// are added by CrashRepository::recordCrash with their crash. Every method throws StoreException
// when the database cannot answer.
class Outbox {
 public:
  using Ptr = std::shared_ptr<Outbox>;
  virtual ~Outbox() = default;

  // Up to `limit` pending rows of `sink` that are due, oldest first. Claiming leases them for
  // `lease` (they are not handed out again before that unless marked failed) and counts an attempt.
  virtual std::vector<OutboxItem> claimOutbox(Sink sink, int limit, std::chrono::system_clock::duration lease) = 0;
  virtual void markDelivered(std::int64_t outboxId) = 0;
  // Many items delivered by one request (an Elasticsearch _bulk); the same as markDelivered for
  // each. Stores that can do it in one statement override it.
  virtual void markDeliveredMany(const std::vector<std::int64_t>& outboxIds) {
    for (auto id : outboxIds) markDelivered(id);
  }
  // Retry at nextAttemptAt.
  virtual void markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                          const std::string& error) = 0;
  // Gives back items this process claimed and will not deliver (a worker that claimed ahead and
  // is stopping): each is due now again with the attempt its claim counted undone, unless
  // another claim has taken it since. Stores that cannot tell leave the rows to their lease's end.
  virtual void releaseClaim(const std::vector<OutboxItem>& items) { (void)items; }
  // Never retry.
  virtual void markDead(std::int64_t outboxId, const std::string& reason) = 0;
  // One entry per sink that has rows, plus every sink podmon writes to.
  virtual std::vector<OutboxStats> outboxStats() = 0;
  // Makes the dead rows of `sink` (every sink when nullopt) pending again, due now, with a fresh
  // attempt count, and writes an audit row naming `actor` in the same transaction (only when there
  // were some). Returns how many (podmonctl outbox retry).
  virtual std::int64_t retryDeadOutbox(std::optional<Sink> sink, const std::string& actor) = 0;
};

}  // namespace podmon::store
