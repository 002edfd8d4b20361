#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/errors.h"
#include "kube/kube_api.h"

namespace podmon::testing {

// A scripted KubeApi: log responses and events are queued by the test; calls are recorded.
class FakeKubeApi : public kube::KubeApi {
 public:
  std::deque<kube::LogResponse> logResponses;  // front is served first; empty -> 404
  int logThrowsFirst = 0;                      // this many podLog calls throw (timeouts)
  std::vector<kube::LogRequest> logRequests;
  std::vector<kube::PodEventInfo> events;
  bool eventsThrow = false;
  std::map<std::string, kube::OwnerReference> owners;  // "resource/name" -> owner
  int ownerLookups = 0;

  std::string listPods(const kube::PodQuery&, const PodHandler&) override { return "1"; }
  void watchPods(const kube::PodQuery&, const std::string&, int, const LineHandler&) override {}
  kube::LogResponse podLog(const kube::LogRequest& request) override {
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
  std::vector<kube::PodEventInfo> podEvents(const std::string&, const std::string&) override {
    if (eventsThrow) throw KubeException("events unavailable", 503);
    return events;
  }
  std::optional<kube::OwnerReference> controllerOf(const std::string&, const std::string&, const std::string& resource,
                                                   const std::string& name) override {
    ++ownerLookups;
    auto it = owners.find(resource + "/" + name);
    if (it == owners.end()) return std::nullopt;
    return it->second;
  }
  void abort() override {}

 private:
  std::mutex mutex_;
};

}  // namespace podmon::testing
