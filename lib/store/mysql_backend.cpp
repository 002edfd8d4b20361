#include "store/mysql_backend.h"

#include <Poco/Data/Binding.h>
#include <Poco/Data/Extraction.h>
#include <Poco/Nullable.h>

#include <utility>

#include "store/db_time.h"
#include "store/migration.h"
#include "store/migration_runner.h"

using namespace Poco::Data::Keywords;

namespace podmon::store {

MySqlBackend::MySqlBackend(MySqlConfig config) : pool_(std::move(config)) {}

void MySqlBackend::run(const std::string& what, bool transaction, const SessionBody& body) {
  if (transaction) {
    pool_.inTransaction(what, body);
  } else {
    pool_.withSession(what, body);
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

std::string MySqlBackend::forUpdateSkipLocked() const { return " FOR UPDATE SKIP LOCKED"; }

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
