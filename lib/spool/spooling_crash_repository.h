#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/errors.h"
#include "core/rate_limited_log.h"
#include "spool/spool_file.h"
#include "store/crash_repository.h"

namespace podmon::spool {

// SPOOL_DIR's crash spool, as a decorator over the store's CrashRepository so the recorder is
// unchanged: while the store cannot take a crash (StoreException), the crash with its log is
// appended to the spool and synced to disk, and recordCrash() returns at once (RecordResult::spooled)
// instead of the recorder holding it in memory, where a kill of podmon would lose it. replay()
// stores the spooled crashes in order (crash_key makes a repeat harmless) and empties the spool;
// while crashes are spooled, later ones go behind them, so one pod's crashes reach the store in
// order. Bounded by maxBytes: a crash that does not fit is spooled without its log and events
// (logs_status says so); one that does not fit even then is left to the recorder's in-memory retry
// (the watch waits), as without a spool. Reads go straight to the store.
class SpoolingCrashRepository : public store::CrashRepository {
 public:
  using Ptr = std::shared_ptr<SpoolingCrashRepository>;
  static constexpr const char* kLogsDroppedStatus =
      "unavailable: dropped from the spool (SPOOL_MAX_BYTES reached while the store was down)";

  // Opens (or creates) the spool at `path`. Throws SpoolException when it cannot.
  SpoolingCrashRepository(store::CrashRepository::Ptr inner, const std::string& path, std::uint64_t maxBytes);

  // Throws what the store throws when it cannot be spooled either (the spool full or unwritable),
  // and RejectedDataException as the store does.
  store::RecordResult recordCrash(const store::CrashRecord& crash) override;
  // Stores every spooled crash, oldest first, and empties the spool; returns how many were
  // stored. Throws StoreException when the store fails (what is left stays spooled).
  std::size_t replay();
  bool pending() const { return pending_.load(); }
  std::uint64_t spooledBytes() const;
  std::uint64_t spooledTotal() const { return spooledTotal_.load(); }
  std::uint64_t logsDropped() const { return logsDropped_.load(); }

  std::vector<store::StoredCrash> listRecentCrashes(const store::CrashQuery& query) override {
    return inner_->listRecentCrashes(query);
  }
  std::optional<store::StoredCrash> getCrash(std::int64_t id) override { return inner_->getCrash(id); }
  std::optional<store::StoredCrash> getCrashByKey(const std::string& crashKey) override {
    return inner_->getCrashByKey(crashKey);
  }
  std::vector<store::FingerprintSummary> listFingerprints(const store::FingerprintQuery& query) override {
    return inner_->listFingerprints(query);
  }
  store::WorkloadCrashes workloadCrashes(const store::WorkloadQuery& query) override {
    return inner_->workloadCrashes(query);
  }
  std::vector<store::TimelineBucket> crashTimeline(const store::TimelineQuery& query) override {
    return inner_->crashTimeline(query);
  }
  std::vector<std::string> crashNamespaces(const std::string& clusterName) override {
    return inner_->crashNamespaces(clusterName);
  }

 private:
  // Appends `crash` (without its log when the spool is that full); rethrows `cause` when it
  // cannot.
  store::RecordResult spoolLocked(const store::CrashRecord& crash, const StoreException& cause);
  std::size_t replayLocked();
  // Stores one spooled crash; a crash the store refuses for its data goes without log and events.
  void storeSpooled(store::CrashRecord& crash);

  store::CrashRepository::Ptr inner_;
  std::uint64_t maxBytes_;
  mutable std::mutex mutex_;
  SpoolFile file_;  // guarded by mutex_
  RateLimitedLog fullLog_;
  std::atomic<bool> pending_{false};
  std::atomic<std::uint64_t> spooledTotal_{0};
  std::atomic<std::uint64_t> logsDropped_{0};
};

}  // namespace podmon::spool
