#pragma once

#include <memory>
#include <string>

#include "crash/crash_detector.h"
#include "crash/crash_event.h"

namespace podmon::pipeline {

// Where the tracker's findings go next (the console printer, the durable recorder). Calls may
// block to apply back-pressure on the watch; once a call returned, nothing it passed may be lost.
class CrashSink {
 public:
  using Ptr = std::shared_ptr<CrashSink>;
  virtual ~CrashSink() = default;
  virtual void onCrash(const crash::CrashEvent& crash) = 0;
  // A container seen for the first time, with no stored state: remember its count.
  virtual void onBaseline(const crash::CrashDetector::Baseline&) {}
  // A pod is gone: its per-container state can be forgotten.
  virtual void onPodDeleted(const std::string& /*namespace_*/, const std::string& /*podName*/,
                            const std::string& /*podUid*/) {}
};

}  // namespace podmon::pipeline
