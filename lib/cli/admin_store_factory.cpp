#include "cli/admin_store_factory.h"

#include <utility>

#include "cli/mysql_admin_store.h"
#include "cli/sqlite_admin_store.h"

namespace podmon::cli {

AdminStore::Ptr makeAdminStore(const store::OpenedStore& store, Clock::Ptr clock) {
  if (store.sqlite) return std::make_shared<SqliteAdminStore>(store.sqlite, std::move(clock));
  return std::make_shared<MySqlAdminStore>(store.choice.mysql, std::move(clock));
}

}  // namespace podmon::cli
