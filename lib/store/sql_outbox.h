#pragma once

#include <Poco/Types.h>

#include <vector>

#include "core/clock.h"
#include "store/crash_store_options.h"
#include "store/outbox.h"
#include "store/sql_backend.h"

namespace podmon::store {

// Outbox on the podmon_outbox table, written once for both backends. A claim leases the due rows
// in a short transaction (two workers never take the same row) and reads them with their crashes
// outside it (logs can be large). Times come from the injected clock.
class SqlOutbox : public Outbox {
 public:
  SqlOutbox(SqlBackend::Ptr backend, Clock::Ptr clock, CrashStoreOptions options = {});

  std::vector<OutboxItem> claimOutbox(Sink sink, int limit, std::chrono::system_clock::duration lease) override;
  void markDelivered(std::int64_t outboxId) override;
  // One UPDATE for the whole batch (a statement per item made it the drain's bottleneck).
  void markDeliveredMany(const std::vector<std::int64_t>& outboxIds) override;
  void markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                  const std::string& error) override;
  // One UPDATE; a row is given back only while its attempt count is still the one of this claim.
  void releaseClaim(const std::vector<OutboxItem>& items) override;
  void markDead(std::int64_t outboxId, const std::string& reason) override;
  std::vector<OutboxStats> outboxStats() override;
  std::int64_t retryDeadOutbox(std::optional<Sink> sink, const std::string& actor) override;

 private:
  std::vector<Poco::Int64> lease(Sink sink, int limit, std::chrono::system_clock::time_point claimedAt,
                                 std::chrono::system_clock::duration lease);
  std::vector<OutboxItem> loadClaimed(Sink sink, const std::vector<Poco::Int64>& ids);

  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
  CrashStoreOptions options_;
};

}  // namespace podmon::store
