#pragma once

#include <memory>
#include <optional>
#include <string>

#include "notify/alert_state.h"

namespace podmon::notify {

// Where the cooldown state lives (MySQL in production, a map in unit tests). Both methods throw
// StoreException when the database cannot answer; a failure is never read as "no state".
class AlertStateStore {
 public:
  using Ptr = std::shared_ptr<AlertStateStore>;
  virtual ~AlertStateStore() = default;

  virtual std::optional<AlertState> load(const std::string& key) = 0;
  // Inserts or replaces the row of state.key.
  virtual void save(const AlertState& state) = 0;
};

}  // namespace podmon::notify
