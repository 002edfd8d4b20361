#pragma once

#include <memory>

#include "core/clock.h"
#include "store/mysql_config.h"
#include "store/mysql_crash_store.h"

namespace podmon {
class Config;
}

// podmon and podmonctl read the same connection settings (SQL_HOST, SQL_PORT, SQL_USERNAME,
// SQL_PASSWORD / SQL_PASSWORD_FILE, SQL_DBNAME) and must build the store the same way, or the tool
// would edit a different database than the daemon reads.
namespace podmon::store {

// MySqlConfig from the SQL_* settings.
MySqlConfig mySqlConfigFrom(const Config& config);

// The options podmon's store runs with (log size from MAX_CRASHLOG_LENGTH).
CrashStoreOptions crashStoreOptionsFrom(const Config& config);

// A MySqlCrashStore on the configured database. Connects lazily: nothing throws here.
std::shared_ptr<MySqlCrashStore> makeMySqlCrashStore(const Config& config,
                                                     Clock::Ptr clock = SystemClock::instance());

}  // namespace podmon::store
