#include "notify/alert_state_store_factory.h"

#include <utility>

#include "notify/sql_alert_state_store.h"

namespace podmon::notify {

AlertStateStore::Ptr makeAlertStateStore(const store::OpenedStore& store, Clock::Ptr clock) {
  return std::make_shared<SqlAlertStateStore>(store::sqlBackendBeside(store), std::move(clock));
}

}  // namespace podmon::notify
