#pragma once

#include "core/request_rate_limiter.h"
#include "kube/kube_api.h"
#include "kube/kube_transport.h"
#include "kube/pod_parser.h"

#include <mutex>

namespace podmon::kube {

// KubeApi over a KubeTransport: builds the REST paths and query strings, reads watch streams
// incrementally and parses lists with the fast pod parser. With a limiter, every request but the
// watch stream itself (lists, logs, pods, events, owners) first waits for its token
// (KUBE_API_QPS / KUBE_API_BURST, one limiter shared by every HttpKubeApi of the process).
class HttpKubeApi : public KubeApi {
 public:
  explicit HttpKubeApi(KubeTransport::Ptr transport, RequestRateLimiter::Ptr limiter = nullptr);

  std::string listPods(const PodQuery& query, const PodHandler& onPod) override;
  void watchPods(const PodQuery& query, const std::string& resourceVersion, int timeoutSeconds,
                 const LineHandler& onLine) override;
  LogResponse podLog(const LogRequest& request) override;
  std::vector<PodEventInfo> podEvents(const std::string& namespace_, const std::string& podUid,
                                      std::chrono::milliseconds timeout) override;
  EventListPage listEvents(const std::string& namespace_, int limit, const std::string& continueToken,
                           std::chrono::milliseconds timeout) override;
  std::optional<OwnerReference> controllerOf(const std::string& namespace_, const std::string& groupVersion,
                                             const std::string& resource, const std::string& name,
                                             std::chrono::milliseconds timeout) override;
  std::optional<PodSnapshot> getPod(const std::string& namespace_, const std::string& name,
                                    std::chrono::milliseconds timeout) override;
  void abort() override;
  // GET one pod (limit=1) of `namespace_` ("" = all): proves the API server answers and lets
  // podmon read pods (the /health check). Throws KubeException otherwise.
  void checkPodsReadable(const std::string& namespace_, std::chrono::milliseconds timeout);

  static std::string encode(const std::string& value);
  static std::string podsPath(const std::string& namespace_);

 private:
  std::string getJson(const std::string& pathAndQuery, std::chrono::milliseconds timeout);
  void throttle();

  KubeTransport::Ptr transport_;
  RequestRateLimiter::Ptr limiter_;
};

// An EventList body as events (in its order) and its continue token. Throws KubeException when malformed.
EventListPage parseEventList(const std::string& body);

// The message of a Kubernetes Status object body, or the body itself (shortened) if it is not one.
std::string statusMessage(const std::string& body);

}  // namespace podmon::kube
