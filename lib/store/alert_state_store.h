#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/alert_state.h"

namespace podmon::store {

// Where the cooldown state lives (podmon_alert_state; a map in unit tests), for the Slack and
// console deliverers. Every method throws StoreException when the database cannot answer; a
// failure is never read as "no state".
class AlertStateStore {
 public:
  using Ptr = std::shared_ptr<AlertStateStore>;
  virtual ~AlertStateStore() = default;

  virtual std::optional<AlertState> load(const std::string& key) = 0;
  // Inserts or replaces the row of state.key.
  virtual void save(const AlertState& state) = 0;
  // Like save, and in the same transaction marks outbox item `outboxId` done. Once a crash has
  // been alerted or counted into a crash-loop fold its item is never handed out again, so it is
  // never counted twice, and items of one container may be handled in any order (a retried item
  // arriving after a later crash's item is counted, not taken for a redelivery).
  virtual void saveHandled(const AlertState& state, std::int64_t outboxId) = 0;
};

}  // namespace podmon::store
