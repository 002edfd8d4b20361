#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace podmon::store {

// What one prune removed (or, in a dry run, would remove), per table, so the daemon's log line and
// `podmonctl prune` say the same thing.
struct PruneCounts {
  std::int64_t crashes = 0;          // k8s_pod_crash rows older than CRASH_RETENTION
  std::int64_t crashOutbox = 0;      // podmon_outbox rows of those crashes
  std::int64_t labels = 0;           // podmon_crash_labels rows of those crashes
  std::int64_t fingerprintPods = 0;  // podmon_fingerprint_pods rows left with no crash
  std::int64_t fingerprints = 0;     // podmon_fingerprints rows left with no crash
  std::int64_t doneOutbox = 0;       // podmon_outbox rows delivered before OUTBOX_RETENTION
  std::int64_t alertStates = 0;      // podmon_alert_state rows of containers not seen since the cutoff

  PruneCounts& operator+=(const PruneCounts& other);
  std::int64_t total() const;
  // (table, rows) in a fixed order; outbox rows counted once (a crash's and done ones together).
  std::vector<std::pair<std::string, std::int64_t>> byTable() const;
  // "k8s_pod_crash 3, podmon_outbox 6, ..." (every table, zeros too).
  std::string describe() const;
};

}  // namespace podmon::store
