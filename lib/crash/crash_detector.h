#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crash/crash_event.h"
#include "crash/name_table.h"
#include "crash/pod_track.h"
#include "crash/pod_uid_key.h"
#include "kube/pod_snapshot.h"

namespace podmon::crash {

// Decides, from successive pod snapshots, which container instances crashed. Pure logic with no
// I/O: it keeps per (pod UID, container) the last restartCount and the last termination it
// reported, so the same crash is never emitted twice, and nothing else, compactly (a 16-byte UID,
// interned names, a hash of the termination: about 130 B per pod of two containers).
//
// Rules:
//  - restartCount rose: one crash, with the delta and lastState.terminated;
//  - restartPolicy Never/OnFailure and state.terminated with a non-zero exit code: one crash,
//    not restarted (a Job container); the restart that may follow reports nothing new;
//  - the first sight of a pod is a baseline (old restarts are not crashes), unless the pod is
//    known to be new (it appeared in a watch or a relist after the initial sync) or a stored state says
//    what the count was before podmon started (then the rise is a crash detected while down);
//  - a pod recreated under the same name has a new UID and starts fresh.
class CrashDetector {
 public:
  enum class Sighting {
    kInitialList,  // first list after start: unknown pods are a baseline (or compared to stored state)
    kRelist,       // a later list (after a 410): unknown pods appeared after the initial list, so they are new
    kWatch,        // a watch event: unknown pods appeared after we started, so they are new
  };

  explicit CrashDetector(std::string clusterName);

  // Stored state from before a restart: a container first seen in the initial list whose count is
  // above this crashed while podmon was down. Matched by pod UID, or by namespace and pod name for
  // rows without a UID (written by the original tool). `reportedTermination` is the identity of the
  // last termination already recorded (terminationIdentity()), "" if unknown.
  struct StoredState {
    std::string podUid;
    std::string namespace_;
    std::string podName;
    std::string container;
    int restartCount = 0;
    std::string reportedTermination;
  };
  void restore(const StoredState& state);

  // A container seen for the first time with no stored state: its count is a baseline to store.
  struct Baseline {
    std::string namespace_;
    std::string podName;
    std::string podUid;
    std::string container;
    int restartCount = 0;
    std::string reportedTermination;
  };
  // The baselines found since the last call.
  std::vector<Baseline> takeBaselines() { return std::exchange(baselines_, {}); }

  std::vector<CrashEvent> observe(const kube::PodSnapshot& pod, Sighting sighting,
                                  std::chrono::system_clock::time_point now);

  // The pod was deleted: forget it.
  void forget(const std::string& podUid);

  // Reconciliation after a (re)list: call beginSync(), observe() every listed pod, then endSync(),
  // which forgets pods the list did not contain (they were deleted while we were not watching)
  // and returns them.
  struct GonePod {
    std::string uid;
    std::string namespace_;
    std::string name;
  };
  void beginSync();
  std::vector<GonePod> endSync();

  std::size_t trackedPods() const { return pods_.size(); }
  std::size_t trackedContainers() const { return containerCount_; }

 private:
  // How a pod was seen, for a container seen for the first time.
  struct FirstSight {
    Sighting sighting;
    bool newPod;   // the pod itself was not tracked before
    bool jobLike;  // restartPolicy OnFailure or Never
    std::chrono::system_clock::time_point now;
  };
  // observe()'s two cases: a container seen for the first time (crash, or a baseline) and one
  // seen again (a restart or a new failed termination). Both append what they find to `crashes`.
  ContainerTrack firstSight(const kube::PodSnapshot& pod, const kube::ContainerSnapshot& c, const FirstSight& how,
                            std::vector<CrashEvent>& crashes);
  void seenAgain(ContainerTrack& t, const kube::PodSnapshot& pod, const kube::ContainerSnapshot& c, bool jobLike,
                 std::chrono::system_clock::time_point now, std::vector<CrashEvent>& crashes);
  CrashEvent makeEvent(const kube::PodSnapshot& pod, const kube::ContainerSnapshot& c,
                       const kube::ContainerState& termination, int delta, bool restarted,
                       std::chrono::system_clock::time_point now) const;

  // UIDs in UUID form are their own 16-byte key; any other UID gets a key with high == 0 (no
  // API-server UUID has one: its version nibble is in the high half) from oddUidKeys_.
  std::optional<PodUidKey> keyOf(const std::string& uid) const;
  PodUidKey keyFor(const std::string& uid);
  std::string uidOf(const PodUidKey& key) const;
  using PodMap = std::unordered_map<PodUidKey, PodTrack, PodUidKeyHash>;
  PodMap::iterator erasePod(PodMap::iterator it);

  std::string clusterName_;
  std::size_t containerCount_ = 0;  // sum of the tracks' containers, kept as they change
  PodMap pods_;
  NameTable names_;  // namespaces and container names
  std::unordered_map<std::string, PodUidKey> oddUidKeys_;
  std::unordered_map<PodUidKey, std::string, PodUidKeyHash> oddUids_;
  uint64_t nextOddKey_ = 1;
  const StoredState* findRestored(const kube::PodSnapshot& pod, const std::string& container) const;
  std::unordered_map<std::string, StoredState> restoredByUid_;   // "uid/container"
  std::unordered_map<std::string, StoredState> restoredByName_;  // "namespace/pod/container"
  std::vector<Baseline> baselines_;
  uint32_t syncGeneration_ = 0;
};

// Identity of one termination, for "never report the same one twice" (stored with the baselines).
std::string terminationIdentity(const kube::ContainerState& state);
// What the detector keeps of that identity in memory: a 64-bit hash, 0 for no termination. Two
// different terminations of one container hash alike with a chance of 2^-64; only then would
// the second be taken for the one already reported.
uint64_t terminationHash(const kube::ContainerState& state);

}  // namespace podmon::crash
