#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <chrono>
#include <vector>

#include "store/outbox_item.h"
#include "store/sql_backend.h"

// The podmon_outbox writes that other stores make inside their own transactions, written once
// beside SqlOutbox: recordCrash adds a new crash's rows, AlertStateStore::saveHandled marks an item
// done together with the alert state.
namespace podmon::store::outbox_rows {

// One pending row per sink for the crash, due at `at`.
void insertPending(Poco::Data::Session& session, const SqlBackend& sql, Poco::Int64 crashId,
                   const std::vector<Sink>& sinks, std::chrono::system_clock::time_point at);

// Marks the rows done, delivered at `at`. Does nothing for no ids.
void markDone(Poco::Data::Session& session, const SqlBackend& sql, const std::vector<Poco::Int64>& ids,
              std::chrono::system_clock::time_point at);

}  // namespace podmon::store::outbox_rows
