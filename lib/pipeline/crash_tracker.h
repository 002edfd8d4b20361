#pragma once

#include <atomic>
#include <mutex>

#include "core/clock.h"
#include "crash/crash_detector.h"
#include "kube/pod_watcher.h"
#include "pipeline/crash_sink.h"

namespace podmon::pipeline {

// Connects the watcher to the detector: turns list/watch callbacks into detector sightings and
// hands each crash to the sink. Lives on the watcher's thread.
class CrashTracker : public kube::PodEventHandler {
 public:
  CrashTracker(crash::CrashDetector& detector, CrashSink& sink, Clock::Ptr clock = SystemClock::instance());

  void onSyncStart(bool initial) override;
  void onSyncPod(const kube::PodSnapshot& pod) override;
  void onSyncEnd() override;
  void onPodEvent(const kube::WatchEvent& event) override;

  ~CrashTracker() override;

  uint64_t crashesDetected() const { return crashes_.load(); }

  // Pods and containers the detectors track, summed over every tracker that shares it (one per
  // watched namespace); a tracker takes its share back when it is destroyed. Read by metrics.
  struct TrackedCounts {
    std::atomic<int64_t> pods{0};
    std::atomic<int64_t> containers{0};
  };
  // Set before the watcher starts; `counts` must outlive this tracker.
  void shareCounts(TrackedCounts* counts) { counts_ = counts; }

 private:
  void emit(std::vector<crash::CrashEvent> crashes);
  void publishCounts();

  crash::CrashDetector& detector_;
  CrashSink& sink_;
  Clock::Ptr clock_;
  bool initialSync_ = false;
  std::atomic<uint64_t> crashes_{0};
  TrackedCounts* counts_ = nullptr;
  int64_t publishedPods_ = 0;
  int64_t publishedContainers_ = 0;
};

}  // namespace podmon::pipeline
