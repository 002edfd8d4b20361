#pragma once

#include <string>

#include "http_exchange.h"

namespace podmon::kubesim {

class ClusterState;

// The simple stored objects next to pods: namespaces, events, ReplicaSets (owner lookup) and
// coordination.k8s.io Leases (leader election). Throws ApiError.
class ObjectApi {
 public:
  explicit ObjectApi(ClusterState& state) : state_(state) {}

  void listNamespaces(HttpExchange& ex);
  void getNamespace(HttpExchange& ex, const std::string& ns);
  void listEvents(HttpExchange& ex, const std::string& ns);
  void getReplicaSet(HttpExchange& ex, const std::string& ns, const std::string& name);
  // GET/PUT on a lease, GET/POST on the collection (name empty).
  void leases(HttpExchange& ex, const std::string& ns, const std::string& name);

 private:
  std::string namespaceJson(const std::string& ns, const std::string& created) const;
  ClusterState& state_;
};

}  // namespace podmon::kubesim
