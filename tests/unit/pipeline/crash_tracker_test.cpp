#include "pipeline/crash_tracker.h"

#include <gtest/gtest.h>

#include <memory>

namespace podmon::pipeline {
namespace {

class NullSink : public CrashSink {
 public:
  void onCrash(const crash::CrashEvent&) override {}
  void onBaseline(const crash::CrashDetector::Baseline&) override {}
  void onPodDeleted(const std::string&, const std::string&, const std::string&) override {}
};

kube::PodSnapshot pod(const std::string& uid, const std::string& ns, int containers) {
  kube::PodSnapshot p;
  p.uid = uid;
  p.namespace_ = ns;
  p.name = "pod-" + uid;
  for (int i = 0; i < containers; ++i) {
    kube::ContainerSnapshot c;
    c.name = "c" + std::to_string(i);
    p.containers.push_back(c);
  }
  return p;
}

kube::WatchEvent event(kube::WatchEvent::Type type, kube::PodSnapshot p) {
  kube::WatchEvent e;
  e.type = type;
  e.pod = std::move(p);
  return e;
}

TEST(CrashTracker, TrackersShareTheirCountsAndTakeThemBackWhenDestroyed) {
  NullSink sink;
  CrashTracker::TrackedCounts counts;
  crash::CrashDetector shopDetector("prod");
  crash::CrashDetector opsDetector("prod");
  auto shop = std::make_unique<CrashTracker>(shopDetector, sink);
  auto ops = std::make_unique<CrashTracker>(opsDetector, sink);
  shop->shareCounts(&counts);
  ops->shareCounts(&counts);

  shop->onSyncStart(true);
  shop->onSyncPod(pod("a", "shop", 2));
  shop->onSyncPod(pod("b", "shop", 1));
  shop->onSyncEnd();
  ops->onSyncStart(true);
  ops->onSyncPod(pod("c", "ops", 3));
  ops->onSyncEnd();
  EXPECT_EQ(counts.pods.load(), 3);
  EXPECT_EQ(counts.containers.load(), 6);

  shop->onPodEvent(event(kube::WatchEvent::Type::kAdded, pod("d", "shop", 1)));
  shop->onPodEvent(event(kube::WatchEvent::Type::kDeleted, pod("a", "shop", 2)));
  EXPECT_EQ(counts.pods.load(), 3);
  EXPECT_EQ(counts.containers.load(), 5);

  shop.reset();  // the term ends: a new leader term starts from empty detectors
  EXPECT_EQ(counts.pods.load(), 1);
  EXPECT_EQ(counts.containers.load(), 3);
  ops.reset();
  EXPECT_EQ(counts.pods.load(), 0);
  EXPECT_EQ(counts.containers.load(), 0);
}

}  // namespace
}  // namespace podmon::pipeline
