#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace podmon::status {

// What /healthz and /readyz report. Liveness only asks whether the process's own loops still
// make progress: it never depends on MySQL or Elasticsearch, so their outage does not get podmon
// restarted. Readiness names every check that is not met.
class HealthState {
 public:
  struct Report {
    bool ok = true;
    std::string json;  // {"status":"ok"|"failing", "checks":{name:{"ok":..,"detail":..}}}
  };

  explicit HealthState(Clock::Ptr clock = SystemClock::instance());

  // A loop made progress; it counts as stalled once `stallLimit` passes without another beat.
  void beat(const std::string& loop, std::chrono::milliseconds stallLimit);
  // Stops watching a loop (it was stopped on purpose, e.g. leadership lost).
  void forget(const std::string& loop);
  void setCheck(const std::string& name, bool ok, const std::string& detail);
  // A readiness check asked at each /readyz (so a blocked poller cannot leave it stale); `probe`
  // must answer at once, without I/O. Throws nothing.
  struct ProbeAnswer {
    bool ok;
    std::string detail;
  };
  void setProbe(const std::string& name, std::function<ProbeAnswer()> probe);

  Report liveness() const;
  Report readiness() const;

 private:
  struct Loop {
    std::chrono::steady_clock::time_point last;
    std::chrono::milliseconds limit;
  };
  struct Check {
    bool ok;
    std::string detail;
  };

  Clock::Ptr clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Loop> loops_;
  std::map<std::string, Check> checks_;
  std::map<std::string, std::function<ProbeAnswer()>> probes_;
};

}  // namespace podmon::status
