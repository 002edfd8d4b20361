// The watcher and detector against kube-sim in process: pagination, watch, bookmarks, dropped
// connections, 410 and malformed lines, each followed by a crash that must be reported once.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "crash/crash_detector.h"
#include "kube/http_kube_api.h"
#include "kube/poco_kube_transport.h"
#include "kube/pod_watcher.h"
#include "kube_sim_server.h"
#include "pipeline/crash_tracker.h"

namespace podmon {
namespace {

using namespace std::chrono_literals;

// Collects crashes; tests wait on it with a deadline (never a bare sleep).
class CollectingSink : public pipeline::CrashSink {
 public:
  void onCrash(const crash::CrashEvent& crash) override {
    std::lock_guard lock(mutex_);
    crashes_.push_back(crash);
    cv_.notify_all();
  }
  std::vector<crash::CrashEvent> waitFor(std::size_t n, std::chrono::milliseconds timeout = 15s) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return crashes_.size() >= n; });
    return crashes_;
  }
  std::vector<crash::CrashEvent> crashes() {
    std::lock_guard lock(mutex_);
    return crashes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<crash::CrashEvent> crashes_;
};

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 15s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

kubesim::SimPod simPod(const std::string& ns, const std::string& name, int containers = 1) {
  kubesim::SimPod pod;
  pod.ns = ns;
  pod.name = name;
  pod.labels["app"] = name;
  for (int i = 0; i < containers; ++i) {
    kubesim::SimContainer c;
    c.name = "c" + std::to_string(i);
    c.image = "busybox:1.36";
    c.startupLog = "hello from " + name + "\n";
    pod.containers.push_back(c);
  }
  return pod;
}

class PodWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kubesim::KubeSimServer::Options options;
    options.bookmarkInterval = 200ms;
    options.restartDelay = 50ms;
    options.historyLimit = 200;
    sim_ = std::make_unique<kubesim::KubeSimServer>(options);
    sim_->addNamespace("alpha");
    sim_->addNamespace("beta");
    sim_->start();
  }

  void startWatcher(int pageSize = 500, std::set<std::string> ignore = {}) {
    kube::KubeConnection connection;
    connection.server = sim_->baseUrl();
    auto api = std::make_shared<kube::HttpKubeApi>(std::make_shared<kube::PocoKubeTransport>(connection));
    kube::PodWatcherOptions options;
    options.query.pageSize = pageSize;
    options.ignoreNamespaces = std::move(ignore);
    options.minTimeoutSeconds = 300;
    options.maxTimeoutSeconds = 300;
    options.backoff.initial = 20ms;
    options.backoff.max = 200ms;
    watcher_ = std::make_unique<kube::PodWatcher>(api, options, tracker_, stats_);
    thread_ = std::thread([this] { watcher_->run(); });
    ASSERT_TRUE(eventually([&] { return stats_.synced.load(); })) << "initial list never completed";
  }

  void TearDown() override {
    if (watcher_) watcher_->stop();
    if (thread_.joinable()) thread_.join();
    sim_->stop();
  }

  void crash(const std::string& ns, const std::string& pod, const std::string& reason = "Error", int exitCode = 1) {
    sim_->crashContainer(ns, pod, "c0", reason, exitCode, "boom\n");
  }

  std::unique_ptr<kubesim::KubeSimServer> sim_;
  crash::CrashDetector detector_{"test"};
  CollectingSink sink_;
  pipeline::CrashTracker tracker_{detector_, sink_};
  kube::WatchStats stats_;
  std::unique_ptr<kube::PodWatcher> watcher_;
  std::thread thread_;
};

TEST_F(PodWatcherTest, ListsEveryPageThenReportsACrashOnce) {
  for (int i = 0; i < 23; ++i) sim_->addPod(simPod("alpha", "pod-" + std::to_string(i)));
  startWatcher(/*pageSize=*/5);
  EXPECT_EQ(detector_.trackedPods(), 23u);
  EXPECT_GE(sim_->stats().requests["list"], 5u) << "23 pods in pages of 5 need 5 list requests";

  crash("alpha", "pod-7", "OOMKilled", 137);
  auto crashes = sink_.waitFor(1);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].podName, "pod-7");
  EXPECT_EQ(crashes[0].containerName, "c0");
  EXPECT_EQ(crashes[0].restartCount, 1);
  EXPECT_EQ(crashes[0].reason, "OOMKilled");
  EXPECT_EQ(crashes[0].exitCode, 137);
  // The follow-up updates (CrashLoopBackOff -> Running) report nothing more.
  ASSERT_TRUE(eventually([&] { return stats_.events.load() >= 2; }));
  sim_->updatePod([] {
    kubesim::SimAction a;
    a.kind = kubesim::SimAction::Kind::Update;
    a.ns = "alpha";
    a.pod = "pod-7";
    a.labels["version"] = "2";
    return a;
  }());
  ASSERT_TRUE(eventually([&] { return stats_.events.load() >= 3; }));
  EXPECT_EQ(sink_.crashes().size(), 1u);
  // Every one of these events was a MODIFIED (the metrics count events by type).
  EXPECT_EQ(stats_.modified.load() + stats_.bookmarks.load(), stats_.events.load());
  EXPECT_GE(stats_.modified.load(), 3u);
  EXPECT_EQ(stats_.added.load(), 0u);
}

