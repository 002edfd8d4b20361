#include "crash/crash_detector.h"

#include <algorithm>

#include "crash/termination_state_text.h"
#include "kube/pod_parser.h"

namespace podmon::crash {

using kube::ContainerSnapshot;
using kube::ContainerState;
using kube::PodSnapshot;

std::string terminationIdentity(const ContainerState& state) {
  if (!state.terminated()) return {};
  if (!state.containerId.empty()) return state.containerId;
  return state.startedAt + "|" + state.finishedAt + "|" + std::to_string(state.exitCode.value_or(0));
}

namespace {

uint64_t hashIdentity(std::string_view identity) {
  if (identity.empty()) return 0;
  const uint64_t h = std::hash<std::string_view>{}(identity);
  return h == 0 ? 1 : h;  // 0 means "no termination"
}

}  // namespace

uint64_t terminationHash(const ContainerState& state) {
  if (!state.terminated()) return 0;
  if (!state.containerId.empty()) return hashIdentity(state.containerId);
  return hashIdentity(terminationIdentity(state));
}

namespace {

bool restartsOnlyOnFailureOrNever(const PodSnapshot& pod) {
  return pod.restartPolicy == "Never" || pod.restartPolicy == "OnFailure";
}

bool failedTermination(const ContainerState& state) { return state.terminated() && state.exitCode.value_or(0) != 0; }

std::string describeState(const ContainerState& state) {
  switch (state.phase) {
    case ContainerState::Phase::kWaiting: return state.reason.empty() ? "Waiting" : state.reason;
    case ContainerState::Phase::kRunning: return "Running";
    case ContainerState::Phase::kTerminated: return "Terminated";
    case ContainerState::Phase::kNone: break;
  }
  return "Unknown";
}

}  // namespace

CrashDetector::CrashDetector(std::string clusterName) : clusterName_(std::move(clusterName)) {}

void CrashDetector::restore(const StoredState& state) {
  if (!state.podUid.empty()) {
    restoredByUid_[state.podUid + "/" + state.container] = state;
  } else {
    restoredByName_[state.namespace_ + "/" + state.podName + "/" + state.container] = state;
  }
}

const CrashDetector::StoredState* CrashDetector::findRestored(const PodSnapshot& pod,
                                                              const std::string& container) const {
  if (auto it = restoredByUid_.find(pod.uid + "/" + container); it != restoredByUid_.end()) return &it->second;
  if (auto it = restoredByName_.find(pod.namespace_ + "/" + pod.name + "/" + container); it != restoredByName_.end()) {
    return &it->second;
  }
  return nullptr;
}

std::optional<PodUidKey> CrashDetector::keyOf(const std::string& uid) const {
  if (auto key = PodUidKey::parse(uid); key && key->high != 0) return key;
  if (auto it = oddUidKeys_.find(uid); it != oddUidKeys_.end()) return it->second;
  return std::nullopt;
}

PodUidKey CrashDetector::keyFor(const std::string& uid) {
  if (auto key = keyOf(uid)) return *key;
  const PodUidKey key{0, nextOddKey_++};
  oddUidKeys_.emplace(uid, key);
  oddUids_.emplace(key, uid);
  return key;
}

std::string CrashDetector::uidOf(const PodUidKey& key) const {
  if (key.high != 0) return key.toString();
  auto it = oddUids_.find(key);
  return it == oddUids_.end() ? std::string() : it->second;
}

CrashDetector::PodMap::iterator CrashDetector::erasePod(PodMap::iterator it) {
  const PodTrack& track = it->second;
  containerCount_ -= track.containerCount();
  for (std::size_t i = 0; i < track.containerCount(); ++i) names_.release(track.container(i).nameId);
  names_.release(track.namespaceId());
  if (it->first.high == 0) {
    if (auto odd = oddUids_.find(it->first); odd != oddUids_.end()) {
      oddUidKeys_.erase(odd->second);
      oddUids_.erase(odd);
    }
  }
  return pods_.erase(it);
}

void CrashDetector::forget(const std::string& podUid) {
  const auto key = keyOf(podUid);
  if (!key) return;
  if (auto it = pods_.find(*key); it != pods_.end()) erasePod(it);
}

void CrashDetector::beginSync() { ++syncGeneration_; }

std::vector<CrashDetector::GonePod> CrashDetector::endSync() {
  // A pod recreated under the same name is listed with its new UID: only the old UID goes; the
  // name (and the state stored under it) now belongs to the new pod. The names compared are
  // those of the unlisted pods only (usually none), not a set of every listed pod.
  std::unordered_map<std::string, bool> unlistedNames;  // "namespace/name" -> listed under another UID
  auto fullName = [this](const PodTrack& t) { return names_.name(t.namespaceId()) + "/" + std::string(t.name()); };
  for (const auto& [key, track] : pods_) {
    if (track.syncGeneration() != syncGeneration_) unlistedNames.emplace(fullName(track), false);
  }
  if (!unlistedNames.empty()) {
    for (const auto& [key, track] : pods_) {
      if (track.syncGeneration() != syncGeneration_) continue;
      if (auto it = unlistedNames.find(fullName(track)); it != unlistedNames.end()) it->second = true;
    }
  }
  std::vector<GonePod> gone;
  for (auto it = pods_.begin(); it != pods_.end();) {
    if (it->second.syncGeneration() == syncGeneration_) {
      ++it;
      continue;
    }
    const PodTrack& track = it->second;
    if (!unlistedNames[fullName(track)]) {
      gone.push_back({uidOf(it->first), names_.name(track.namespaceId()), std::string(track.name())});
    }
    it = erasePod(it);
  }
  // Stored state only refines the first sight after start-up.
  restoredByUid_.clear();
  restoredByName_.clear();
  return gone;
}

CrashEvent CrashDetector::makeEvent(const PodSnapshot& pod, const ContainerSnapshot& c,
                                    const ContainerState& termination, int delta, bool restarted,
                                    std::chrono::system_clock::time_point now) const {
  CrashEvent e;
  e.clusterName = clusterName_;
  e.namespace_ = pod.namespace_;
  e.podName = pod.name;
  e.podUid = pod.uid;
  e.containerName = c.name;
  e.containerKind = c.kind;
  e.restartCount = c.restartCount;
  e.restartDelta = delta;
  e.restarted = restarted;
  e.reason = termination.reason;
  e.exitCode = termination.exitCode;
  e.signal = kube::effectiveSignal(termination);
  e.message = termination.message;
  e.startedAt = termination.startedAt;
  e.finishedAt = termination.finishedAt;
  e.containerId = termination.containerId.empty() ? c.containerId : termination.containerId;
  e.termination = termination;
  e.terminationState = terminationStateText(termination);
  e.containerState = describeState(c.state);
  e.nodeName = pod.nodeName;
  e.image = c.image;
  if (pod.owner) {
    e.ownerKind = pod.owner->kind;
    e.ownerName = pod.owner->name;
  }
  e.labels = pod.labels;
  e.detectedAt = now;
  return e;
}

ContainerTrack CrashDetector::firstSight(const PodSnapshot& pod, const ContainerSnapshot& c, const FirstSight& how,
                                         std::vector<CrashEvent>& crashes) {
  ContainerTrack fresh{names_.acquire(c.name), c.restartCount, 0};
  int previous = c.restartCount;  // baseline: nothing to report
  bool whileDown = false;
  bool stored = false;
  std::string storedTermination;
  if (const StoredState* r = findRestored(pod, c.name)) {
    stored = true;
    // A stored row of an older pod with the same name (no UID to tell them apart) and a
    // higher count belongs to another instance: everything of this one counts from zero.
    previous = r->restartCount <= c.restartCount ? r->restartCount : 0;
    storedTermination = r->reportedTermination;
    whileDown = true;
  } else if (how.sighting != Sighting::kInitialList && !how.newPod) {
    previous = 0;  // a container added to a pod we already track (ephemeral): new
  } else if (how.sighting != Sighting::kInitialList && how.newPod) {
    // A pod created after the initial sync (seen first in a watch, or in a relist when its
    // events were missed while the watch backed off): every restart is new.
    previous = 0;
  }
  if (c.restartCount > previous) {
    CrashEvent e = makeEvent(pod, c, c.lastState, c.restartCount - previous, true, how.now);
    e.detectedWhileDown = whileDown;
    fresh.reportedTermination = terminationHash(c.lastState);
    crashes.push_back(std::move(e));
  } else if (how.jobLike && failedTermination(c.state) &&
             ((whileDown && terminationIdentity(c.state) != storedTermination) ||
              (how.sighting != Sighting::kInitialList && how.newPod))) {
    CrashEvent e = makeEvent(pod, c, c.state, 0, false, how.now);
    e.detectedWhileDown = whileDown;
    crashes.push_back(std::move(e));
    fresh.reportedTermination = terminationHash(c.state);
  } else {
    // Baseline: remember the current terminations so they are not reported later.
    const std::string reported = stored && !storedTermination.empty() ? storedTermination
                                 : failedTermination(c.state)         ? terminationIdentity(c.state)
                                                                      : terminationIdentity(c.lastState);
    fresh.reportedTermination = hashIdentity(reported);
    if (!stored) baselines_.push_back({pod.namespace_, pod.name, pod.uid, c.name, c.restartCount, reported});
  }
  return fresh;
}

void CrashDetector::seenAgain(ContainerTrack& t, const PodSnapshot& pod, const ContainerSnapshot& c, bool jobLike,
                              std::chrono::system_clock::time_point now, std::vector<CrashEvent>& crashes) {
  if (c.restartCount > t.restartCount) {
    int delta = c.restartCount - t.restartCount;
    const uint64_t id = terminationHash(c.lastState);
    t.restartCount = c.restartCount;
    if (jobLike && id != 0 && id == t.reportedTermination) {
      // An OnFailure container restarting after the failure we already reported.
      if (delta == 1) return;
      --delta;
    }
    t.reportedTermination = id;
    crashes.push_back(makeEvent(pod, c, c.lastState, delta, true, now));
  } else if (c.restartCount < t.restartCount) {
    t.restartCount = c.restartCount;  // cannot happen for one UID; follow the server
  } else if (jobLike && failedTermination(c.state)) {
    const uint64_t id = terminationHash(c.state);
    if (id != t.reportedTermination) {
      t.reportedTermination = id;
      crashes.push_back(makeEvent(pod, c, c.state, 0, false, now));
    }
  }
}

std::vector<CrashEvent> CrashDetector::observe(const PodSnapshot& pod, Sighting sighting,
                                               std::chrono::system_clock::time_point now) {
  std::vector<CrashEvent> crashes;
  auto [it, inserted] = pods_.try_emplace(keyFor(pod.uid));
  PodTrack& track = it->second;
  if (inserted) track = PodTrack(names_.acquire(pod.namespace_), pod.name);
  track.setSyncGeneration(syncGeneration_);
  const FirstSight how{sighting, inserted, restartsOnlyOnFailureOrNever(pod), now};

  for (const ContainerSnapshot& c : pod.containers) {
    std::size_t i = 0;
    while (i < track.containerCount() && names_.name(track.container(i).nameId) != c.name) ++i;
    if (i == track.containerCount()) {
      track.addContainer(firstSight(pod, c, how, crashes));
      ++containerCount_;
    } else {
      ContainerTrack t = track.container(i);
      seenAgain(t, pod, c, how.jobLike, now, crashes);
      track.setContainer(i, t);
    }
  }
  return crashes;
}

}  // namespace podmon::crash
