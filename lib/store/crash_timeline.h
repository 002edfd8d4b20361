#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace podmon::store {

// Which crashes the timeline counts: one cluster ("" = any), detected at or after `since`.
struct TimelineQuery {
  std::string clusterName;
  std::chrono::system_clock::time_point since{};
};

// Crashes of one namespace detected within one hour (UTC), for the web view's chart.
struct TimelineBucket {
  std::chrono::system_clock::time_point hour{};  // the start of the hour
  std::string namespace_;
  std::int64_t crashes = 0;
  bool operator==(const TimelineBucket&) const = default;
};

}  // namespace podmon::store
