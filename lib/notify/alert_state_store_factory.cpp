#include "notify/alert_state_store_factory.h"

#include <utility>

#include "notify/mysql_alert_state_store.h"
#include "notify/sqlite_alert_state_store.h"

namespace podmon::notify {

AlertStateStore::Ptr makeAlertStateStore(const store::OpenedStore& store, Clock::Ptr clock) {
  if (store.sqlite) return std::make_shared<SqliteAlertStateStore>(store.sqlite, std::move(clock));
  return std::make_shared<MySqlAlertStateStore>(store.choice.mysql, std::move(clock));
}

}  // namespace podmon::notify
