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

  uint64_t crashesDetected() const { return crashes_.load(); }

 private:
  void emit(std::vector<crash::CrashEvent> crashes);

  crash::CrashDetector& detector_;
  CrashSink& sink_;
  Clock::Ptr clock_;
  bool initialSync_ = false;
  std::atomic<uint64_t> crashes_{0};
};

}  // namespace podmon::pipeline
