#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/crash_columns.h"
#include "store/crash_repository.h"
#include "store/crash_store_options.h"
#include "store/sql_backend.h"

namespace Poco::Data {
class Session;
}

namespace podmon::store {

// CrashRepository on SQL, written once for both backends (MySqlBackend in production,
// SqliteBackend for a first run and the demo without a server). Keeps the original tool's
// k8s_pod_crash table (so its database and utility keep working) with podmon's columns, labels and
// fingerprint counts added by migration. recordCrash writes the crash, its container's state and
// its outbox rows in one transaction. Times are read from the injected clock, never from the
// server's, so tests can move time. Columns are only of types Poco 1.11's MySQL connector can read
// (no TIMESTAMP, JSON or LONGTEXT).
class SqlCrashRepository : public CrashRepository {
 public:
  // Called between the statements of recordCrash ("crash_inserted", "state_saved",
  // "fingerprint_updating", "outbox_inserting"); a hook that throws makes that step fail.
  // For tests only.
  using FaultHook = std::function<void(std::string_view step)>;

  SqlCrashRepository(SqlBackend::Ptr backend, Clock::Ptr clock, CrashStoreOptions options = {});

  RecordResult recordCrash(const CrashRecord& crash) override;
  std::vector<StoredCrash> listRecentCrashes(const CrashQuery& query) override;
  std::optional<StoredCrash> getCrash(std::int64_t id) override;
  std::optional<StoredCrash> getCrashByKey(const std::string& crashKey) override;
  std::vector<FingerprintSummary> listFingerprints(const FingerprintQuery& query) override;
  WorkloadCrashes workloadCrashes(const WorkloadQuery& query) override;
  std::vector<TimelineBucket> crashTimeline(const TimelineQuery& query) override;
  std::vector<std::string> crashNamespaces(const std::string& clusterName) override;

  void setFaultHookForTest(FaultHook hook) { faultHook_ = std::move(hook); }

 private:
  // Inserts the crash row unless its key is there; isNew and id of the row.
  std::pair<bool, std::int64_t> insertCrashRow(Poco::Data::Session& session, const columns::CrashColumns& columns,
                                               const std::string& key);
  FingerprintHistory recordFingerprint(Poco::Data::Session& session, const columns::CrashColumns& crash,
                                       std::int64_t crashId);
  std::optional<StoredCrash> getOne(const std::string& what, const std::string& whereColumn, const std::string& keyText,
                                    std::int64_t keyId);
  void fault(std::string_view step) const;
  bool workloadSeen(Poco::Data::Session& session, const WorkloadQuery& query);
  std::optional<StoredCrash> latestCrash(Poco::Data::Session& session, const std::string& where,
                                         std::vector<std::string> values, std::chrono::system_clock::time_point since);

  SqlBackend::Ptr backend_;
  Clock::Ptr clock_;
  CrashStoreOptions options_;
  FaultHook faultHook_;
};

}  // namespace podmon::store
