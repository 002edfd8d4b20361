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

  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
};

}  // namespace podmon::store
