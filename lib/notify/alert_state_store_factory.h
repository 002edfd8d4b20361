#pragma once

#include "core/clock.h"
#include "notify/alert_state_store.h"
#include "store/store_factory.h"

namespace podmon::notify {

// The alert state store beside an opened crash store: the same backend, and with SQLite the same
// connection.
AlertStateStore::Ptr makeAlertStateStore(const store::OpenedStore& store, Clock::Ptr clock = SystemClock::instance());

}  // namespace podmon::notify
