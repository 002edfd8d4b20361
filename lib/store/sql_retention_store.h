#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/retention_store.h"
#include "store/sql_backend.h"

namespace podmon::store {

// RetentionStore over SqlBackend, one SQL for MySQL and SQLite. Each batch first reads up to
// `batchSize` ids by an index range outside any transaction (migration 011's indexes), then deletes
// them and what hangs off them in one short transaction, so a writer waits at most one batch.
class SqlRetentionStore : public RetentionStore {
 public:
  static constexpr std::size_t kDefaultBatch = 500;
  explicit SqlRetentionStore(SqlBackend::Ptr backend, std::size_t batchSize = kDefaultBatch);

  PruneCounts prune(const PruneCutoffs& cutoffs, bool dryRun, const KeepGoing& keepGoing) override;

 private:
  PruneCounts countDoomed(const PruneCutoffs& cutoffs);
  PruneCounts countDoomedCrashes(Poco::Data::Session& session, PruneCutoffs::TimePoint before);
  void pruneCrashes(PruneCutoffs::TimePoint before, const KeepGoing& keepGoing, PruneCounts& counts);
  void deleteCrashBatch(Poco::Data::Session& session, std::vector<Poco::Int64> ids, PruneCounts& counts);
  // The crashes of one batch with one fingerprint in one pod (podname '' for crashes without one).
  struct TouchedPod {
    std::string fingerprint, clustername, namespace_, podname;
    Poco::Int64 crashes = 0;
  };
  static std::vector<TouchedPod> touchedPods(Poco::Data::Session& session, const std::string& idList);
  void uncountFingerprints(Poco::Data::Session& session, const std::vector<TouchedPod>& touched, PruneCounts& counts);
  static std::int64_t deletePodIfGone(Poco::Data::Session& session, const TouchedPod& pod);
  void pruneDoneOutbox(PruneCutoffs::TimePoint before, const KeepGoing& keepGoing, PruneCounts& counts);
  void pruneAlertStates(PruneCutoffs::TimePoint before, const KeepGoing& keepGoing, PruneCounts& counts);

  SqlBackend::Ptr backend_;
  int batchSize_;
};

}  // namespace podmon::store
