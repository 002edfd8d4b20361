#include "crash/crash_detector.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace podmon::crash {
namespace {

using kube::ContainerKind;
using kube::ContainerSnapshot;
using kube::ContainerState;
using kube::PodSnapshot;
using Sighting = CrashDetector::Sighting;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

ContainerState terminated(int exitCode, const std::string& reason, const std::string& id) {
  ContainerState s;
  s.phase = ContainerState::Phase::kTerminated;
  s.exitCode = exitCode;
  s.reason = reason;
  s.containerId = id;
  s.startedAt = "2026-11-20T10:00:00Z";
  s.finishedAt = "2026-11-20T10:01:00Z";
  return s;
}

ContainerState waiting(const std::string& reason) {
  ContainerState s;
  s.phase = ContainerState::Phase::kWaiting;
  s.reason = reason;
  return s;
}

ContainerState running() {
  ContainerState s;
  s.phase = ContainerState::Phase::kRunning;
  return s;
}

PodSnapshot pod(const std::string& uid, int restarts, const std::string& policy = "Always") {
  PodSnapshot p;
  p.uid = uid;
  p.namespace_ = "shop";
  p.name = "checkout-0";
  p.nodeName = "node-1";
  p.restartPolicy = policy;
  p.owner = kube::OwnerReference{"StatefulSet", "checkout", "o1"};
  ContainerSnapshot c;
  c.name = "app";
  c.image = "checkout:1";
  c.restartCount = restarts;
  c.state = running();
  if (restarts > 0) c.lastState = terminated(1, "Error", "containerd://" + uid + std::to_string(restarts));
  p.containers.push_back(c);
  return p;
}

TEST(CrashDetector, FirstSightWithOldRestartsIsBaseline) {
  CrashDetector d("prod");
  EXPECT_TRUE(d.observe(pod("u1", 5), Sighting::kInitialList, kNow).empty());
  EXPECT_EQ(d.trackedPods(), 1u);
  EXPECT_EQ(d.trackedContainers(), 1u);
}

TEST(CrashDetector, TrackedContainersFollowPodsComingAndGoing) {
  CrashDetector d("prod");
  PodSnapshot two = pod("u2", 0);
  two.name = "checkout-1";
  ContainerSnapshot sidecar = two.containers[0];
  sidecar.name = "proxy";
  two.containers.push_back(sidecar);
  d.beginSync();
  d.observe(pod("u1", 0), Sighting::kInitialList, kNow);
  d.observe(two, Sighting::kInitialList, kNow);
  d.endSync();
  EXPECT_EQ(d.trackedPods(), 2u);
  EXPECT_EQ(d.trackedContainers(), 3u);
  d.observe(two, Sighting::kWatch, kNow);  // seen again: nothing new to track
  EXPECT_EQ(d.trackedContainers(), 3u);

  d.forget("u2");
  EXPECT_EQ(d.trackedPods(), 1u);
  EXPECT_EQ(d.trackedContainers(), 1u);
  d.forget("never-seen");
  EXPECT_EQ(d.trackedContainers(), 1u);

  d.beginSync();  // a relist without u1: it goes, and its container with it
  d.observe(pod("u3", 0), Sighting::kRelist, kNow);
  d.endSync();
  EXPECT_EQ(d.trackedPods(), 1u);
  EXPECT_EQ(d.trackedContainers(), 1u);
}

TEST(CrashDetector, RestartCountRiseIsOneCrashWithDetails) {
  CrashDetector d("prod");
  d.observe(pod("u1", 2), Sighting::kInitialList, kNow);
  PodSnapshot p = pod("u1", 3);
  p.containers[0].state = waiting("CrashLoopBackOff");
  p.containers[0].lastState = terminated(137, "OOMKilled", "containerd://x");
  auto crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  const CrashEvent& e = crashes[0];
  EXPECT_EQ(e.clusterName, "prod");
  EXPECT_EQ(e.namespace_, "shop");
  EXPECT_EQ(e.podName, "checkout-0");
  EXPECT_EQ(e.podUid, "u1");
  EXPECT_EQ(e.containerName, "app");
  EXPECT_EQ(e.restartCount, 3);
  EXPECT_EQ(e.restartDelta, 1);
  EXPECT_TRUE(e.restarted);
  EXPECT_FALSE(e.detectedWhileDown);
  EXPECT_EQ(e.reason, "OOMKilled");
  EXPECT_EQ(e.exitCode, 137);
  EXPECT_EQ(e.signal, 9);
  EXPECT_EQ(e.containerState, "CrashLoopBackOff");
  // The original's termination_state: the last terminated state as Go prints it.
  EXPECT_EQ(e.terminationState,
            "&ContainerStateTerminated{ExitCode:137,Signal:0,Reason:OOMKilled,Message:,"
            "StartedAt:2026-11-20 10:00:00 +0000 UTC,FinishedAt:2026-11-20 10:01:00 +0000 UTC,"
            "ContainerID:containerd://x,}");
  EXPECT_TRUE(e.termination.terminated());
  EXPECT_EQ(e.ownerKind, "StatefulSet");
  EXPECT_EQ(e.ownerName, "checkout");
  EXPECT_EQ(e.nodeName, "node-1");
  EXPECT_EQ(e.image, "checkout:1");
  EXPECT_EQ(e.containerId, "containerd://x");
  EXPECT_EQ(e.detectedAt, kNow);
}

TEST(CrashDetector, ARestartWithoutALastTerminatedStateIsNotAvailable) {
  CrashDetector d("prod");
  d.observe(pod("u1", 2), Sighting::kInitialList, kNow);
  PodSnapshot p = pod("u1", 3);
  p.containers[0].lastState = ContainerState{};  // the kubelet lost it (node restart)
  auto crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].terminationState, "Not Available");
  EXPECT_FALSE(crashes[0].termination.terminated());
}

