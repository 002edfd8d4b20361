#pragma once

#include "core/clock.h"
#include "store/admin_store.h"
#include "store/sql_backend.h"

namespace Poco::Data {
class Session;
}

namespace podmon::store {

// AdminStore on the same tables the daemon reads (k8s_pod_crash_notify, k8s_crash_ignore_notify)
// plus podmon_audit, written once for both backends. Each change reads the old
// value, writes, and inserts the audit row in one transaction; the old value is read FOR UPDATE
// (MySQL) or under SQLite's write lock, so two people editing the same route both get an accurate
// old value, and nothing is changed without its audit row. Times come from the clock.
// A rule is named as the daemon matches it (store/name_pattern.h: case and trailing spaces do not
// count, as under the original's collation): setting a route that exists in another spelling
// changes that row and keeps its spelling, adding an ignore that exists so is no change, and a
// removal takes every row of the name (rows that differ only by case, stored before, included).
// The rule tables are small: each change reads the whole table, locked, and compares in C++, so
// MySQL and SQLite decide alike.
class SqlAdminStore : public AdminStore {
 public:
  SqlAdminStore(SqlBackend::Ptr backend, Clock::Ptr clock);

  RouteChange setRoute(const NotifyRoute& route, const std::string& actor) override;
  std::optional<std::string> removeRoute(const std::string& cluster, const std::string& namespace_,
                                         const std::string& actor) override;
  bool addIgnore(const IgnoreRule& rule, const std::string& actor) override;
  bool removeIgnore(const IgnoreRule& rule, const std::string& actor) override;
  void recordAudit(const AuditEntry& entry) override;
  std::vector<AuditEntry> listAudit(int limit) override;

 private:
  void insertAudit(Poco::Data::Session& session, const AuditEntry& entry);
  // The stored routes / ignore rules with the same names (sameRuleName), locked for the transaction.
  std::vector<NotifyRoute> sameRoutes(Poco::Data::Session& session, const std::string& cluster,
                                      const std::string& namespace_);
  std::vector<IgnoreRule> sameIgnores(Poco::Data::Session& session, const IgnoreRule& rule);

  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
};

}  // namespace podmon::store
