#include "kube/lease_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "core/errors.h"
#include "kube/http_kube_api.h"

namespace podmon::kube {
namespace {

constexpr std::chrono::milliseconds kTimeout{5000};

// The Lease REST resource over KubeTransport.
class HttpLeaseClient : public LeaseClient {
 public:
  HttpLeaseClient(KubeTransport::Ptr transport, std::string ns, std::string name)
      : transport_(std::move(transport)), ns_(std::move(ns)), name_(std::move(name)) {}

  std::optional<LeaseRecord> get() override {
    auto [status, body] = send("GET", itemPath(), "");
    if (status == 404) return std::nullopt;
    if (status != 200) fail("GET", status, body);
    return parse(body);
  }

  bool create(LeaseRecord& record) override {
    auto [status, body] = send("POST", collectionPath(), toJson(record, false));
    if (status == 409) return false;
    if (status != 200 && status != 201) fail("POST", status, body);
    record.resourceVersion = parse(body).resourceVersion;
    return true;
  }

  bool update(LeaseRecord& record) override {
    auto [status, body] = send("PUT", itemPath(), toJson(record, true));
    if (status == 409) return false;
    if (status != 200) fail("PUT", status, body);
    record.resourceVersion = parse(body).resourceVersion;
    return true;
  }

  std::string describe() const override { return "lease " + ns_ + "/" + name_ + " on " + transport_->describe(); }

 private:
  std::string collectionPath() const {
    return "/apis/coordination.k8s.io/v1/namespaces/" + HttpKubeApi::encode(ns_) + "/leases";
  }
  std::string itemPath() const { return collectionPath() + "/" + HttpKubeApi::encode(name_); }

  std::pair<int, std::string> send(const std::string& method, const std::string& path, const std::string& body) {
    int status = 0;
    std::string text;
    transport_->request(method, path, body, kTimeout, [&](int s, std::istream& in) {
      status = s;
      std::ostringstream out;
      out << in.rdbuf();
      text = out.str();
    });
    return {status, text};
  }

  [[noreturn]] void fail(const std::string& method, int status, const std::string& body) const {
    throw KubeException(
        method + " lease " + ns_ + "/" + name_ + ": HTTP " + std::to_string(status) + ": " + statusMessage(body),
        status);
  }

  std::string toJson(const LeaseRecord& r, bool withVersion) const {
    Poco::JSON::Object::Ptr meta(new Poco::JSON::Object);
    meta->set("name", name_);
    meta->set("namespace", ns_);
    if (withVersion && !r.resourceVersion.empty()) meta->set("resourceVersion", r.resourceVersion);
    Poco::JSON::Object::Ptr spec(new Poco::JSON::Object);
    spec->set("holderIdentity", r.holderIdentity);
    spec->set("leaseDurationSeconds", r.leaseDurationSeconds);
    if (!r.acquireTime.empty()) spec->set("acquireTime", r.acquireTime);
    if (!r.renewTime.empty()) spec->set("renewTime", r.renewTime);
    spec->set("leaseTransitions", r.leaseTransitions);
    Poco::JSON::Object lease;
    lease.set("apiVersion", "coordination.k8s.io/v1");
    lease.set("kind", "Lease");
    lease.set("metadata", meta);
    lease.set("spec", spec);
    std::ostringstream out;
    lease.stringify(out);
    return out.str();
  }

  LeaseRecord parse(const std::string& body) const {
    try {
      auto obj = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
      LeaseRecord r;
      if (auto meta = obj->getObject("metadata"))
        r.resourceVersion = meta->optValue<std::string>("resourceVersion", "");
      if (auto spec = obj->getObject("spec")) {
        r.holderIdentity = spec->optValue<std::string>("holderIdentity", "");
        r.leaseDurationSeconds = spec->optValue<int>("leaseDurationSeconds", 0);
        r.acquireTime = spec->optValue<std::string>("acquireTime", "");
        r.renewTime = spec->optValue<std::string>("renewTime", "");
        r.leaseTransitions = spec->optValue<int>("leaseTransitions", 0);
      }
      return r;
    } catch (const Poco::Exception& e) {
      throw KubeException("lease " + ns_ + "/" + name_ + ": unreadable answer: " + e.displayText());
    }
  }

  KubeTransport::Ptr transport_;
  std::string ns_;
  std::string name_;
};

}  // namespace

LeaseClient::Ptr LeaseClient::overTransport(KubeTransport::Ptr transport, std::string namespace_, std::string name) {
  return std::make_shared<HttpLeaseClient>(std::move(transport), std::move(namespace_), std::move(name));
}

}  // namespace podmon::kube
