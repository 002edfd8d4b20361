#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/admin_store.h"
#include "store/alert_state_store.h"
#include "store/container_state_store.h"
#include "store/crash_repository.h"
#include "store/crash_store_options.h"
#include "store/mysql_config.h"
#include "store/notify_rule_source.h"
#include "store/outbox.h"
#include "store/retention_store.h"
#include "store/sql_backend.h"
#include "store/sqlite_database.h"

namespace podmon {
struct Settings;
struct StoreSettings;
}  // namespace podmon

// podmon and podmonctl read the same settings and must pick the same store the same way, or the
// tool would edit a different database than the daemon reads: MySQL when SQL_HOST is set (SQL_*
// settings), else the embedded SQLite file at SQLITE_PATH.
namespace podmon::store {

enum class StoreBackend { kMySql, kSqlite };

// Which store the settings name, and where.
struct StoreChoice {
  StoreBackend backend = StoreBackend::kSqlite;
  MySqlConfig mysql;       // for kMySql
  std::string sqlitePath;  // for kSqlite

  // "MySQL root@db:3306/kubernetes_pod_monitor" or "SQLite ./podmon.db".
  std::string describe() const;
  // The one start-up line that says which store is used.
  std::string startupLine() const;
};

// MySqlConfig from the SQL_* settings.
MySqlConfig mySqlConfigFrom(const StoreSettings& settings);
StoreChoice storeChoiceFrom(const StoreSettings& settings);

// The options podmon's store runs with: log size from MAX_CRASHLOG_LENGTH, an outbox row for each
// of `outboxSinks` (the sinks that are on, decided at the composition root: pipeline::ActiveSinks).
CrashStoreOptions crashStoreOptionsFrom(const Settings& settings, std::vector<Sink> outboxSinks);

// The stores of one process on the chosen backend, each behind the interface its users take. They
// share one backend (with MySQL one session pool; with SQLite `sqlite`, the connection the other
// stores of the process, alert states and podmonctl's admin store, must share too).
struct OpenedStore {
  StoreChoice choice;
  ContainerStateStore::Ptr containerStates;
  CrashRepository::Ptr crashes;
  Outbox::Ptr outbox;
  NotifyRuleSource::Ptr notifyRules;
  RetentionStore::Ptr retention;  // the prune worker, podmonctl prune (null in tests with fakes: no pruning)
  SqliteDatabase::Ptr sqlite;     // null for MySQL
  StoreProgress::Ptr progress;    // MySQL: whether its calls make progress (/readyz); null for SQLite
  // Applies the migrations; returns the versions applied now. Throws StoreException naming the
  // failed migration (safe when several instances start together).
  std::function<std::vector<int>()> migrate;
  // Wraps the alert state store makeAlertStateStore() makes (SPOOL_DIR's Slack outcome journal); empty = none.
  std::function<AlertStateStore::Ptr(AlertStateStore::Ptr)> decorateAlertStates;
};

// Connects lazily: nothing throws here but a ConfigException for unusable settings.
OpenedStore openStore(const StoreChoice& choice, const CrashStoreOptions& options,
                      Clock::Ptr clock = SystemClock::instance());
OpenedStore openStore(const Settings& settings, std::vector<Sink> outboxSinks,
                      Clock::Ptr clock = SystemClock::instance());
// The stores on a backend made elsewhere (tests: a MySQL pool of a chosen size); `choice` and
// `sqlite` are left empty.
OpenedStore openStoreOn(SqlBackend::Ptr backend, const CrashStoreOptions& options,
                        Clock::Ptr clock = SystemClock::instance());

// A backend for another store of the process (alert states, podmonctl's admin store) on the
// opened store's database: with MySQL a session pool of its own, so its small reads and writes
// never wait behind the crash store's transactions; with SQLite the process's one connection.
SqlBackend::Ptr sqlBackendBeside(const OpenedStore& store);

// podmonctl's admin store beside an opened store (on a backend of its own, see sqlBackendBeside).
AdminStore::Ptr makeAdminStore(const OpenedStore& store, Clock::Ptr clock = SystemClock::instance());
// The alert state store beside an opened store, so console alerts fold crash loops like Slack's.
AlertStateStore::Ptr makeAlertStateStore(const OpenedStore& store, Clock::Ptr clock = SystemClock::instance());

}  // namespace podmon::store
