#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/pod_snapshot.h"

namespace podmon::kube {

// Which pods to list and watch.
struct PodQuery {
  std::string namespace_;  // "" = all namespaces
  std::string labelSelector;
  int pageSize = 500;
};

struct LogRequest {
  std::string namespace_;
  std::string pod;
  std::string container;
  bool previous = true;
  int tailLines = 500;
  long long limitBytes = 1'000'000;
  std::chrono::milliseconds timeout{30000};  // connecting and each read
};

struct LogResponse {
  int status = 0;    // HTTP status
  std::string body;  // the log text on 200, else the Status message
};

struct PodEventInfo {
  std::string type;    // Warning, Normal
  std::string reason;  // BackOff, Unhealthy, Killing, ...
  std::string message;
  int count = 1;
  std::string lastTimestamp;
  std::string fieldPath;    // spec.containers{app}
  std::string involvedUid;  // involvedObject.uid: the pod the event is about
};

// One page of a namespace's events (limit/continue).
struct EventListPage {
  std::vector<PodEventInfo> events;  // in the server's order
  std::string continueToken;         // "" = the last page
};

// The Kubernetes API calls podmon makes. Implementations throw KubeException: code() is the
// HTTP status when the server answered with an error (410 = Gone/Expired), 0 when it could not
// be reached or the connection broke.
class KubeApi {
 public:
  using Ptr = std::shared_ptr<KubeApi>;
  using PodHandler = std::function<void(PodSnapshot&& pod)>;
  using LineHandler = std::function<void(std::string_view line)>;
  virtual ~KubeApi() = default;

  // Lists every page (limit + continue) and returns the list's resourceVersion.
  virtual std::string listPods(const PodQuery& query, const PodHandler& onPod) = 0;
  // Watches from `resourceVersion` with bookmarks; calls onLine for each event line as it
  // arrives and returns when the server ends the stream cleanly.
  virtual void watchPods(const PodQuery& query, const std::string& resourceVersion, int timeoutSeconds,
                         const LineHandler& onLine) = 0;
  // A container's log. Never throws for an HTTP error status: the caller decides.
  virtual LogResponse podLog(const LogRequest& request) = 0;
  // Events of one pod (by UID), oldest first. `timeout` bounds connecting and each read.
  virtual std::vector<PodEventInfo> podEvents(const std::string& namespace_, const std::string& podUid,
                                              std::chrono::milliseconds timeout) = 0;
  // One page of every event of `namespace_` (`limit` items, from `continueToken`; "" = the first).
  virtual EventListPage listEvents(const std::string& namespace_, int limit, const std::string& continueToken,
                                   std::chrono::milliseconds timeout) = 0;
  // The controller owner of a namespaced object, e.g. ("apps/v1", "replicasets", name) -> Deployment.
  virtual std::optional<OwnerReference> controllerOf(const std::string& namespace_, const std::string& groupVersion,
                                                     const std::string& resource, const std::string& name,
                                                     std::chrono::milliseconds timeout) = 0;
  // One pod as it is now, or nullopt when there is none by that name (404).
  virtual std::optional<PodSnapshot> getPod(const std::string& namespace_, const std::string& name,
                                            std::chrono::milliseconds timeout) = 0;
  // Makes a call blocked in another thread return promptly (shutdown).
  virtual void abort() = 0;
};

}  // namespace podmon::kube
