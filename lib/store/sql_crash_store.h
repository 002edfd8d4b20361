#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/crash_store.h"
#include "store/sql_backend.h"

namespace Poco::Data {
class Session;
}

namespace podmon::store {

// CrashStore on SQL, written once for both backends (MySqlBackend in production, SqliteBackend
// for a first run and the demo without a server): the same tables, statements and transactions,
// with only what the backend says differing. Keeps the original tool's four tables (so its
// database and utility keep working) and adds podmon's columns and the outbox by migration. Times
// are read from the injected clock, never from the server's, so tests can move time. Columns are
// only of types Poco 1.11's MySQL connector can read (no TIMESTAMP, JSON or LONGTEXT).
class SqlCrashStore : public CrashStore {
 public:
  // Called between the statements of recordCrash ("crash_inserted", "state_saved",
  // "fingerprint_updating", "outbox_inserting"); a hook that throws makes that step fail.
  // For tests only.
  using FaultHook = std::function<void(std::string_view step)>;

  SqlCrashStore(SqlBackend::Ptr backend, Clock::Ptr clock, CrashStoreOptions options = {});

  void migrate() override;

  std::vector<ContainerState> loadContainerStates(const std::string& cluster) override;
  void saveBaseline(const std::string& cluster, const ContainerState& state) override;
  // One multi-row upsert per kBaselineBatch states (a round trip per container made the initial
  // sync of 150k pods take minutes).
  void saveBaselines(const std::string& cluster, const std::vector<ContainerState>& states) override;
  static constexpr std::size_t kBaselineBatch = 500;
  int deletePodStates(const std::string& cluster, const std::string& namespace_,
                      const std::string& podName) override;

  RecordResult recordCrash(const CrashRecord& crash) override;
  std::vector<StoredCrash> listRecentCrashes(const CrashQuery& query) override;
  std::optional<StoredCrash> getCrash(std::int64_t id) override;
  std::optional<StoredCrash> getCrashByKey(const std::string& crashKey) override;

  std::vector<OutboxItem> claimOutbox(Sink sink, int limit,
                                      std::chrono::system_clock::duration lease) override;
  void markDelivered(std::int64_t outboxId) override;
  // One UPDATE for the whole batch (a statement per item made it the drain's bottleneck).
  void markDeliveredMany(const std::vector<std::int64_t>& outboxIds) override;
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

  // The migration versions the last migrate() applied.
  const std::vector<int>& lastAppliedMigrations() const { return lastApplied_; }
  void setFaultHookForTest(FaultHook hook) { faultHook_ = std::move(hook); }

 private:
  std::string upsertStateSql(std::size_t rows) const;
  void upsertState(Poco::Data::Session& session, const std::string& cluster, const ContainerState& state);
  FingerprintHistory recordFingerprint(Poco::Data::Session& session, const columns::CrashColumns& crash,
                                       std::int64_t crashId);
  std::optional<StoredCrash> getOne(const std::string& what, const std::string& whereColumn,
                                    const std::string& keyText, std::int64_t keyId);
  void fault(std::string_view step) const;
  std::size_t logsReadChars() const;

  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
  CrashStoreOptions options_;
  std::vector<int> lastApplied_;
  FaultHook faultHook_;
};

}  // namespace podmon::store