TEST(CrashDetector, SameRestartCountNeverReportedTwice) {
  CrashDetector d("prod");
  d.observe(pod("u1", 0), Sighting::kInitialList, kNow);
  EXPECT_EQ(d.observe(pod("u1", 1), Sighting::kWatch, kNow).size(), 1u);
  // Further updates at the same count (waiting -> running, relists) report nothing.
  EXPECT_TRUE(d.observe(pod("u1", 1), Sighting::kWatch, kNow).empty());
  EXPECT_TRUE(d.observe(pod("u1", 1), Sighting::kRelist, kNow).empty());
}

TEST(CrashDetector, JumpOfSeveralRestartsIsOneCrashWithDelta) {
  CrashDetector d("prod");
  d.observe(pod("u1", 1), Sighting::kInitialList, kNow);
  auto crashes = d.observe(pod("u1", 4), Sighting::kRelist, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].restartDelta, 3);
  EXPECT_EQ(crashes[0].restartCount, 4);
}

TEST(CrashDetector, UnrelatedUpdatesGiveNothing) {
  CrashDetector d("prod");
  PodSnapshot p = pod("u1", 2);
  d.observe(p, Sighting::kInitialList, kNow);
  p.labels["version"] = "2";
  p.resourceVersion = "99";
  p.containers[0].state = waiting("ContainerCreating");
  EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
}

TEST(CrashDetector, JobContainerFailingWithoutRestartIsACrashOnce) {
  CrashDetector d("prod");
  PodSnapshot p = pod("job1", 0, "Never");
  d.observe(p, Sighting::kInitialList, kNow);
  p.containers[0].state = terminated(42, "Error", "containerd://job1-a");
  auto crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_FALSE(crashes[0].restarted);
  EXPECT_EQ(crashes[0].restartCount, 0);
  EXPECT_EQ(crashes[0].restartDelta, 0);
  EXPECT_EQ(crashes[0].exitCode, 42);
  EXPECT_EQ(crashes[0].containerState, "Terminated");
  // Its current (terminated) state is the crashed instance's.
  EXPECT_EQ(crashes[0].terminationState,
            "&ContainerStateTerminated{ExitCode:42,Signal:0,Reason:Error,Message:,"
            "StartedAt:2026-11-20 10:00:00 +0000 UTC,FinishedAt:2026-11-20 10:01:00 +0000 UTC,"
            "ContainerID:containerd://job1-a,}");
  EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
  EXPECT_TRUE(d.observe(p, Sighting::kRelist, kNow).empty());
}

TEST(CrashDetector, JobContainerSucceedingIsNoCrash) {
  CrashDetector d("prod");
  PodSnapshot p = pod("job1", 0, "Never");
  d.observe(p, Sighting::kInitialList, kNow);
  p.containers[0].state = terminated(0, "Completed", "containerd://ok");
  EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
}

