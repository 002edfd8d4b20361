#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "store/migration.h"
#include "store/mysql_session_pool.h"

namespace podmon::store {

// Applies the migrations a database has not had yet, in version order, and records each in
// schema_migrations (version, name, applied_at). Instances starting together serialise on a
// MySQL named lock (GET_LOCK, per database), so each migration runs once. DDL cannot be rolled
// back in MySQL, so a migration that failed half-way is simply run again: statements that then
// fail with "already exists" (1050, 1060, 1061) are skipped.
class MigrationRunner {
 public:
  MigrationRunner(MySqlSessionPool& pool, Clock::Ptr clock, int lockTimeoutSeconds = 120);

  // Returns the versions it applied now (empty when the schema was up to date).
  // Throws StoreException naming the migration and statement that failed.
  std::vector<int> run(const std::vector<Migration>& migrations);

 private:
  std::vector<int> runLocked(Poco::Data::Session& session, const std::vector<Migration>& migrations);
  void apply(Poco::Data::Session& session, const Migration& migration);

  MySqlSessionPool& pool_;
  Clock::Ptr clock_;
  int lockTimeoutSeconds_;
};

}  // namespace podmon::store
