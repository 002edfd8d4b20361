#include "store/store_factory.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <fstream>
#include <utility>

#include "core/errors.h"
#include "core/settings.h"
#include "store/mysql_backend.h"
#include "store/sql_admin_store.h"
#include "store/sql_alert_state_store.h"
#include "store/sql_container_state_store.h"
#include "store/sql_crash_repository.h"
#include "store/sql_notify_rule_source.h"
#include "store/sql_outbox.h"
#include "store/sql_retention_store.h"
#include "store/sqlite_backend.h"

namespace podmon::store {

std::string StoreChoice::describe() const {
  return backend == StoreBackend::kMySql ? "MySQL " + mysql.describe() : "SQLite " + sqlitePath;
}

std::string StoreChoice::startupLine() const {
  if (backend == StoreBackend::kMySql) return "store: " + describe();
  return "store: " + describe() + " (embedded; set SQL_HOST for MySQL in production)";
}

namespace {

MySqlConnectOptions connectOptionsFrom(const StoreSettings& settings) {
  MySqlConnectOptions o;
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(settings.sqlTimeout).count();
  if (seconds < 1 || seconds > 3600) {
    throw ConfigException("SQL_TIMEOUT must be between 1s and 1h (it bounds every MySQL connect, read and write)");
  }
  o.timeoutSeconds = static_cast<unsigned int>(seconds);
  o.tls = parseMySqlTlsMode(settings.sqlTls);
  o.tlsCa = settings.sqlTlsCa;
  const bool verifies = o.tls == MySqlTlsMode::kVerifyCa || o.tls == MySqlTlsMode::kVerifyIdentity;
  if (verifies && o.tlsCa.empty()) {
    throw ConfigException("SQL_TLS=" + settings.sqlTls +
                          " needs SQL_TLS_CA, the CA certificate file to verify MySQL's");
  }
  if (!o.tlsCa.empty() && !std::ifstream(o.tlsCa).good()) {
    throw ConfigException("SQL_TLS_CA: cannot read '" + o.tlsCa + "'");
  }
  return o;
}

}  // namespace

MySqlConfig mySqlConfigFrom(const StoreSettings& settings) {
  MySqlConfig c;
  c.host = settings.sqlHost;
  c.port = settings.sqlPort;
  c.user = settings.sqlUsername;
  c.password = settings.sqlPassword;
  c.database = settings.sqlDbname;
  c.connect = connectOptionsFrom(settings);
  return c;
}

StoreChoice storeChoiceFrom(const StoreSettings& settings) {
  StoreChoice choice;
  if (!settings.sqlHost.empty()) {
    choice.backend = StoreBackend::kMySql;
    choice.mysql = mySqlConfigFrom(settings);
  } else {
    choice.backend = StoreBackend::kSqlite;
    choice.sqlitePath = settings.sqlitePath;
    if (choice.sqlitePath.empty()) {
      throw ConfigException(
          "SQLITE_PATH must not be empty when SQL_HOST is not set (it is the embedded store's "
          "file); set SQL_HOST to use MySQL");
    }
  }
  return choice;
}

CrashStoreOptions crashStoreOptionsFrom(const Settings& settings, std::vector<Sink> outboxSinks) {
  CrashStoreOptions options;
  options.maxLogBytes = std::min(static_cast<std::size_t>(settings.crashLog.maxLength) + 1024, kMaxLogColumnBytes);
  options.outboxSinks = std::move(outboxSinks);
  return options;
}

OpenedStore openStoreOn(SqlBackend::Ptr backend, const CrashStoreOptions& options, Clock::Ptr clock) {
  OpenedStore opened;
  opened.containerStates = std::make_shared<SqlContainerStateStore>(backend, clock);
  opened.crashes = std::make_shared<SqlCrashRepository>(backend, clock, options);
  opened.outbox = std::make_shared<SqlOutbox>(backend, clock, options);
  opened.notifyRules = std::make_shared<SqlNotifyRuleSource>(backend);
  opened.retention = std::make_shared<SqlRetentionStore>(backend);
  opened.migrate = [backend, clock] { return backend->migrate(clock); };
  return opened;
}

OpenedStore openStore(const StoreChoice& choice, const CrashStoreOptions& options, Clock::Ptr clock) {
  SqlBackend::Ptr backend;
  SqliteDatabase::Ptr sqlite;
  StoreChoice opening = choice;
  if (choice.backend == StoreBackend::kMySql) {
    // One tracker for every backend beside this one too (sqlBackendBeside copies the config).
    if (!opening.mysql.progress) opening.mysql.progress = std::make_shared<StoreProgress>(clock);
    backend = std::make_shared<MySqlBackend>(opening.mysql);
  } else {
    sqlite = std::make_shared<SqliteDatabase>(choice.sqlitePath);
    backend = std::make_shared<SqliteBackend>(sqlite);
  }
  OpenedStore opened = openStoreOn(std::move(backend), options, std::move(clock));
  opened.choice = opening;
  opened.progress = opening.mysql.progress;
  opened.sqlite = std::move(sqlite);
  return opened;
}

SqlBackend::Ptr sqlBackendBeside(const OpenedStore& store) {
  if (store.sqlite) return std::make_shared<SqliteBackend>(store.sqlite);
  return std::make_shared<MySqlBackend>(store.choice.mysql);
}

AdminStore::Ptr makeAdminStore(const OpenedStore& store, Clock::Ptr clock) {
  return std::make_shared<SqlAdminStore>(sqlBackendBeside(store), std::move(clock));
}

AlertStateStore::Ptr makeAlertStateStore(const OpenedStore& store, Clock::Ptr clock) {
  AlertStateStore::Ptr states = std::make_shared<SqlAlertStateStore>(sqlBackendBeside(store), std::move(clock));
  return store.decorateAlertStates ? store.decorateAlertStates(states) : states;
}

OpenedStore openStore(const Settings& settings, std::vector<Sink> outboxSinks, Clock::Ptr clock) {
  return openStore(storeChoiceFrom(settings.store), crashStoreOptionsFrom(settings, std::move(outboxSinks)),
                   std::move(clock));
}

}  // namespace podmon::store
