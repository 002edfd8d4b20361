#pragma once

#include "cli/admin_store.h"
#include "core/clock.h"
#include "store/sqlite_database.h"

namespace Poco::Data {
class Session;
}

namespace podmon::cli {

// AdminStore on the embedded SQLite file, with MySqlAdminStore's behaviour: each change, its old
// value and its audit row in one BEGIN IMMEDIATE transaction (the write lock stands in for
// SELECT ... FOR UPDATE), so nothing is changed without its audit row.
class SqliteAdminStore : public AdminStore {
 public:
  SqliteAdminStore(store::SqliteDatabase::Ptr database, Clock::Ptr clock);

  RouteChange setRoute(const store::NotifyRoute& route, const std::string& actor) override;
  std::optional<std::string> removeRoute(const std::string& cluster, const std::string& namespace_,
                                         const std::string& actor) override;
  bool addIgnore(const store::IgnoreRule& rule, const std::string& actor) override;
  bool removeIgnore(const store::IgnoreRule& rule, const std::string& actor) override;
  std::int64_t retryDeadOutbox(std::optional<store::Sink> sink, const std::string& actor) override;
  void recordAudit(const AuditEntry& entry) override;
  std::vector<AuditEntry> listAudit(int limit) override;
  std::vector<FingerprintSummary> listFingerprints(const FingerprintQuery& query) override;

 private:
  void insertAudit(Poco::Data::Session& session, const AuditEntry& entry);

  store::SqliteDatabase::Ptr database_;
  Clock::Ptr clock_;
};

}  // namespace podmon::cli
