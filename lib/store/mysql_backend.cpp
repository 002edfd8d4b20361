#include "store/mysql_backend.h"

#include <Poco/Data/Binding.h>
#include <Poco/Data/Extraction.h>
#include <Poco/Nullable.h>

#include <spdlog/spdlog.h>

#include <utility>

#include "store/db_time.h"
#include "store/migration.h"
#include "store/migration_runner.h"
#include "store/mysql_server_version.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {

MySqlBackend::MySqlBackend(MySqlConfig config) : pool_(std::move(config)) {}

void MySqlBackend::run(const std::string& what, bool transaction, const SessionBody& body) {
  const auto learnThenRun = [&](Poco::Data::Session& session) {
    learnServer(session);
    body(session);
  };
  if (transaction) {
    pool_.inTransaction(what, learnThenRun);
  } else {
    pool_.withSession(what, learnThenRun);
  }
}

void MySqlBackend::learnServer(Poco::Data::Session& session) {
  if (serverKnown_) return;
  std::lock_guard lock(learning_);
  if (serverKnown_) return;
  // A throw here (the server went away) leaves it unlearnt, for the next attempt.
  std::string version = config().serverVersion;
  if (version.empty()) session << "SELECT VERSION()", into(version), now;
  const auto parsed = MySqlServerVersion::parse(version);
  skipLocked_ = parsed && parsed->hasSkipLocked();
  serverKnown_ = true;
  if (!skipLocked_) {
    spdlog::info("store: {} has no SKIP LOCKED: outbox claims lock with plain FOR UPDATE and wait for each other",
                 parsed ? parsed->describe() : "server version '" + version + "'");
  }
}

std::vector<int> MySqlBackend::migrate(const Clock::Ptr& clock) {
  const std::string dir = config().migrationsDir.empty() ? defaultMigrationsDir() : config().migrationsDir;
  const auto migrations = loadMigrations(dir);
  MigrationRunner runner(pool_, clock);
  return runner.run(migrations);
}

Poco::Data::AbstractBinding::Ptr MySqlBackend::bindTime(std::optional<TimePoint> time) const {
  using NTime = Poco::Nullable<Poco::DateTime>;
  return Poco::Data::Keywords::bind(time ? NTime(toDbTime(*time)) : NTime());
}

Poco::Data::AbstractExtraction::Ptr MySqlBackend::intoTime(SqlTime& time) const { return into(time.dateTime); }

std::string MySqlBackend::onDuplicateUpdate(const std::vector<std::string>& /*key*/,
                                            const std::string& assignments) const {
  return " ON DUPLICATE KEY UPDATE " + assignments;
}

std::string MySqlBackend::inserted(const std::string& column) const { return "VALUES(`" + column + "`)"; }

std::string MySqlBackend::onDuplicateIgnore(const std::vector<std::string>& key) const {
  // A no-op assignment: the duplicate changes 0 rows.
  return " ON DUPLICATE KEY UPDATE `" + key.front() + "` = `" + key.front() + "`";
}

std::string MySqlBackend::onDuplicateKeepId(const std::vector<std::string>& /*key*/) const {
  // Nothing changes (0 affected rows), and LAST_INSERT_ID() now names the existing row.
  return " ON DUPLICATE KEY UPDATE `id` = LAST_INSERT_ID(`id`)";
}

std::optional<Poco::Int64> MySqlBackend::insertedId(Poco::Data::Session& session, bool /*isNew*/) const {
  Poco::Int64 id = 0;
  session << "SELECT LAST_INSERT_ID()", into(id), now;
  return id;
}

std::string MySqlBackend::forUpdate() const { return " FOR UPDATE"; }

std::string MySqlBackend::forUpdateSkipLocked() const {
  // Without SKIP LOCKED a claim blocks on rows another claim holds until it commits; InnoDB's
  // locking read then sees their new next_attempt_at (the lease) and leaves them out, so no row is
  // handed out twice. Lock waits and deadlocks are retried by the session pool.
  return skipLocked_ ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
}

std::string MySqlBackend::insertIgnore() const { return "INSERT IGNORE"; }

std::string MySqlBackend::greatest(const std::string& a, const std::string& b) const {
  return "GREATEST(" + a + ", " + b + ")";
}

std::string MySqlBackend::least(const std::string& a, const std::string& b) const {
  return "LEAST(" + a + ", " + b + ")";
}

std::string MySqlBackend::nullSafeEqual(const std::string& a, const std::string& b) const { return a + " <=> " + b; }

std::string MySqlBackend::castToInteger(const std::string& expression) const {
  return "CAST(" + expression + " AS SIGNED)";
}

std::string MySqlBackend::leftChars(const std::string& expression, std::size_t chars) const {
  return "LEFT(" + expression + ", " + std::to_string(chars) + ")";
}

}  // namespace podmon::store
