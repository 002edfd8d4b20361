#include "store/sqlite_database.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <system_error>

#include "core/errors.h"
#include "core/private_file.h"
#include "store/crash_columns.h"
#include "store/migration.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {

namespace {

void registerConnectorOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

constexpr const char* kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS `schema_migrations` ("
    " `version` INTEGER NOT NULL PRIMARY KEY,"
    " `name` TEXT NOT NULL,"
    " `applied_at` TEXT NOT NULL)";

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, std::string migrationsDir, int busyTimeoutMs)
    : path_(std::move(path)), migrationsDir_(std::move(migrationsDir)), busyTimeoutMs_(busyTimeoutMs) {
  if (path_.empty()) throw ConfigException("SQLITE_PATH must not be empty (the embedded store's file)");
  registerConnectorOnce();
}

SqliteDatabase::~SqliteDatabase() = default;

std::string SqliteDatabase::migrationsDir() const {
  return migrationsDir_.empty() ? defaultMigrationsDir() + "/sqlite" : migrationsDir_;
}

std::string SqliteDatabase::describe() const { return "SQLite " + path_; }

void SqliteDatabase::createPrivately() const {
  if (path_ == ":memory:" || path_.rfind("file:", 0) == 0) return;
  bool created = false;
  try {
    created = createPrivateFile(path_);
  } catch (const std::system_error& error) {
    throw StoreException("cannot create the SQLite database " + path_ + " (SQLITE_PATH): " + error.code().message());
  }
  const int mode = filePermissions(path_);
  if (!created && mode >= 0 && (mode & 077) != 0) {
    spdlog::warn("store: SQLite {} (SQLITE_PATH) is readable by other users (mode {:o}): chmod 600 it", path_, mode);
  }
}

Poco::Data::Session& SqliteDatabase::open() {
  if (session_) return *session_;
  // Before SQLite sees the file: SQLite would create it 0644, and its -wal and -shm files copy
  // the database file's mode.
  createPrivately();
  try {
    Poco::Data::Session session("SQLite", path_);
    int timeout = busyTimeoutMs_;
    int applied = 0;
    session << "PRAGMA busy_timeout = " + std::to_string(timeout), into(applied), now;
    std::string mode;
    session << "PRAGMA journal_mode = WAL", into(mode), now;
    if (mode != "wal") spdlog::warn("store: SQLite {} runs in journal mode '{}', not WAL", path_, mode);
    session << "PRAGMA synchronous = NORMAL", now;
    session_.emplace(std::move(session));
  } catch (const Poco::Exception& error) {
    throw StoreException("cannot open the SQLite database " + path_ + " (SQLITE_PATH): " + error.displayText());
  }
  return *session_;
}

void SqliteDatabase::runLocked(const std::string& what, bool transaction, const SessionBody& body) {
  std::lock_guard lock(mutex_);
  Poco::Data::Session& session = open();
  try {
    if (!transaction) {
      body(session);
      return;
    }
    session << "BEGIN IMMEDIATE", now;
    try {
      body(session);
      session << "COMMIT", now;
    } catch (...) {
      try {
        session << "ROLLBACK", now;
      } catch (...) {
        // No transaction left to roll back (a failed COMMIT may already have ended it).
      }
      throw;
    }
  } catch (const PodmonException&) {
    throw;  // the caller's own verdict (a test hook, a bad argument)
  } catch (const Poco::Exception& error) {
    throw StoreException(what + " failed (SQLite " + path_ + "): " + error.displayText());
  } catch (const std::exception& error) {
    throw StoreException(what + " failed (SQLite " + path_ + "): " + error.what());
  }
}

std::vector<int> SqliteDatabase::migrate(const Clock& clock) {
  const std::string dir = migrationsDir();
  const auto migrations = loadMigrations(dir);
  withSession("migrate", [&](Poco::Data::Session& session) { session << kCreateSchemaMigrations, now; });
  std::vector<int> applied;
  for (const auto& migration : migrations) {
    const std::string name = std::to_string(migration.version) + "_" + migration.name;
    const bool ran = inTransaction("migration " + name, [&](Poco::Data::Session& session) {
      int version = migration.version;
      int seen = 0;
      // Inside the write lock: another process that migrated meanwhile is seen here.
      session << "SELECT COUNT(*) FROM `schema_migrations` WHERE `version` = ?", use(version), into(seen), now;
      if (seen > 0) return false;
      spdlog::info("store: applying SQLite migration {}", name);
      for (std::size_t i = 0; i < migration.statements.size(); ++i) {
        std::string sql = migration.statements[i];
        try {
          session << sql, now;
        } catch (const Poco::Exception& error) {
          throw StoreException("SQLite migration " + name + " (" + dir + ") failed at statement " +
                               std::to_string(i + 1) + ": " + error.displayText());
        }
      }
      std::string migrationName = migration.name;
      std::string appliedAt = columns::toSqliteTime(clock.now());
      session << "INSERT INTO `schema_migrations` (`version`, `name`, `applied_at`) VALUES (?, ?, ?)", use(version),
          use(migrationName), use(appliedAt), now;
      return true;
    });
    if (ran) applied.push_back(migration.version);
  }
  std::vector<int> done;
  withSession("migrate", [&](Poco::Data::Session& session) {
    session << "SELECT `version` FROM `schema_migrations`", into(done), now;
  });
  for (int version : done) {
    const bool known =
        std::any_of(migrations.begin(), migrations.end(), [&](const Migration& m) { return m.version == version; });
    if (!known) {
      spdlog::warn("store: {} has migration {} which this podmon does not know; a newer podmon migrated it", path_,
                   version);
    }
  }
  return applied;
}

}  // namespace podmon::store
