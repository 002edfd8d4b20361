#pragma once

#include "cli/admin_store.h"
#include "core/clock.h"
#include "store/store_factory.h"

namespace podmon::cli {

// podmonctl's admin store beside an opened crash store: the same backend, and with SQLite the
// same connection.
AdminStore::Ptr makeAdminStore(const store::OpenedStore& store, Clock::Ptr clock = SystemClock::instance());

}  // namespace podmon::cli
