#include "cli/admin_store_factory.h"

#include <utility>

#include "cli/sql_admin_store.h"

namespace podmon::cli {

AdminStore::Ptr makeAdminStore(const store::OpenedStore& store, Clock::Ptr clock) {
  return std::make_shared<SqlAdminStore>(store::sqlBackendBeside(store), std::move(clock));
}

}  // namespace podmon::cli
