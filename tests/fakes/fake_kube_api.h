#pragma once

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/errors.h"
#include "crash/crash_event.h"
#include "kube/kube_api.h"

namespace podmon::testing {

// A scripted KubeApi: log responses and events are queued by the test; calls are recorded.
class FakeKubeApi : public kube::KubeApi {
 public:
  std::deque<kube::LogResponse> logResponses;  // front is served first; empty -> 404
  int logThrowsFirst = 0;                      // this many podLog calls throw (timeouts)
  std::vector<kube::LogRequest> logRequests;
  std::vector<kube::PodEventInfo> events;  // podEvents' answer, whatever the pod
  bool eventsThrow = false;
  int podEventReads = 0;
  // listEvents: every namespace's events (involvedUid set), served in pages of the asked size.
  std::map<std::string, std::vector<kube::PodEventInfo>> namespaceEvents;
  int eventListPages = 0;
  bool eventListThrows = false;
  // Called (outside the lock) before each listEvents answers: a test blocks here to hold a list.
  std::function<void()> beforeEventList;
  std::map<std::string, kube::OwnerReference> owners;  // "resource/name" -> owner
  int ownerLookups = 0;
  // getPod: the pod as it is now, by "namespace/name"; unknown -> nullopt (404).
  std::map<std::string, kube::PodSnapshot> pods;
  int getPodThrowsFirst = 0;  // this many getPod calls throw (HTTP 503)
  int podLookups = 0;
  // Called (outside the lock) before each podLog answers: a test blocks here to hold a fetch.
  std::function<void(const kube::LogRequest&)> beforeLog;

  // The pod as it was when `crash` was detected (same UID, same crashed instance).
  static kube::PodSnapshot podOf(const crash::CrashEvent& crash) {
    kube::PodSnapshot pod;
    pod.uid = crash.podUid;
    pod.namespace_ = crash.namespace_;
    pod.name = crash.podName;
    kube::ContainerSnapshot c;
    c.name = crash.containerName;
    c.restartCount = crash.restartCount;
    (crash.restarted ? c.lastState : c.state).phase = kube::ContainerState::Phase::kTerminated;
    (crash.restarted ? c.lastState : c.state).containerId = crash.containerId;
    pod.containers.push_back(c);
    return pod;
  }
  void addPodOf(const crash::CrashEvent& crash) {
    std::lock_guard lock(mutex_);
    pods[crash.namespace_ + "/" + crash.podName] = podOf(crash);
  }

  std::string listPods(const kube::PodQuery&, const PodHandler&) override { return "1"; }
  void watchPods(const kube::PodQuery&, const std::string&, int, const LineHandler&) override {}
  kube::LogResponse podLog(const kube::LogRequest& request) override {
    if (beforeLog) beforeLog(request);
    std::lock_guard lock(mutex_);
    logRequests.push_back(request);
    if (logThrowsFirst > 0) {
      --logThrowsFirst;
      throw KubeException("Timeout reading from http://127.0.0.1:1");
    }
    if (logResponses.empty()) return {404, "pods \"x\" not found"};
    auto r = logResponses.front();
    logResponses.pop_front();
    return r;
  }
  std::vector<kube::PodEventInfo> podEvents(const std::string&, const std::string&,
                                            std::chrono::milliseconds) override {
    std::lock_guard lock(mutex_);
    ++podEventReads;
    if (eventsThrow) throw KubeException("events unavailable", 503);
    return events;
  }
  kube::EventListPage listEvents(const std::string& namespace_, int limit, const std::string& continueToken,
                                 std::chrono::milliseconds) override {
    if (beforeEventList) beforeEventList();
    std::lock_guard lock(mutex_);
    ++eventListPages;
    if (eventListThrows) throw KubeException("events unavailable", 503);
    const auto& all = namespaceEvents[namespace_];
    const std::size_t from = continueToken.empty() ? 0 : std::stoul(continueToken);
    kube::EventListPage page;
    for (std::size_t i = from; i < all.size() && i < from + static_cast<std::size_t>(limit); ++i)
      page.events.push_back(all[i]);
    if (from + static_cast<std::size_t>(limit) < all.size()) page.continueToken = std::to_string(from + limit);
    return page;
  }
  std::optional<kube::OwnerReference> controllerOf(const std::string&, const std::string&, const std::string& resource,
                                                   const std::string& name, std::chrono::milliseconds) override {
    ++ownerLookups;
    auto it = owners.find(resource + "/" + name);
    if (it == owners.end()) return std::nullopt;
    return it->second;
  }
  std::optional<kube::PodSnapshot> getPod(const std::string& namespace_, const std::string& name,
                                          std::chrono::milliseconds) override {
    std::lock_guard lock(mutex_);
    ++podLookups;
    if (getPodThrowsFirst > 0) {
      --getPodThrowsFirst;
      throw KubeException("GET pod: HTTP 503: busy", 503);
    }
    auto it = pods.find(namespace_ + "/" + name);
    if (it == pods.end()) return std::nullopt;
    return it->second;
  }
  void abort() override {}

 private:
  std::mutex mutex_;
};

}  // namespace podmon::testing