TEST(CrashDetector, OnFailureRestartAfterReportedFailureIsNotASecondCrash) {
  CrashDetector d("prod");
  PodSnapshot p = pod("job2", 0, "OnFailure");
  d.observe(p, Sighting::kInitialList, kNow);
  p.containers[0].state = terminated(3, "Error", "containerd://first");
  ASSERT_EQ(d.observe(p, Sighting::kWatch, kNow).size(), 1u);
  // The kubelet restarts it: the failure moves to lastState and restartCount becomes 1.
  p.containers[0].restartCount = 1;
  p.containers[0].lastState = p.containers[0].state;
  p.containers[0].state = running();
  EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
  // A second, different failure is a new crash.
  p.containers[0].state = terminated(3, "Error", "containerd://second");
  auto crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].restartCount, 1);
}

TEST(CrashDetector, OldFailedJobAtStartIsBaseline) {
  CrashDetector d("prod");
  PodSnapshot p = pod("job3", 0, "Never");
  p.containers[0].state = terminated(1, "Error", "containerd://old");
  EXPECT_TRUE(d.observe(p, Sighting::kInitialList, kNow).empty());
  EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
}

TEST(CrashDetector, PodCreatedAfterStartReportsItsRestarts) {
  CrashDetector d("prod");
  d.beginSync();
  d.endSync();
  auto crashes = d.observe(pod("new", 1), Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].restartDelta, 1);
  PodSnapshot job = pod("newjob", 0, "Never");
  job.containers[0].state = terminated(2, "Error", "containerd://nj");
  EXPECT_EQ(d.observe(job, Sighting::kWatch, kNow).size(), 1u);
}

TEST(CrashDetector, RecreatedPodWithNewUidStartsFresh) {
  CrashDetector d("prod");
  d.observe(pod("old-uid", 7), Sighting::kInitialList, kNow);
  d.forget("old-uid");
  // Same name, new UID, counts restart from zero: its first crash is reported.
  EXPECT_TRUE(d.observe(pod("new-uid", 0), Sighting::kWatch, kNow).empty());
  auto crashes = d.observe(pod("new-uid", 1), Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].podUid, "new-uid");
  EXPECT_EQ(crashes[0].restartCount, 1);
}

TEST(CrashDetector, StoredStateTurnsRiseWhileDownIntoFlaggedCrash) {
  CrashDetector d("prod");
  d.restore({"u1", "shop", "checkout-0", "app", 2, ""});
  d.restore({"u2", "shop", "checkout-0", "app", 4, ""});
  d.beginSync();
  auto crashes = d.observe(pod("u1", 5), Sighting::kInitialList, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_TRUE(crashes[0].detectedWhileDown);
  EXPECT_EQ(crashes[0].restartDelta, 3);
  EXPECT_TRUE(d.observe(pod("u2", 4), Sighting::kInitialList, kNow).empty());
  d.endSync();
}

TEST(CrashDetector, StoredStateWithoutUidMatchesByName) {
  CrashDetector d("prod");
  d.restore({"", "shop", "checkout-0", "app", 1, ""});
  auto crashes = d.observe(pod("u9", 2), Sighting::kInitialList, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_TRUE(crashes[0].detectedWhileDown);
  EXPECT_EQ(crashes[0].restartDelta, 1);
  EXPECT_TRUE(d.takeBaselines().empty());
}

TEST(CrashDetector, StoredHigherCountOfAnOlderPodMeansTheNewPodCountsFromZero) {
  CrashDetector d("prod");
  d.restore({"", "shop", "checkout-0", "app", 9, ""});
  auto crashes = d.observe(pod("u9", 2), Sighting::kInitialList, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].restartDelta, 2);
}

TEST(CrashDetector, StoredJobFailureIsNotReportedAgainAfterRestartOfPodmon) {
  CrashDetector d("prod");
  PodSnapshot p = pod("job1", 0, "Never");
  p.containers[0].state = terminated(42, "Error", "containerd://job1-a");
  d.restore({"job1", "shop", "checkout-0", "app", 0, "containerd://job1-a"});
  EXPECT_TRUE(d.observe(p, Sighting::kInitialList, kNow).empty());
  PodSnapshot q = pod("job2", 0, "Never");
  q.containers[0].state = terminated(42, "Error", "containerd://job2-a");
  d.restore({"job2", "shop", "other", "app", 0, ""});
  EXPECT_EQ(d.observe(q, Sighting::kInitialList, kNow).size(), 1u);
}

TEST(CrashDetector, FirstSightsWithoutStoredStateBecomeBaselines) {
  CrashDetector d("prod");
  d.restore({"u2", "shop", "checkout-0", "app", 4, ""});
  d.observe(pod("u1", 3), Sighting::kInitialList, kNow);
  d.observe(pod("u2", 4), Sighting::kInitialList, kNow);
  auto baselines = d.takeBaselines();
  ASSERT_EQ(baselines.size(), 1u);
  EXPECT_EQ(baselines[0].podUid, "u1");
  EXPECT_EQ(baselines[0].restartCount, 3);
  EXPECT_EQ(baselines[0].reportedTermination, "containerd://u13");
  EXPECT_TRUE(d.takeBaselines().empty());
  d.observe(pod("u1", 3), Sighting::kWatch, kNow);
  EXPECT_TRUE(d.takeBaselines().empty());
}

TEST(CrashDetector, SignalDerivedFromExitCode) {
  CrashDetector d("prod");
  d.observe(pod("u1", 0), Sighting::kInitialList, kNow);
  PodSnapshot p = pod("u1", 1);
  p.containers[0].lastState = terminated(143, "Error", "containerd://t");
  EXPECT_EQ(d.observe(p, Sighting::kWatch, kNow).at(0).signal, 15);
  p = pod("u1", 2);
  p.containers[0].lastState = terminated(1, "Error", "containerd://t2");
  EXPECT_FALSE(d.observe(p, Sighting::kWatch, kNow).at(0).signal.has_value());
}

TEST(CrashDetector, InitContainerCrashIsReported) {
  CrashDetector d("prod");
  PodSnapshot p = pod("u1", 0);
  ContainerSnapshot init;
  init.name = "migrate";
  init.kind = ContainerKind::kInit;
  init.state = running();
  p.containers.insert(p.containers.begin(), init);
  d.observe(p, Sighting::kInitialList, kNow);
  p.containers[0].restartCount = 1;
  p.containers[0].lastState = terminated(1, "Error", "containerd://init");
  auto crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].containerName, "migrate");
  EXPECT_EQ(crashes[0].containerKind, ContainerKind::kInit);
}