TEST_F(PodWatcherTest, OldRestartsAtStartAreNotCrashes) {
  sim_->addPod(simPod("alpha", "old"));
  crash("alpha", "old");
  crash("alpha", "old");
  startWatcher();
  crash("alpha", "old");
  auto crashes = sink_.waitFor(1);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].restartCount, 3);
  EXPECT_EQ(crashes[0].restartDelta, 1);
}

TEST_F(PodWatcherTest, BookmarksAdvanceTheResourceVersion) {
  sim_->addPod(simPod("alpha", "quiet"));
  startWatcher();
  EXPECT_TRUE(eventually([&] { return stats_.bookmarks.load() >= 2; })) << "no BOOKMARK events received";
}

TEST_F(PodWatcherTest, KeepsReportingAcrossDroppedConnections) {
  sim_->addPod(simPod("alpha", "a"));
  startWatcher();
  for (int round = 1; round <= 3; ++round) {
    ASSERT_TRUE(eventually([&] { return sim_->stats().openWatches >= 1; }));
    sim_->dropWatches();
    crash("alpha", "a");
    auto crashes = sink_.waitFor(static_cast<std::size_t>(round));
    ASSERT_EQ(crashes.size(), static_cast<std::size_t>(round)) << "round " << round;
    EXPECT_EQ(crashes.back().restartCount, round);
  }
  EXPECT_EQ(stats_.lists.load(), 1u) << "a dropped watch resumes from its resourceVersion without relisting";
}

TEST_F(PodWatcherTest, RelistsOn410AndReconcilesDeletedPods) {
  sim_->addPod(simPod("alpha", "keep"));
  sim_->addPod(simPod("alpha", "gone"));
  startWatcher();
  ASSERT_TRUE(eventually([&] { return sim_->stats().openWatches >= 1; }));
  sim_->expireWatches();
  ASSERT_TRUE(eventually([&] { return stats_.relistsGone.load() >= 1 && stats_.lists.load() >= 2; }));
  crash("alpha", "keep");
  auto crashes = sink_.waitFor(1);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].podName, "keep");
  EXPECT_EQ(detector_.trackedPods(), 2u);
}

TEST_F(PodWatcherTest, MalformedLineIsCountedAndTheWatchResumesWithoutAList) {
  sim_->addPod(simPod("alpha", "m"));
  startWatcher();
  ASSERT_TRUE(eventually([&] { return sim_->stats().openWatches >= 1; }));
  sim_->sendMalformedWatchLine();
  ASSERT_TRUE(eventually([&] { return stats_.malformedEvents.load() >= 1 && stats_.resumes.load() >= 1; }));
  EXPECT_EQ(stats_.lists.load(), 1u) << "a malformed line resumes the watch from its resourceVersion";
  crash("alpha", "m");
  auto crashes = sink_.waitFor(1);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].restartCount, 1);
  // Nothing is reported twice although the watch was resumed.
  crash("alpha", "m");
  EXPECT_EQ(sink_.waitFor(2).size(), 2u);
}

TEST_F(PodWatcherTest, IgnoredNamespacesAndRecreatedPods) {
  sim_->addPod(simPod("alpha", "web-0"));
  sim_->addPod(simPod("beta", "noise"));
  startWatcher(500, {"beta"});
  EXPECT_EQ(detector_.trackedPods(), 1u);
  crash("beta", "noise");
  crash("alpha", "web-0");
  auto crashes = sink_.waitFor(1);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].namespace_, "alpha");
  std::string firstUid = crashes[0].podUid;
  // Same name, new UID, counts from zero: its first crash is a crash again.
  sim_->recreatePod("alpha", "web-0");
  crash("alpha", "web-0");
  crashes = sink_.waitFor(2);
  ASSERT_EQ(crashes.size(), 2u);
  EXPECT_NE(crashes[1].podUid, firstUid);
  EXPECT_EQ(crashes[1].restartCount, 1);
}

TEST_F(PodWatcherTest, JobContainerFailingWithoutRestart) {
  auto job = simPod("alpha", "job-1");
  job.restartPolicy = "Never";
  job.ownerKind = "Job";
  job.ownerName = "job";
  job.ownerApiVersion = "batch/v1";
  sim_->addPod(job);
  startWatcher();
  sim_->crashContainer("alpha", "job-1", "c0", "Error", 42, "failed\n", /*restart=*/false);
  auto crashes = sink_.waitFor(1);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_FALSE(crashes[0].restarted);
  EXPECT_EQ(crashes[0].exitCode, 42);
}

TEST_F(PodWatcherTest, StopIsPromptWhileAWatchIsOpen) {
  sim_->addPod(simPod("alpha", "s"));
  startWatcher();
  ASSERT_TRUE(eventually([&] { return sim_->stats().openWatches >= 1; }));
  auto started = std::chrono::steady_clock::now();
  watcher_->stop();
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

}  // namespace
}  // namespace podmon
