#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "field_selector.h"

namespace podmon::kubesim {

// Core v1 Events recorded about pods (BackOff, Unhealthy, Killing, Started), aggregated like the
// kubelet's recorder: the same object + reason + message bumps count and lastTimestamp.
// Bounded; not thread-safe (ClusterState calls it under its lock).
class EventStore {
 public:
  struct Involved {
    std::string kind = "Pod";
    std::string ns;
    std::string name;
    std::string uid;
    std::string fieldPath;
  };

  explicit EventStore(size_t limit = 5000) : limit_(limit) {}

  void record(const Involved& involved, const std::string& type, const std::string& reason, const std::string& message,
              const std::string& timestamp, uint64_t resourceVersion, const std::string& host);
  // EventList JSON for a namespace ("" = all), filtered by a fieldSelector (throws ApiError 400).
  std::string listJson(const std::string& ns, const std::string& fieldSelector, uint64_t listRv) const;
  size_t size() const { return events_.size(); }

 private:
  struct Event {
    std::string name;
    std::string uid;
    uint64_t resourceVersion = 0;
    Involved involved;
    std::string type;
    std::string reason;
    std::string message;
    int count = 1;
    std::string firstTimestamp;
    std::string lastTimestamp;
    std::string host;
  };
  void writeEvent(std::string& out, const Event& e) const;

  size_t limit_;
  uint64_t sequence_ = 0;
  std::deque<Event> events_;
};

}  // namespace podmon::kubesim