TEST(CrashDetector, APodFirstSeenInARelistIsNewAndItsRestartsAreCrashes) {
  // Created after the initial list; its events were missed while the watch backed off from a
  // 410 storm, so the relist is its first sight, with one restart already.
  CrashDetector d("prod");
  d.beginSync();
  d.observe(pod("u1", 0), Sighting::kInitialList, kNow);
  d.endSync();
  d.beginSync();
  PodSnapshot late = pod("late", 1);
  late.name = "late-0";
  auto crashes = d.observe(late, Sighting::kRelist, kNow);
  d.endSync();
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].podName, "late-0");
  EXPECT_EQ(crashes[0].restartCount, 1);
  EXPECT_EQ(crashes[0].restartDelta, 1);
  EXPECT_TRUE(d.observe(late, Sighting::kWatch, kNow).empty());
}

TEST(CrashDetector, SyncDoesNotReportAnOldUidWhoseNameWasRecreated) {
  CrashDetector d("prod");
  d.beginSync();
  d.observe(pod("old", 0), Sighting::kInitialList, kNow);
  d.endSync();
  d.beginSync();
  d.observe(pod("new", 0), Sighting::kRelist, kNow);  // same namespace and name, new UID
  EXPECT_TRUE(d.endSync().empty());
  EXPECT_EQ(d.trackedPods(), 1u);
}

TEST(CrashDetector, SyncForgetsPodsMissingFromTheList) {
  CrashDetector d("prod");
  d.beginSync();
  d.observe(pod("a", 0), Sighting::kInitialList, kNow);
  PodSnapshot b = pod("b", 0);
  b.name = "checkout-1";
  d.observe(b, Sighting::kInitialList, kNow);
  EXPECT_TRUE(d.endSync().empty());
  d.beginSync();
  d.observe(pod("a", 0), Sighting::kRelist, kNow);
  auto gone = d.endSync();
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].uid, "b");
  EXPECT_EQ(gone[0].namespace_, "shop");
  EXPECT_EQ(gone[0].name, "checkout-1");
  EXPECT_EQ(d.trackedPods(), 1u);
}

}  // namespace
}  // namespace podmon::crash

