#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "crash/crash_event.h"
#include "kube/kube_api.h"

namespace podmon::pipeline {

// The events of each pod in one namespace-wide events list, in the list's order (so each pod's
// are what a fieldSelector read of its UID gives). Pure.
std::map<std::string, std::vector<kube::PodEventInfo>> eventsByPod(std::vector<kube::PodEventInfo> events);

// Why it exists: in a crash storm every crash read its pod's events with a request of its own,
// and under the client's rate limit (KUBE_API_QPS) those reads alone took seconds. Here, once a
// namespace has a storm (stormThreshold event reads within stormWindow), one namespace-wide list
// (limit/continue, at most maxPages) serves every crash of that namespace detected before the list
// started: it holds every event the pod's own read would have had at detection, filtered by the
// pod's UID. Concurrent crashes wait for the list in flight instead of starting another. Quiet
// times, crashes without a detection time, lists too long or failed keep the per-pod read, so
// their results are what they were. Thread-safe: the enrich workers share one.
class NamespaceEventLists {
 public:
  struct Options {
    std::size_t stormThreshold = 3;  // event reads of one namespace within stormWindow
    std::chrono::milliseconds stormWindow{2000};
    int pageSize = 500;                        // limit per page
    int maxPages = 10;                         // a longer namespace list is not used
    std::chrono::milliseconds keepFor{30000};  // a list is dropped this long after it started
  };

  NamespaceEventLists(kube::KubeApi::Ptr api, Options options, Clock::Ptr clock = SystemClock::instance());

  // The events of the crash's pod, oldest first. Throws what KubeApi::podEvents throws (a
  // timeout waiting for a shared list: KubeException with code 0).
  std::vector<kube::PodEventInfo> podEvents(const crash::CrashEvent& crash, std::chrono::milliseconds timeout);

  // Namespace lists fetched so far (pages count once per list); for tests and logs.
  std::size_t listsFetched() const;

 private:
  struct Listing {
    bool complete = false;  // every page read within maxPages
    std::map<std::string, std::vector<kube::PodEventInfo>> byPod;
  };
  struct List {
    std::chrono::system_clock::time_point startedAt;
    std::chrono::steady_clock::time_point startedSteady;
    std::promise<std::shared_ptr<const Listing>> promise;       // set by the crash that fetches it
    std::shared_future<std::shared_ptr<const Listing>> result;  // null Listing: the list failed
  };
  struct Namespace {
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>>
        reads;  // pod UIDs, each once  // within stormWindow
    std::shared_ptr<List> latest;
  };

  // The list that serves `crash`, starting one when none does; nullptr: read the pod's own.
  std::shared_ptr<List> listFor(const crash::CrashEvent& crash, bool& leader);
  std::shared_ptr<const Listing> fetch(const std::string& namespace_, std::chrono::milliseconds timeout);

  kube::KubeApi::Ptr api_;
  Options options_;
  Clock::Ptr clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Namespace> namespaces_;
  std::size_t listsFetched_ = 0;
};

}  // namespace podmon::pipeline
