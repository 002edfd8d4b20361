#include "discovery_api.h"

namespace podmon::kubesim {
namespace {

const char* kVersion =
    R"({"major":"1","minor":"32","gitVersion":"v1.32.0-kubesim","gitCommit":"0000000000000000000000000000000000000000",)"
    R"("gitTreeState":"clean","buildDate":"2025-01-01T00:00:00Z","goVersion":"go1.23.4","compiler":"gc","platform":"linux/amd64"})";

const char* kGroups =
    R"({"kind":"APIGroupList","apiVersion":"v1","groups":[)"
    R"({"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},)"
    R"({"name":"coordination.k8s.io","versions":[{"groupVersion":"coordination.k8s.io/v1","version":"v1"}],)"
    R"("preferredVersion":{"groupVersion":"coordination.k8s.io/v1","version":"v1"}}]})";

const char* kCoreResources =
    R"({"kind":"APIResourceList","groupVersion":"v1","resources":[)"
    R"({"name":"events","singularName":"event","namespaced":true,"kind":"Event","verbs":["get","list"],"shortNames":["ev"]},)"
    R"({"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["get","list"],"shortNames":["ns"]},)"
    R"({"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get","list","watch"],"shortNames":["po"],"categories":["all"]},)"
    R"({"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]}]})";

const char* kAppsResources =
    R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[)"
    R"({"name":"replicasets","singularName":"replicaset","namespaced":true,"kind":"ReplicaSet","verbs":["get"],"shortNames":["rs"],"categories":["all"]}]})";

const char* kCoordinationResources =
    R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"coordination.k8s.io/v1","resources":[)"
    R"({"name":"leases","singularName":"lease","namespaced":true,"kind":"Lease","verbs":["create","get","list","update"]}]})";

}  // namespace

bool DiscoveryApi::handle(HttpExchange& ex, const std::string& serverAddress) {
  const std::string& p = ex.path();
  std::string path = p.size() > 1 && p.back() == '/' ? p.substr(0, p.size() - 1) : p;
  if (path == "/version") {
    ex.sendJson(200, kVersion);
  } else if (path == "/api") {
    ex.sendJson(
        200,
        R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":")" +
            serverAddress + R"("}]})");
  } else if (path == "/apis") {
    ex.sendJson(200, kGroups);
  } else if (path == "/api/v1") {
    ex.sendJson(200, kCoreResources);
  } else if (path == "/apis/apps/v1") {
    ex.sendJson(200, kAppsResources);
  } else if (path == "/apis/coordination.k8s.io/v1") {
    ex.sendJson(200, kCoordinationResources);
  } else {
    return false;
  }
  return true;
}

}  // namespace podmon::kubesim
