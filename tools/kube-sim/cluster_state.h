#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "container_logs.h"
#include "core/clock.h"
#include "event_store.h"
#include "lease_store.h"
#include "sim_action.h"
#include "sim_pod.h"
#include "watch_event.h"

namespace podmon::kubesim {

// The simulated cluster: pods, one global resourceVersion counter, a bounded history of pod
// changes for watches, container logs, events, leases and ReplicaSets. Thread-safe; HTTP handler
// threads, the scenario thread and tests all call it. Errors are thrown as ApiError.
class ClusterState {
 public:
  struct Options {
    size_t historyLimit = 1000;
    podmon::Clock::Ptr clock;
  };
  struct PodSnapshot {
    std::vector<SimPod::ConstPtr> pods;  // sorted by namespace/name
    uint64_t resourceVersion = 0;
  };
  // Where one watch stands. Generations let the control endpoint act on all open watches.
  struct WatchCursor {
    uint64_t resourceVersion = 0;
    uint64_t dropGeneration = 0;
    uint64_t expireGeneration = 0;
    uint64_t malformedGeneration = 0;
  };
  struct WatchBatch {
    std::vector<WatchEvent> events;
    bool stopping = false;
    bool dropped = false;
    bool expired = false;  // the RV fell out of history, or expireWatches() was called
    int malformedLines = 0;
    std::string expiredMessage;
  };

  explicit ClusterState(Options options);

  void addNamespace(const std::string& ns);
  // name -> creationTimestamp
  std::map<std::string, std::string> namespaces() const;

  SimPod::ConstPtr addPod(SimPod pod);
  bool deletePod(const std::string& ns, const std::string& name);
  SimPod::ConstPtr recreatePod(const std::string& ns, const std::string& name);
  SimPod::ConstPtr crashContainer(const SimAction& crash);
  // Second half of a restart: CrashLoopBackOff -> a new running instance. No-op (nullptr) if the
  // pod was replaced or the container is no longer waiting.
  SimPod::ConstPtr finishRestart(const std::string& ns, const std::string& name, const std::string& uid,
                                 const std::string& container);
  SimPod::ConstPtr updatePod(const SimAction& update);
  SimPod::ConstPtr getPod(const std::string& ns, const std::string& name) const;
  PodSnapshot snapshot() const;
  // The same snapshot, shared: built once per resourceVersion, so the pages of a large list (and
  // lists repeated while nothing changes) cost no walk over every pod.
  std::shared_ptr<const PodSnapshot> sharedSnapshot() const;
  size_t podCount() const;

  // Watches.
  uint64_t currentResourceVersion() const;
  // A cursor at `resourceVersion`; throws ApiError 410 if that RV is older than the history kept.
  WatchCursor openWatch(uint64_t resourceVersion);
  // Waits until something happens for this watch or `deadline`, then returns at most `maxEvents`.
  WatchBatch waitForEvents(WatchCursor& cursor, std::chrono::steady_clock::time_point deadline, size_t maxEvents = 500);
  void dropWatches();
  // Open watches get a 410 ERROR; history is compacted so old RVs get 410 too.
  void expireWatches();
  void sendMalformedWatchLine();
  void compactHistory();
  void shutdown();
  size_t openWatches() const;
  void closeWatch();

  // Logs, events, leases, ReplicaSets.
  std::string readLog(const std::string& ns, const std::string& pod, const std::string& container, bool previous) const;
  std::string eventsJson(const std::string& ns, const std::string& fieldSelector) const;
  std::string getLease(const std::string& ns, const std::string& name) const;
  std::string createLease(const std::string& ns, const std::string& body);
  std::string updateLease(const std::string& ns, const std::string& name, const std::string& body);
  std::string listLeases(const std::string& ns) const;
  std::string getReplicaSet(const std::string& ns, const std::string& name) const;

  std::string timestamp() const;

 private:
  struct ReplicaSet {
    std::string uid;
    std::string deployment;
    std::string deploymentUid;
    std::string created;
    std::map<std::string, std::string> labels;
  };

  SimPod::ConstPtr requirePod(const std::string& ns, const std::string& name) const;
  void publish(WatchEvent::Type type, std::shared_ptr<SimPod> next, SimPod::ConstPtr previous);
  void prepareNewPod(SimPod& pod);
  std::string randomHex(size_t n);
  std::string newUid();
  void recordEvent(const SimPod& pod, const SimContainer& c, const std::string& type, const std::string& reason,
                   const std::string& message);
  std::string tooOldMessage(uint64_t rv) const;

  Options options_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  uint64_t resourceVersion_ = 0;
  uint64_t compactedThrough_ = 0;  // events with RV <= this are gone from history_
  std::deque<WatchEvent> history_;
  std::map<std::string, SimPod::ConstPtr> pods_;              // "ns/name"
  mutable std::shared_ptr<const PodSnapshot> snapshotCache_;  // pods_ as of now; reset by publish()
  std::map<std::string, std::string> namespaces_;
  std::map<std::string, ReplicaSet> replicaSets_;             // "ns/name"
  std::map<std::string, std::string> deploymentReplicaSets_;  // "ns/deployment" -> ReplicaSet name
  ContainerLogs logs_;
  EventStore events_;
  LeaseStore leases_;
  uint64_t dropGeneration_ = 0;
  uint64_t expireGeneration_ = 0;
  uint64_t malformedGeneration_ = 0;
  size_t openWatches_ = 0;
  bool stopping_ = false;
  std::mt19937_64 random_{0x5eed};
};

}  // namespace podmon::kubesim
