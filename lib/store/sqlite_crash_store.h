#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/crash_store.h"
#include "store/sqlite_database.h"

namespace Poco::Data {
class Session;
}

namespace podmon::store {

// CrashStore on the embedded SQLite file: the same tables and the same behaviour as
// MySqlCrashStore (tests/integration run one suite against both), for a first run and the demo
// without a MySQL server. Outbox claims need no SKIP LOCKED: a claim is one BEGIN IMMEDIATE
// transaction, and SQLite has one writer, so no row is handed out twice. Times come from the
// injected clock and are stored as UTC text with microseconds.
class SqliteCrashStore : public CrashStore {
 public:
  // Called between the statements of recordCrash, as in MySqlCrashStore. For tests only.
  using FaultHook = std::function<void(std::string_view step)>;

  SqliteCrashStore(SqliteDatabase::Ptr database, Clock::Ptr clock, CrashStoreOptions options = {});

  void migrate() override;

  std::vector<ContainerState> loadContainerStates(const std::string& cluster) override;
  void saveBaseline(const std::string& cluster, const ContainerState& state) override;
  int deletePodStates(const std::string& cluster, const std::string& namespace_,
                      const std::string& podName) override;

  RecordResult recordCrash(const CrashRecord& crash) override;
  std::vector<StoredCrash> listRecentCrashes(const CrashQuery& query) override;
  std::optional<StoredCrash> getCrash(std::int64_t id) override;
  std::optional<StoredCrash> getCrashByKey(const std::string& crashKey) override;

  std::vector<OutboxItem> claimOutbox(Sink sink, int limit,
                                      std::chrono::system_clock::duration lease) override;
  void markDelivered(std::int64_t outboxId) override;
  void markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                  const std::string& error) override;
  void markDead(std::int64_t outboxId, const std::string& reason) override;
  std::vector<OutboxStats> outboxStats() override;

  std::optional<std::string> findRoute(const std::string& cluster, const std::string& namespace_) override;
  bool isIgnored(const std::string& cluster, const std::string& namespace_,
                 const std::string& container) override;
  std::vector<NotifyRoute> listRoutes(const std::string& cluster) override;
  void setRoute(const NotifyRoute& route) override;
  bool removeRoute(const std::string& cluster, const std::string& namespace_) override;
  std::vector<IgnoreRule> listIgnores(const std::string& cluster) override;
  bool addIgnore(const IgnoreRule& rule) override;
  bool removeIgnore(const IgnoreRule& rule) override;

  const std::vector<int>& lastAppliedMigrations() const { return lastApplied_; }
  void setFaultHookForTest(FaultHook hook) { faultHook_ = std::move(hook); }
  const SqliteDatabase::Ptr& database() const { return database_; }

 private:
  void upsertState(Poco::Data::Session& session, const std::string& cluster, const ContainerState& state);
  std::optional<StoredCrash> getOne(const std::string& what, const std::string& whereColumn,
                                    const std::string& keyText, std::int64_t keyId);
  void fault(std::string_view step) const;
  std::size_t logsReadChars() const;

  SqliteDatabase::Ptr database_;
  Clock::Ptr clock_;
  CrashStoreOptions options_;
  std::vector<int> lastApplied_;
  FaultHook faultHook_;
};

}  // namespace podmon::store
