#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cluster_state.h"

namespace podmon::kubesim {

// Keeps the snapshot a paginated list started from, so every page shows the same pods and the same
// list resourceVersion, like an etcd read at one revision. Tokens expire (410) after a TTL, and
// only a bounded number of snapshots is kept.
class ListSnapshots {
 public:
  ListSnapshots(std::chrono::seconds ttl, size_t maxSnapshots = 32) : ttl_(ttl), max_(maxSnapshots) {}

  using SnapshotPtr = std::shared_ptr<const ClusterState::PodSnapshot>;
  // Keeps a snapshot (shared, never copied: a page of a 150,000-pod list costs only its own pods)
  // and returns its id.
  uint64_t put(SnapshotPtr snapshot);
  // The snapshot for a continue token, or throws ApiError 410 Expired / 400 for a bad token.
  SnapshotPtr get(uint64_t id);

  static std::string encodeToken(uint64_t id, uint64_t resourceVersion, size_t offset);
  // Throws ApiError 400 if the token is not one of ours.
  static void decodeToken(const std::string& token, uint64_t& id, uint64_t& resourceVersion, size_t& offset);

 private:
  struct Entry {
    SnapshotPtr snapshot;
    std::chrono::steady_clock::time_point created;
  };
  std::mutex mu_;
  std::chrono::seconds ttl_;
  size_t max_;
  uint64_t nextId_ = 1;
  std::map<uint64_t, Entry> entries_;
};

}  // namespace podmon::kubesim
