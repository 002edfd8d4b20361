#include "store/migration_runner.h"

#include <Poco/Data/Statement.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "store/db_time.h"
#include "store/mysql_error.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {

namespace {

constexpr const char* kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS `schema_migrations` ("
    " `version` int(11) NOT NULL,"
    " `name` varchar(255) NOT NULL,"
    " `applied_at` datetime(6) NOT NULL,"
    " PRIMARY KEY (`version`)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

bool isAlreadyThere(const Poco::Exception& error) {
  const auto code = mysqlErrno(error.displayText());
  return code && (*code == 1050 || *code == 1060 || *code == 1061);
}

std::string fileName(const Migration& migration) {
  std::string version = std::to_string(migration.version);
  if (version.size() < 3) version.insert(0, 3 - version.size(), '0');
  return version + "_" + migration.name + ".sql";
}

}  // namespace

MigrationRunner::MigrationRunner(MySqlSessionPool& pool, Clock::Ptr clock, int lockTimeoutSeconds)
    : pool_(pool), clock_(std::move(clock)), lockTimeoutSeconds_(lockTimeoutSeconds) {}

std::vector<int> MigrationRunner::run(const std::vector<Migration>& migrations) {
  return pool_.withSession("migrate", [&](Poco::Data::Session& session) {
    // Named locks belong to the connection, so everything below runs on this one session.
    Poco::Int64 locked = -1;
    int timeout = lockTimeoutSeconds_;
    session << "SELECT COALESCE(GET_LOCK(CONCAT('podmon_migrate:', DATABASE()), ?), -1)", use(timeout), into(locked),
        now;
    if (locked != 1) {
      throw StoreException("migrate: another podmon held the migration lock for more than " +
                           std::to_string(lockTimeoutSeconds_) + " s; is a migration stuck?");
    }
    try {
      auto applied = runLocked(session, migrations);
      session << "DO RELEASE_LOCK(CONCAT('podmon_migrate:', DATABASE()))", now;
      return applied;
    } catch (...) {
      try {
        session << "DO RELEASE_LOCK(CONCAT('podmon_migrate:', DATABASE()))", now;
      } catch (...) {}
      throw;
    }
  });
}

std::vector<int> MigrationRunner::runLocked(Poco::Data::Session& session, const std::vector<Migration>& migrations) {
  session << kCreateSchemaMigrations, now;
  std::vector<int> done;
  session << "SELECT `version` FROM `schema_migrations`", into(done), now;
  const std::set<int> doneSet(done.begin(), done.end());
  for (int version : doneSet) {
    const bool known =
        std::any_of(migrations.begin(), migrations.end(), [&](const Migration& m) { return m.version == version; });
    if (!known) {
      spdlog::warn(
          "store: the database has migration {} which this podmon does not know; a newer "
          "podmon migrated it",
          version);
    }
  }
  std::vector<int> applied;
  for (const auto& migration : migrations) {
    if (doneSet.count(migration.version) != 0) continue;
    spdlog::info("store: applying migration {}", fileName(migration));
    apply(session, migration);
    applied.push_back(migration.version);
  }
  return applied;
}

void MigrationRunner::apply(Poco::Data::Session& session, const Migration& migration) {
  for (std::size_t i = 0; i < migration.statements.size(); ++i) {
    std::string sql = migration.statements[i];
    try {
      session << sql, now;
    } catch (const Poco::Exception& error) {
      if (isAlreadyThere(error)) {
        spdlog::warn("store: migration {} statement {} already applied, skipped ({})", fileName(migration), i + 1,
                     error.displayText());
        continue;
      }
      const MySqlErrorKind kind = classifyMySqlError(error);
      if (kind == MySqlErrorKind::kConnection || kind == MySqlErrorKind::kTransient) throw;  // retried by the pool
      throw StoreException("migration " + fileName(migration) + " failed at statement " + std::to_string(i + 1) + ": " +
                           pool_.scrub(error.displayText()) +
                           "; fix the database or the migration, then start podmon again");
    }
  }
  int version = migration.version;
  std::string name = migration.name;
  Poco::DateTime appliedAt = toDbTime(clock_->now());
  session << "INSERT INTO `schema_migrations` (`version`, `name`, `applied_at`) VALUES (?, ?, ?)", use(version),
      use(name), use(appliedAt), now;
}

}  // namespace podmon::store
