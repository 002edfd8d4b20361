#include "lease_store.h"

#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/UUIDGenerator.h>

#include "api_error.h"

namespace podmon::kubesim {
namespace {
const char* kGroup = "coordination.k8s.io";
const char* kResource = "leases";
}  // namespace

Poco::JSON::Object::Ptr LeaseStore::parseLease(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (!obj) throw ApiError::badRequest("the body of the request was not a Lease object");
    if (!obj->has("metadata")) obj->set("metadata", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    return obj;
  } catch (const ApiError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw ApiError::badRequest(std::string("the body of the request could not be decoded: ") + e.displayText());
  } catch (const std::exception& e) {
    throw ApiError::badRequest(std::string("the body of the request could not be decoded: ") + e.what());
  }
}

std::string LeaseStore::toJson(const Poco::JSON::Object::Ptr& lease) {
  std::ostringstream out;
  lease->stringify(out);
  return out.str();
}

std::string LeaseStore::get(const std::string& ns, const std::string& name) const {
  auto it = leases_.find(ns + "/" + name);
  if (it == leases_.end()) throw ApiError::notFound(kResource, name, kGroup);
  return toJson(it->second);
}

std::string LeaseStore::create(const std::string& ns, const std::string& body, uint64_t resourceVersion,
                               const std::string& now) {
  auto lease = parseLease(body);
  auto meta = lease->getObject("metadata");
  std::string name = meta->optValue<std::string>("name", "");
  if (name.empty())
    throw ApiError(
        422, "Invalid",
        "Lease.coordination.k8s.io \"\" is invalid: metadata.name: Required value: name or generateName is required");
  if (leases_.count(ns + "/" + name)) {
    throw ApiError(409, "AlreadyExists", std::string(kResource) + "." + kGroup + " \"" + name + "\" already exists",
                   R"({"name":")" + name + R"(","group":"coordination.k8s.io","kind":"leases"})");
  }
  lease->set("kind", "Lease");
  lease->set("apiVersion", "coordination.k8s.io/v1");
  meta->set("namespace", ns);
  meta->set("uid", Poco::UUIDGenerator::defaultGenerator().createRandom().toString());
  meta->set("resourceVersion", std::to_string(resourceVersion));
  meta->set("creationTimestamp", now);
  leases_[ns + "/" + name] = lease;
  return toJson(lease);
}

std::string LeaseStore::update(const std::string& ns, const std::string& name, const std::string& body,
                               uint64_t resourceVersion) {
  auto it = leases_.find(ns + "/" + name);
  if (it == leases_.end()) throw ApiError::notFound(kResource, name, kGroup);
  auto lease = parseLease(body);
  auto meta = lease->getObject("metadata");
  std::string bodyName = meta->optValue<std::string>("name", name);
  if (bodyName != name)
    throw ApiError::badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name +
                               ")");
  auto current = it->second->getObject("metadata");
  std::string sentRv = meta->optValue<std::string>("resourceVersion", "");
  if (!sentRv.empty() && sentRv != current->getValue<std::string>("resourceVersion")) {
    throw ApiError(
        409, "Conflict",
        std::string("Operation cannot be fulfilled on ") + kResource + "." + kGroup + " \"" + name +
            "\": the object has been modified; please apply your changes to the latest version and try again",
        R"({"name":")" + name + R"(","group":"coordination.k8s.io","kind":"leases"})");
  }
  lease->set("kind", "Lease");
  lease->set("apiVersion", "coordination.k8s.io/v1");
  meta->set("name", name);
  meta->set("namespace", ns);
  meta->set("uid", current->getValue<std::string>("uid"));
  meta->set("creationTimestamp", current->getValue<std::string>("creationTimestamp"));
  meta->set("resourceVersion", std::to_string(resourceVersion));
  it->second = lease;
  return toJson(lease);
}

std::string LeaseStore::list(const std::string& ns, uint64_t listRv) const {
  std::string out = R"({"kind":"LeaseList","apiVersion":"coordination.k8s.io/v1","metadata":{"resourceVersion":")" +
                    std::to_string(listRv) + R"("},"items":[)";
  bool first = true;
  for (const auto& [key, lease] : leases_) {
    if (!ns.empty() && key.compare(0, ns.size() + 1, ns + "/") != 0) continue;
    if (!first) out.push_back(',');
    first = false;
    out += toJson(lease);
  }
  return out + "]}";
}

}  // namespace podmon::kubesim
