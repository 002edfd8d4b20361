#include "object_api.h"

#include "api_error.h"
#include "cluster_state.h"
#include "json_writer.h"

namespace podmon::kubesim {

std::string ObjectApi::namespaceJson(const std::string& ns, const std::string& created) const {
  std::string out;
  JsonWriter w(out);
  w.beginObject().field("kind", "Namespace").field("apiVersion", "v1");
  w.key("metadata")
      .beginObject()
      .field("name", ns)
      .field("creationTimestamp", created)
      .key("labels")
      .beginObject()
      .field("kubernetes.io/metadata.name", ns)
      .endObject()
      .endObject();
  w.key("spec").beginObject().key("finalizers").beginArray().value("kubernetes").endArray().endObject();
  w.key("status").beginObject().field("phase", "Active").endObject();
  w.endObject();
  return out;
}

void ObjectApi::listNamespaces(HttpExchange& ex) {
  std::string out = R"({"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":")" +
                    std::to_string(state_.currentResourceVersion()) + R"("},"items":[)";
  bool first = true;
  for (const auto& [ns, created] : state_.namespaces()) {
    if (!first) out.push_back(',');
    first = false;
    out += namespaceJson(ns, created);
  }
  ex.sendJson(200, out + "]}");
}

void ObjectApi::getNamespace(HttpExchange& ex, const std::string& ns) {
  auto all = state_.namespaces();
  auto it = all.find(ns);
  if (it == all.end()) throw ApiError::notFound("namespaces", ns);
  ex.sendJson(200, namespaceJson(ns, it->second));
}

void ObjectApi::listEvents(HttpExchange& ex, const std::string& ns) {
  ex.sendJson(200, state_.eventsJson(ns, ex.param("fieldSelector")));
}

void ObjectApi::getReplicaSet(HttpExchange& ex, const std::string& ns, const std::string& name) {
  ex.sendJson(200, state_.getReplicaSet(ns, name));
}

void ObjectApi::leases(HttpExchange& ex, const std::string& ns, const std::string& name) {
  const std::string& method = ex.method();
  if (name.empty()) {
    if (method == "GET") return ex.sendJson(200, state_.listLeases(ns));
    if (method == "POST") return ex.sendJson(201, state_.createLease(ns, ex.body()));
  } else {
    if (method == "GET") return ex.sendJson(200, state_.getLease(ns, name));
    if (method == "PUT") return ex.sendJson(200, state_.updateLease(ns, name, ex.body()));
  }
  throw ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

}  // namespace podmon::kubesim
