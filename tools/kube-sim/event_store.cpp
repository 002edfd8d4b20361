#include "event_store.h"

#include <cstdio>

#include "json_writer.h"

namespace podmon::kubesim {

void EventStore::record(const Involved& involved, const std::string& type, const std::string& reason,
                        const std::string& message, const std::string& timestamp, uint64_t resourceVersion,
                        const std::string& host) {
  for (auto& e : events_) {
    if (e.involved.uid == involved.uid && e.involved.fieldPath == involved.fieldPath && e.reason == reason &&
        e.message == message) {
      ++e.count;
      e.lastTimestamp = timestamp;
      e.resourceVersion = resourceVersion;
      return;
    }
  }
  Event e;
  char suffix[32];
  ++sequence_;
  std::snprintf(suffix, sizeof suffix, ".%016llx", static_cast<unsigned long long>(0x17d0000000000000ULL + sequence_));
  e.name = involved.name + suffix;
  std::snprintf(suffix, sizeof suffix, "%012llx", static_cast<unsigned long long>(sequence_));
  e.uid = "e0e0e0e0-0000-4000-8000-" + std::string(suffix);
  e.resourceVersion = resourceVersion;
  e.involved = involved;
  e.type = type;
  e.reason = reason;
  e.message = message;
  e.firstTimestamp = e.lastTimestamp = timestamp;
  e.host = host;
  events_.push_back(std::move(e));
  while (events_.size() > limit_) events_.pop_front();
}

void EventStore::writeEvent(std::string& out, const Event& e) const {
  JsonWriter w(out);
  w.beginObject().field("kind", "Event").field("apiVersion", "v1");
  w.key("metadata")
      .beginObject()
      .field("name", e.name)
      .field("namespace", e.involved.ns)
      .field("uid", e.uid)
      .field("resourceVersion", std::to_string(e.resourceVersion))
      .field("creationTimestamp", e.firstTimestamp)
      .endObject();
  w.key("involvedObject")
      .beginObject()
      .field("kind", e.involved.kind)
      .field("namespace", e.involved.ns)
      .field("name", e.involved.name)
      .field("uid", e.involved.uid)
      .field("apiVersion", "v1");
  if (!e.involved.fieldPath.empty()) w.field("fieldPath", e.involved.fieldPath);
  w.endObject();
  w.field("reason", e.reason).field("message", e.message);
  w.key("source").beginObject().field("component", "kubelet").field("host", e.host).endObject();
  w.field("firstTimestamp", e.firstTimestamp)
      .field("lastTimestamp", e.lastTimestamp)
      .field("count", e.count)
      .field("type", e.type)
      .key("eventTime")
      .null()
      .field("reportingComponent", "kubelet")
      .field("reportingInstance", e.host);
  w.endObject();
}

std::string EventStore::listJson(const std::string& ns, const std::string& fieldSelector, uint64_t listRv) const {
  auto sel = FieldSelector::parse(
      fieldSelector, {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                      "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                      "reason", "reportingComponent", "source", "type", "metadata.name", "metadata.namespace"});
  std::string out = R"({"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":")" +
                    std::to_string(listRv) + R"("},"items":[)";
  bool first = true;
  for (const auto& e : events_) {
    if (!ns.empty() && e.involved.ns != ns) continue;
    bool ok = sel.matches([&](const std::string& f) -> std::string {
      if (f == "involvedObject.kind") return e.involved.kind;
      if (f == "involvedObject.namespace" || f == "metadata.namespace") return e.involved.ns;
      if (f == "involvedObject.name") return e.involved.name;
      if (f == "involvedObject.uid") return e.involved.uid;
      if (f == "involvedObject.apiVersion") return "v1";
      if (f == "involvedObject.fieldPath") return e.involved.fieldPath;
      if (f == "reason") return e.reason;
      if (f == "reportingComponent" || f == "source") return "kubelet";
      if (f == "type") return e.type;
      if (f == "metadata.name") return e.name;
      return "";
    });
    if (!ok) continue;
    if (!first) out.push_back(',');
    first = false;
    writeEvent(out, e);
  }
  out += "]}";
  return out;
}

}  // namespace podmon::kubesim
