#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "store/crash_record.h"

namespace podmon::store {

// Where a recorded crash still has to be delivered. The string forms are what podmon_outbox.sink
// holds.
enum class Sink { kElasticsearch, kSlack };
const char* toString(Sink sink);
std::optional<Sink> parseSink(const std::string& name);

// One delivery claimed by a sink worker, with the crash it carries.
struct OutboxItem {
  std::int64_t id = 0;
  Sink sink = Sink::kElasticsearch;
  int attempts = 0;  // including this one
  std::chrono::system_clock::time_point createdAt{};
  StoredCrash crash;
};

// Backlog of one sink, for metrics and /readyz.
struct OutboxStats {
  Sink sink = Sink::kElasticsearch;
  std::int64_t pending = 0;  // not delivered yet, including the failed ones below
  std::int64_t failed = 0;   // pending rows that failed at least once and wait for a retry
  std::int64_t dead = 0;     // given up
  std::optional<std::chrono::system_clock::duration> oldestPendingAge;
};

}  // namespace podmon::store
