#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "fakes/manual_clock.h"
#include "kube/kube_api.h"

namespace podmon::testing {

// A ManualClock whose sleeps end at once by moving the time to their deadline, so a watcher's
// backoff runs through simulated minutes on the test's own thread, deterministically.
class SkippingClock : public ManualClock {
 public:
  bool waitUntil(std::condition_variable&, std::unique_lock<std::mutex>&,
                 std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done) const override {
    if (done()) return true;
    auto now = steadyNow();
    if (deadline > now) const_cast<SkippingClock*>(this)->advance(deadline - now);
    return done();
  }
};

// A KubeApi for the pod watcher: every list and watch call is recorded with the simulated time,
// and each watch call is answered by the next scripted answer (lines, then a clean end, a dropped
// connection or an HTTP error). When the script is over it calls onScriptEnd (the test stops the
// watcher there) and throws.
class ScriptedWatchApi : public kube::KubeApi {
 public:
  enum class End { kClean, kDrop, kHttp410, kHttp500 };
  struct Answer {
    std::vector<std::string> lines;
    std::chrono::milliseconds lasts{5000};  // simulated time the watch stays open
    End end = End::kClean;
  };
  struct Call {
    bool list = false;
    std::string resourceVersion;  // the watch's; the list's answer for a list
    std::chrono::steady_clock::time_point at;
  };

  explicit ScriptedWatchApi(std::shared_ptr<ManualClock> clock) : clock_(std::move(clock)) {}

  std::deque<Answer> watches;
  int listFailuresFirst = 0;  // this many list calls fail with a connection error
  std::string listResourceVersion = "100";
  std::function<void()> onScriptEnd;
  std::vector<Call> calls;

  std::string listPods(const kube::PodQuery&, const PodHandler&) override {
    calls.push_back({true, listResourceVersion, clock_->steadyNow()});
    if (listFailuresFirst > 0) {
      --listFailuresFirst;
      throw KubeException("Connection refused", 0);
    }
    return listResourceVersion;
  }
  void watchPods(const kube::PodQuery&, const std::string& resourceVersion, int, const LineHandler& onLine) override {
    calls.push_back({false, resourceVersion, clock_->steadyNow()});
    if (watches.empty()) {
      if (onScriptEnd) onScriptEnd();
      throw KubeException("script over", 0);
    }
    Answer answer = watches.front();
    watches.pop_front();
    for (const auto& line : answer.lines) onLine(line);
    clock_->advance(answer.lasts);
    switch (answer.end) {
      case End::kClean: return;
      case End::kDrop: throw KubeException("Connection reset by peer", 0);
      case End::kHttp410: throw KubeException("Expired: too old resource version", 410);
      case End::kHttp500: throw KubeException("Internal error", 500);
    }
  }
  kube::LogResponse podLog(const kube::LogRequest&) override { return {404, "not scripted"}; }
  std::vector<kube::PodEventInfo> podEvents(const std::string&, const std::string&,
                                            std::chrono::milliseconds) override {
    return {};
  }
  kube::EventListPage listEvents(const std::string&, int, const std::string&, std::chrono::milliseconds) override {
    return {};
  }
  std::optional<kube::OwnerReference> controllerOf(const std::string&, const std::string&, const std::string&,
                                                   const std::string&, std::chrono::milliseconds) override {
    return std::nullopt;
  }
  std::optional<kube::PodSnapshot> getPod(const std::string&, const std::string&, std::chrono::milliseconds) override {
    return std::nullopt;
  }
  void abort() override {}

  int lists() const {
    int n = 0;
    for (const auto& c : calls) n += c.list ? 1 : 0;
    return n;
  }

 private:
  std::shared_ptr<ManualClock> clock_;
};

}  // namespace podmon::testing
