#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace podmon::status {

// How one component stands, as /readyz shows it. Ready means every component is up or standby.
enum class ComponentState { kUp, kDown, kStarting, kStandby };
std::string_view toString(ComponentState state);

// What /healthz and /readyz report. Liveness only asks whether the process's own loops still
// make progress: it never depends on MySQL or Elasticsearch, so their outage does not get podmon
// restarted. Readiness is a list of named components with their states. The probes are open to
// anyone who reaches the port, so their bodies name components and states only
// ({"status":"failing","components":{"mysql":"down"}}); the details (hosts, users, driver errors)
// go to podmon's log when a component's state or detail changes.
class HealthState {
 public:
  struct Report {
    bool ok = true;
    std::string json;  // {"status":"ok"|"failing","components":{name:state}}
  };

  explicit HealthState(Clock::Ptr clock = SystemClock::instance());

  // A loop made progress; it counts as stalled once `stallLimit` passes without another beat.
  void beat(const std::string& loop, std::chrono::milliseconds stallLimit);
  // Stops watching a loop (it was stopped on purpose, e.g. leadership lost).
  void forget(const std::string& loop);
  // Sets a readiness component. `detail` is logged (when it changes), never served.
  void setComponent(const std::string& name, ComponentState state, const std::string& detail);
  // setComponent with kUp or kDown.
  void setCheck(const std::string& name, bool ok, const std::string& detail);
  // A readiness check asked at each /readyz (so a blocked poller cannot leave it stale); `probe`
  // must answer at once, without I/O. Throws nothing.
  struct ProbeAnswer {
    bool ok;
    std::string detail;
  };
  void setProbe(const std::string& name, std::function<ProbeAnswer()> probe);

  // A dependency the original's GET /health checked (the Kubernetes API, Elasticsearch): the
  // answer of a live check, valid for `validFor` (then it counts as down). Not part of readiness.
  // `detail` is logged when the answer changes, never served.
  void setDependency(const std::string& name, bool ok, const std::string& detail, std::chrono::milliseconds validFor);
  // Makes a readiness component or probe (e.g. "mysql", "store_progress") count for /health too.
  void requireForHealth(const std::string& componentOrProbe);

  // Loops "running" or "stalled"; a loop that stalls is logged once.
  Report liveness() const;
  Report readiness() const;
  // The original's /health: {"status":"up"} when every dependency answered ok within its
  // validity and every required component is up (or standby) and every required probe ok, else
  // {"status":"down"}; also down before the first answers. Names nothing.
  Report health() const;

 private:
  struct Loop {
    std::chrono::steady_clock::time_point last;
    std::chrono::milliseconds limit;
  };
  struct Component {
    ComponentState state;
    std::string detail;
  };

  Clock::Ptr clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Loop> loops_;
  std::map<std::string, Component> components_;
  mutable std::set<std::string> stalledLogged_;
  std::map<std::string, std::function<ProbeAnswer()>> probes_;
  mutable std::map<std::string, bool> probeWasOk_;  // the last answer of each probe, to log changes
  struct Dependency {
    bool ok;
    std::string detail;
    std::chrono::steady_clock::time_point validUntil;
  };
  std::map<std::string, Dependency> dependencies_;
  std::set<std::string> requiredForHealth_;
};

}  // namespace podmon::status
