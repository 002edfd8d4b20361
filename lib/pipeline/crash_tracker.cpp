#include "pipeline/crash_tracker.h"

namespace podmon::pipeline {

using crash::CrashDetector;

CrashTracker::CrashTracker(CrashDetector& detector, CrashSink& sink, Clock::Ptr clock)
    : detector_(detector), sink_(sink), clock_(std::move(clock)) {}

CrashTracker::~CrashTracker() {
  if (!counts_) return;
  counts_->pods -= publishedPods_;
  counts_->containers -= publishedContainers_;
}

void CrashTracker::onSyncStart(bool initial) {
  initialSync_ = initial;
  detector_.beginSync();
}

void CrashTracker::onSyncPod(const kube::PodSnapshot& pod) {
  emit(detector_.observe(pod, initialSync_ ? CrashDetector::Sighting::kInitialList : CrashDetector::Sighting::kRelist,
                         clock_->now()));
  publishCounts();
}

void CrashTracker::onSyncEnd() {
  // Pods that vanished while we were not watching: forget their stored state too.
  for (const auto& gone : detector_.endSync()) sink_.onPodDeleted(gone.namespace_, gone.name, gone.uid);
  initialSync_ = false;
  publishCounts();
}

void CrashTracker::onPodEvent(const kube::WatchEvent& event) {
  // A DELETED event carries the pod's last state: a crash just before deletion still counts.
  emit(detector_.observe(event.pod, CrashDetector::Sighting::kWatch, clock_->now()));
  if (event.type == kube::WatchEvent::Type::kDeleted) {
    detector_.forget(event.pod.uid);
    sink_.onPodDeleted(event.pod.namespace_, event.pod.name, event.pod.uid);
  }
  publishCounts();
}

void CrashTracker::publishCounts() {
  if (!counts_) return;
  const auto pods = static_cast<int64_t>(detector_.trackedPods());
  const auto containers = static_cast<int64_t>(detector_.trackedContainers());
  counts_->pods += pods - publishedPods_;
  counts_->containers += containers - publishedContainers_;
  publishedPods_ = pods;
  publishedContainers_ = containers;
}

void CrashTracker::emit(std::vector<crash::CrashEvent> crashes) {
  for (const auto& c : crashes) {
    ++crashes_;
    sink_.onCrash(c);
  }
  for (const auto& b : detector_.takeBaselines()) sink_.onBaseline(b);
}

}  // namespace podmon::pipeline
