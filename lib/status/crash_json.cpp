#include "status/crash_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "store/db_time.h"

namespace podmon::status::crash_json {

using Poco::JSON::Object;

std::string stringify(const Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

ApiResponse response(int status, const Object& body) {
  ApiResponse r;
  r.status = status;
  r.body = stringify(body);
  return r;
}

ApiResponse error(int status, const std::string& message) {
  Object o;
  o.set("error", message);
  return response(status, o);
}

Object::Ptr summary(const store::StoredCrash& c, bool withLogs) {
  const auto& e = c.record.event;
  Object::Ptr o(new Object);
  o->set("id", c.id);
  o->set("crashKey", c.crashKey);
  o->set("cluster", e.clusterName);
  o->set("namespace", e.namespace_);
  o->set("pod", e.podName);
  o->set("container", e.containerName);
  o->set("ownerKind", e.ownerKind);
  o->set("ownerName", e.ownerName);
  o->set("reason", e.reason);
  if (e.exitCode) o->set("exitCode", *e.exitCode);
  o->set("restartCount", e.restartCount);
  o->set("finishedAt", e.finishedAt);
  o->set("detectedAt", store::formatRfc3339(store::toDbTime(e.detectedAt)));
  o->set("logsStatus", c.record.logsStatus);
  if (withLogs) o->set("logs", c.record.logs);
  return o;
}

namespace {

void setEvents(Object& o, const std::string& eventsJson) {
  if (eventsJson.empty()) {
    o.set("events", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    return;
  }
  try {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(eventsJson);
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr)) {
      o.set("events", parsed.extract<Poco::JSON::Array::Ptr>());
      return;
    }
  } catch (const Poco::Exception&) {
    // Kept as text below.
  }
  o.set("eventsText", eventsJson);
}

}  // namespace

Object::Ptr detail(const store::StoredCrash& c) {
  const auto& e = c.record.event;
  auto o = summary(c, true);
  o->set("podUid", e.podUid);
  o->set("message", e.message);
  if (e.signal) o->set("signal", *e.signal);
  o->set("startedAt", e.startedAt);
  o->set("terminationState", e.terminationState);
  o->set("nodeName", e.nodeName);
  o->set("image", e.image);
  o->set("restartDelta", e.restartDelta);
  o->set("detectedWhileDown", e.detectedWhileDown);
  Object::Ptr labels(new Object);
  for (const auto& [k, v] : e.labels) labels->set(k, v);
  o->set("labels", labels);
  o->set("fingerprint", c.record.fingerprint);
  if (c.fingerprintHistory) {
    Object::Ptr h(new Object);
    h->set("count", c.fingerprintHistory->count);
    h->set("firstSeen", store::formatRfc3339(store::toDbTime(c.fingerprintHistory->firstSeen)));
    h->set("pods", c.fingerprintHistory->pods);
    h->set("clusters", c.fingerprintHistory->clusters);
    o->set("fingerprintHistory", h);
  }
  setEvents(*o, c.record.eventsJson);
  return o;
}

Object::Ptr fingerprint(const store::FingerprintSummary& f) {
  Object::Ptr o(new Object);
  o->set("fingerprint", f.fingerprint);
  o->set("count", f.count);
  o->set("firstSeen", store::formatRfc3339(store::toDbTime(f.firstSeen)));
  o->set("lastSeen", store::formatRfc3339(store::toDbTime(f.lastSeen)));
  o->set("pods", f.pods);
  o->set("clusters", f.clusters);
  o->set("reason", f.sampleReason);
  if (f.sampleExitCode) o->set("exitCode", *f.sampleExitCode);
  o->set("image", f.sampleImage);
  return o;
}

}  // namespace podmon::status::crash_json
