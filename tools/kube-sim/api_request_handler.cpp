#include "api_request_handler.h"

#include <spdlog/spdlog.h>

#include "api_error.h"
#include "control_api.h"
#include "discovery_api.h"
#include "http_exchange.h"
#include "kube_sim_server.h"
#include "object_api.h"
#include "pod_api.h"
#include "pod_log_api.h"

namespace podmon::kubesim {

void ApiRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  try {
    HttpExchange ex(request, response);
    try {
      route(ex);
    } catch (const ApiError& e) {
      if (!ex.responded()) ex.sendError(e);
    } catch (const Poco::Exception& e) {
      if (!ex.responded()) ex.sendJson(500, ApiError::statusJson(500, "InternalError", "kube-sim: " + e.displayText()));
    } catch (const std::exception& e) {
      if (!ex.responded())
        ex.sendJson(500, ApiError::statusJson(500, "InternalError", std::string("kube-sim: ") + e.what()));
    }
  } catch (const std::exception& e) {
    // The client went away mid-response; nothing left to tell it.
    spdlog::debug("kube-sim: request {} failed: {}", request.getURI(), e.what());
  }
}

void ApiRequestHandler::route(HttpExchange& ex) {
  const auto& s = ex.segments();
  auto& stats = server_.requestStats();
  auto is = [&](std::initializer_list<const char*> pattern) {
    if (s.size() != pattern.size()) return false;
    size_t i = 0;
    for (const char* p : pattern) {
      if (std::string(p) != "*" && s[i] != p) return false;
      ++i;
    }
    return true;
  };
  if (!s.empty() && s[0] == "_sim") {
    stats.count("control");
    return ControlApi(server_).handle(ex, std::vector<std::string>(s.begin() + 1, s.end()));
  }
  // A real API server's time per request (the control endpoints above are not delayed).
  if (const auto latency = server_.apiLatency(); latency.count() > 0 && !server_.sleepUnlessStopped(latency)) {
    throw ApiError(503, "ServiceUnavailable", "kube-sim is stopping");
  }
  if (DiscoveryApi::handle(ex, server_.options().host + ":" + std::to_string(server_.port()))) {
    stats.count("discovery");
    return;
  }
  bool isGet = ex.method() == "GET";
  auto requireGet = [&] {
    if (!isGet)
      throw ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  };
  ObjectApi objects(server_.state());
  PodApi pods(server_);
  bool watch = ex.boolParam("watch");
  if (is({"api", "v1", "pods"}) || is({"api", "v1", "namespaces", "*", "pods"})) {
    requireGet();
    std::string ns = s.size() == 5 ? s[3] : "";
    stats.count(watch ? "watch" : "list");
    return watch ? pods.watch(ex, ns) : pods.list(ex, ns);
  }
  if (is({"api", "v1", "namespaces", "*", "pods", "*"})) {
    requireGet();
    stats.count("get");
    return pods.get(ex, s[3], s[5]);
  }
  if (is({"api", "v1", "namespaces", "*", "pods", "*", "log"})) {
    requireGet();
    stats.count("log");
    return PodLogApi(server_).get(ex, s[3], s[5]);
  }
  if (is({"api", "v1", "events"}) || is({"api", "v1", "namespaces", "*", "events"})) {
    requireGet();
    stats.count("events");
    return objects.listEvents(ex, s.size() == 5 ? s[3] : "");
  }
  if (is({"api", "v1", "namespaces"})) {
    requireGet();
    stats.count("namespaces");
    return objects.listNamespaces(ex);
  }
  if (is({"api", "v1", "namespaces", "*"})) {
    requireGet();
    stats.count("namespaces");
    return objects.getNamespace(ex, s[3]);
  }
  if (is({"apis", "apps", "v1", "namespaces", "*", "replicasets", "*"})) {
    requireGet();
    stats.count("replicasets");
    return objects.getReplicaSet(ex, s[4], s[6]);
  }
  if (is({"apis", "coordination.k8s.io", "v1", "namespaces", "*", "leases"}) ||
      is({"apis", "coordination.k8s.io", "v1", "namespaces", "*", "leases", "*"})) {
    stats.count("leases");
    return objects.leases(ex, s[4], s.size() == 7 ? s[6] : "");
  }
  stats.count("other");
  throw ApiError(404, "NotFound", "the server could not find the requested resource");
}

}  // namespace podmon::kubesim
