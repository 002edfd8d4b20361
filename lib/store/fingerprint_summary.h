#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace podmon::store {

// One failure (crash fingerprint) as `podmonctl crashes list --group-by fingerprint` shows it:
// podmon_fingerprints and the pods of podmon_fingerprint_pods. Counts are over every cluster that
// shares the database.
struct FingerprintSummary {
  std::string fingerprint;
  std::int64_t count = 0;
  std::chrono::system_clock::time_point firstSeen{};
  std::chrono::system_clock::time_point lastSeen{};
  std::int64_t pods = 0;
  std::int64_t clusters = 0;
  std::string sampleReason;  // of the first crash seen with it
  std::optional<int> sampleExitCode;
  std::string sampleImage;
};

// Which fingerprints to list: seen in the cluster/namespace ("" = any), last seen since `since`.
struct FingerprintQuery {
  std::string cluster;
  std::string namespace_;
  std::optional<std::chrono::system_clock::time_point> since;
  int limit = 50;
};

}  // namespace podmon::store