namespace podmon::crash {
namespace {

// The compact state: UIDs in UUID form are kept as 16 bytes, others as text, and both come back
// exactly as the API server sent them.
TEST(CrashDetectorCompactState, UuidAndOtherUidsComeBackExactly) {
  const std::vector<std::string> uids = {"0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64", "legacy-uid-7",
                                         "00000000-0000-0000-0000-000000000001",  // a UUID with a zero high half
                                         "0B6D3F1E-9A2C-4E7B-8F10-5C2D9E8A7B64"};
  CrashDetector d("prod");
  d.beginSync();
  for (std::size_t i = 0; i < uids.size(); ++i) {
    PodSnapshot p = pod(uids[i], 0);
    p.name = "pod-" + std::to_string(i);
    d.observe(p, Sighting::kInitialList, kNow);
  }
  d.endSync();
  EXPECT_EQ(d.trackedPods(), uids.size());
  d.beginSync();
  auto gone = d.endSync();
  ASSERT_EQ(gone.size(), uids.size());
  std::vector<std::string> goneUids;
  for (const auto& g : gone) goneUids.push_back(g.uid);
  std::sort(goneUids.begin(), goneUids.end());
  auto expected = uids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(goneUids, expected);
  EXPECT_EQ(d.trackedPods(), 0u);
  EXPECT_EQ(d.trackedContainers(), 0u);
}

TEST(CrashDetectorCompactState, ForgettingByUidTextFindsEveryForm) {
  CrashDetector d("prod");
  for (const std::string uid : {"0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64", "legacy-uid-7"}) {
    d.observe(pod(uid, 2), Sighting::kInitialList, kNow);
    EXPECT_EQ(d.trackedPods(), 1u);
    d.forget(uid);
    EXPECT_EQ(d.trackedPods(), 0u);
    // Seen again after being forgotten: a new pod, its restarts are crashes.
    EXPECT_EQ(d.observe(pod(uid, 2), Sighting::kWatch, kNow).size(), 1u);
    d.forget(uid);
  }
  d.forget("never-seen");
  d.forget("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b99");
  EXPECT_EQ(d.trackedPods(), 0u);
}

TEST(CrashDetectorCompactState, TheTerminationHashTellsTerminationsApart) {
  ContainerState a = terminated(1, "Error", "containerd://aaa");
  ContainerState b = terminated(1, "Error", "containerd://aab");
  EXPECT_EQ(terminationHash(running()), 0u);
  EXPECT_EQ(terminationHash(ContainerState{}), 0u);
  EXPECT_NE(terminationHash(a), 0u);
  EXPECT_NE(terminationHash(a), terminationHash(b));
  EXPECT_EQ(terminationHash(a), terminationHash(terminated(2, "OOMKilled", "containerd://aaa")));
  // Without a container ID the times and the exit code identify it, as terminationIdentity says.
  ContainerState noId = terminated(1, "Error", "");
  ContainerState laterNoId = noId;
  laterNoId.finishedAt = "2026-11-20T10:02:00Z";
  EXPECT_NE(terminationHash(noId), 0u);
  EXPECT_NE(terminationHash(noId), terminationHash(laterNoId));
}

// Job containers are where the hash decides: a new failure with a new container ID is a crash,
// the same one seen again is not, over many distinct terminations of one container.
TEST(CrashDetectorCompactState, EveryNewJobFailureIsReportedOnceOverManyTerminations) {
  CrashDetector d("prod");
  PodSnapshot p = pod("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64", 0, "Never");
  d.observe(p, Sighting::kInitialList, kNow);
  int reported = 0;
  for (int i = 0; i < 2000; ++i) {
    p.containers[0].state = terminated(1, "Error", "containerd://" + std::to_string(i));
    reported += static_cast<int>(d.observe(p, Sighting::kWatch, kNow).size());
    EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
  }
  EXPECT_EQ(reported, 2000);
}

TEST(CrashDetectorCompactState, ContainersAddedLaterKeepTheirOwnCounts) {
  CrashDetector d("prod");
  PodSnapshot p = pod("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64", 1);
  d.observe(p, Sighting::kInitialList, kNow);
  ContainerSnapshot debug;
  debug.name = "debugger";
  debug.kind = ContainerKind::kEphemeral;
  debug.state = running();
  p.containers.push_back(debug);
  EXPECT_TRUE(d.observe(p, Sighting::kWatch, kNow).empty());
  EXPECT_EQ(d.trackedContainers(), 2u);
  p.containers[1].restartCount = 1;
  p.containers[1].lastState = terminated(2, "Error", "containerd://dbg");
  auto crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].containerName, "debugger");
  EXPECT_EQ(crashes[0].podName, "checkout-0");
  EXPECT_EQ(crashes[0].podUid, "0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64");
  p.containers[0].restartCount = 2;
  p.containers[0].lastState = terminated(1, "Error", "containerd://app2");
  crashes = d.observe(p, Sighting::kWatch, kNow);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].containerName, "app");
  EXPECT_EQ(crashes[0].restartDelta, 1);
}

}  // namespace
}  // namespace podmon::crash
