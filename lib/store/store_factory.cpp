#include "store/store_factory.h"

#include <cstddef>
#include <utility>

#include "core/settings.h"
#include "core/errors.h"
#include "store/mysql_backend.h"
#include "store/sqlite_backend.h"

namespace podmon::store {

std::string StoreChoice::describe() const {
  return backend == StoreBackend::kMySql ? "MySQL " + mysql.describe() : "SQLite " + sqlitePath;
}

std::string StoreChoice::startupLine() const {
  if (backend == StoreBackend::kMySql) return "store: " + describe();
  return "store: " + describe() + " (embedded; set SQL_HOST for MySQL in production)";
}

MySqlConfig mySqlConfigFrom(const StoreSettings& settings) {
  MySqlConfig c;
  c.host = settings.sqlHost;
  c.port = settings.sqlPort;
  c.user = settings.sqlUsername;
  c.password = settings.sqlPassword;
  c.database = settings.sqlDbname;
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
      throw ConfigException("SQLITE_PATH must not be empty when SQL_HOST is not set (it is the embedded store's "
                            "file); set SQL_HOST to use MySQL");
    }
  }
  return choice;
}

CrashStoreOptions crashStoreOptionsFrom(const Settings& settings, std::vector<Sink> outboxSinks) {
  CrashStoreOptions options;
  options.maxLogBytes = static_cast<std::size_t>(settings.crashLog.maxLength) + 1024;
  options.outboxSinks = std::move(outboxSinks);
  return options;
}

OpenedStore openStore(const StoreChoice& choice, const CrashStoreOptions& options, Clock::Ptr clock) {
  OpenedStore opened;
  opened.choice = choice;
  SqlBackend::Ptr backend;
  if (choice.backend == StoreBackend::kMySql) {
    backend = std::make_shared<MySqlBackend>(choice.mysql);
  } else {
    opened.sqlite = std::make_shared<SqliteDatabase>(choice.sqlitePath);
    backend = std::make_shared<SqliteBackend>(opened.sqlite);
  }
  auto store = std::make_shared<SqlCrashStore>(std::move(backend), std::move(clock), options);
  opened.crashes = store;
  opened.migrate = [store] {
    store->migrate();
    return store->lastAppliedMigrations();
  };
  return opened;
}

SqlBackend::Ptr sqlBackendBeside(const OpenedStore& store) {
  if (store.sqlite) return std::make_shared<SqliteBackend>(store.sqlite);
  return std::make_shared<MySqlBackend>(store.choice.mysql);
}

OpenedStore openStore(const Settings& settings, std::vector<Sink> outboxSinks, Clock::Ptr clock) {
  return openStore(storeChoiceFrom(settings.store), crashStoreOptionsFrom(settings, std::move(outboxSinks)),
                   std::move(clock));
}

}  // namespace podmon::store
