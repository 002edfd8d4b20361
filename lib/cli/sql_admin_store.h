#pragma once

#include "cli/admin_store.h"
#include "core/clock.h"
#include "store/sql_backend.h"

namespace Poco::Data {
class Session;
}

namespace podmon::cli {

// AdminStore on the same tables the daemon reads (k8s_pod_crash_notify, k8s_crash_ignore_notify,
// podmon_outbox) plus podmon_audit, written once for both backends. Each change reads the old
// value, writes, and inserts the audit row in one transaction; the old value is read FOR UPDATE
// (MySQL) or under SQLite's write lock, so two people editing the same route both get an accurate
// old value, and nothing is changed without its audit row. Times come from the clock.
class SqlAdminStore : public AdminStore {
 public:
  SqlAdminStore(store::SqlBackend::Ptr backend, Clock::Ptr clock);

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

  store::SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
};

}  // namespace podmon::cli
