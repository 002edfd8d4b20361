#pragma once

#include <Poco/Data/Session.h>

#include <chrono>

#include "store/admin_store.h"
#include "store/sql_backend.h"

// The podmon_audit insert, written once: SqlAdminStore and SqlOutbox (retrying dead rows) each
// write it in the transaction of the change it records.
namespace podmon::store::audit_rows {

// Inserts `entry` (its id and at are ignored) at time `at`.
void insert(Poco::Data::Session& session, const SqlBackend& sql, const AuditEntry& entry,
            std::chrono::system_clock::time_point at);

}  // namespace podmon::store::audit_rows
