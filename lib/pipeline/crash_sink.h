#pragma once

#include <memory>

#include "crash/crash_event.h"

namespace podmon::pipeline {

// Where detected crashes go next (the printer, the durable recorder). May block to apply
// back-pressure on the watch; must not lose the crash once it returned.
class CrashSink {
 public:
  using Ptr = std::shared_ptr<CrashSink>;
  virtual ~CrashSink() = default;
  virtual void onCrash(const crash::CrashEvent& crash) = 0;
};

}  // namespace podmon::pipeline
