#pragma once

#include "cli/admin_store.h"
#include "core/clock.h"
#include "store/mysql_config.h"
#include "store/mysql_session_pool.h"

namespace Poco::Data {
class Session;
}

namespace podmon::cli {

// AdminStore on the same MySQL tables the daemon reads (k8s_pod_crash_notify,
// k8s_crash_ignore_notify, podmon_outbox) plus podmon_audit. Each change reads the old value with
// FOR UPDATE, writes, and inserts the audit row in one transaction through MySqlSessionPool, so
// two people editing the same route both get an accurate old value. Times come from the clock.
class MySqlAdminStore : public AdminStore {
 public:
  MySqlAdminStore(store::MySqlConfig config, Clock::Ptr clock);

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

  store::MySqlSessionPool pool_;
  Clock::Ptr clock_;
};

}  // namespace podmon::cli
