#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <Poco/JSON/Object.h>

namespace podmon::kubesim {

// coordination.k8s.io/v1 Leases with the API server's optimistic concurrency: create fails with
// 409 AlreadyExists, an update whose metadata.resourceVersion is stale fails with 409 Conflict.
// Not thread-safe (ClusterState calls it under its lock); all methods throw ApiError.
class LeaseStore {
 public:
  std::string get(const std::string& ns, const std::string& name) const;
  std::string create(const std::string& ns, const std::string& body, uint64_t resourceVersion, const std::string& now);
  std::string update(const std::string& ns, const std::string& name, const std::string& body, uint64_t resourceVersion);
  std::string list(const std::string& ns, uint64_t listRv) const;

 private:
  static Poco::JSON::Object::Ptr parseLease(const std::string& body);
  static std::string toJson(const Poco::JSON::Object::Ptr& lease);

  std::map<std::string, Poco::JSON::Object::Ptr> leases_;  // "ns/name"
};

}  // namespace podmon::kubesim
