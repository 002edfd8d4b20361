#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/crash_record.h"
#include "store/crash_timeline.h"
#include "store/fingerprint_summary.h"
#include "store/workload_query.h"

namespace podmon::store {

// The recorded crashes (k8s_pod_crash) and their fingerprints, for the recorder (writes), the
// health API and podmonctl (reads). Every method throws StoreException when the database cannot
// answer.
class CrashRepository {
 public:
  using Ptr = std::shared_ptr<CrashRepository>;
  virtual ~CrashRepository() = default;

  // In one transaction: the crash row, the container's state row and, when the crash is new,
  // one outbox row per sink. Recording the same crash (same crash key) again changes nothing
  // and returns isNew=false.
  virtual RecordResult recordCrash(const CrashRecord& crash) = 0;
  // Newest first, without logs and events (they can be large).
  virtual std::vector<StoredCrash> listRecentCrashes(const CrashQuery& query) = 0;
  virtual std::optional<StoredCrash> getCrash(std::int64_t id) = 0;
  virtual std::optional<StoredCrash> getCrashByKey(const std::string& crashKey) = 0;
  // Most frequent first (then the most recently seen).
  virtual std::vector<FingerprintSummary> listFingerprints(const FingerprintQuery& query) = 0;
  // One workload's crashes within its window, by an indexed query on its owner (or pod) name and
  // the time (never by filtering the newest N crashes of a busy namespace), and whether the store
  // knows the workload at all.
  virtual WorkloadCrashes workloadCrashes(const WorkloadQuery& query) = 0;
  // Crashes per hour and namespace (an index range on cluster and time), oldest hour first; at
  // most kMaxTimelineBuckets buckets, the newest when there are more.
  virtual std::vector<TimelineBucket> crashTimeline(const TimelineQuery& query) = 0;
  // The namespaces with crashes in the cluster ("" = any), sorted, at most kMaxNamespaces.
  virtual std::vector<std::string> crashNamespaces(const std::string& clusterName) = 0;

  static constexpr int kMaxTimelineBuckets = 20000;
  static constexpr int kMaxNamespaces = 1000;
};

}  // namespace podmon::store
