#pragma once

#include "kube/kube_api.h"
#include "kube/kube_transport.h"
#include "kube/pod_parser.h"

#include <mutex>

namespace podmon::kube {

// KubeApi over a KubeTransport: builds the REST paths and query strings, reads watch streams
// incrementally and parses lists with the fast pod parser.
class HttpKubeApi : public KubeApi {
 public:
  explicit HttpKubeApi(KubeTransport::Ptr transport);

  std::string listPods(const PodQuery& query, const PodHandler& onPod) override;
  void watchPods(const PodQuery& query, const std::string& resourceVersion, int timeoutSeconds,
                 const LineHandler& onLine) override;
  LogResponse podLog(const LogRequest& request) override;
  std::vector<PodEventInfo> podEvents(const std::string& namespace_, const std::string& podUid) override;
  std::optional<OwnerReference> controllerOf(const std::string& namespace_, const std::string& groupVersion,
                                             const std::string& resource, const std::string& name) override;
  void abort() override;

  static std::string encode(const std::string& value);
  static std::string podsPath(const std::string& namespace_);

 private:
  std::string getJson(const std::string& pathAndQuery, std::chrono::milliseconds timeout);

  KubeTransport::Ptr transport_;
  std::mutex parserMutex_;
  PodParser listParser_;
};

// The message of a Kubernetes Status object body, or the body itself (shortened) if it is not one.
std::string statusMessage(const std::string& body);

}  // namespace podmon::kube
