#pragma once

// The crash document as podmon built it with Poco::JSON (Object + Stringifier) before the
// streaming JsonWriter: kept only as the reference the new builder's bytes are compared with.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "index/crash_document.h"
#include "index/index_naming.h"
#include "store/db_time.h"
#include "unit/store/legacy_utf8_text.h"

namespace podmon::index::legacy {

namespace detail {

using Poco::JSON::Array;
using Poco::JSON::Object;

inline void setText(Object& doc, const std::string& name, const std::string& value) {
  if (!value.empty()) doc.set(name, store::legacy::sanitizeUtf8(value));
}

// A date field only when it parses: "" or garbage would make Elasticsearch reject the document.
inline void setDate(Object& doc, const std::string& name, const std::string& rfc3339) {
  if (auto parsed = store::parseRfc3339(rfc3339)) doc.set(name, store::formatRfc3339(*parsed));
}

// The enricher's events (reason, message, count, last_timestamp, field_path), re-emitted with
// only the fields the mapping knows and only valid dates. Unreadable text yields no events.
inline Array::Ptr eventsArray(const std::string& eventsJson) {
  Array::Ptr out = new Array;
  if (eventsJson.empty()) return out;
  Array::Ptr in;
  try {
    in = Poco::JSON::Parser().parse(store::legacy::sanitizeUtf8(eventsJson)).extract<Array::Ptr>();
  } catch (const Poco::Exception&) {  // not JSON, or not an array (BadCastException)
    return out;
  }
  if (!in) return out;
  for (std::size_t i = 0; i < in->size(); ++i) {
    Object::Ptr event = in->getObject(static_cast<unsigned>(i));
    if (!event) continue;
    Object::Ptr copy = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const char* key : {"reason", "message", "field_path"}) {
      if (event->has(key) && event->get(key).isString()) setText(*copy, key, event->getValue<std::string>(key));
    }
    if (event->has("count") && event->get("count").isInteger()) copy->set("count", event->getValue<int>("count"));
    if (event->has("last_timestamp") && event->get("last_timestamp").isString()) {
      setDate(*copy, "last_timestamp", event->getValue<std::string>("last_timestamp"));
    }
    out->add(copy);
  }
  return out;
}

}  // namespace detail

using namespace detail;  // NOLINT

inline std::string legacyBuildCrashDocument(const store::StoredCrash& crash,
                                            std::chrono::system_clock::time_point fallbackTime) {
  const auto& record = crash.record;
  const auto& e = record.event;
  const auto detected = e.detectedAt == std::chrono::system_clock::time_point{} ? fallbackTime : e.detectedAt;

  Object doc(Poco::JSON_PRESERVE_KEY_ORDER);
  doc.set("@timestamp", static_cast<Poco::Int64>(epochMillis(crashTime(e, fallbackTime))));
  // The original tool's fields, same names and types.
  doc.set("namespace", store::legacy::sanitizeUtf8(e.namespace_));
  doc.set("pod_name", store::legacy::sanitizeUtf8(e.podName));
  doc.set("container_name", store::legacy::sanitizeUtf8(e.containerName));
  doc.set("created_at", static_cast<Poco::Int64>(epochMillis(detected)));
  doc.set("cluster_name", store::legacy::sanitizeUtf8(e.clusterName));
  doc.set("logs", store::legacy::sanitizeUtf8(record.logs));
  doc.set("restart_count", e.restartCount);
  doc.set("termination_state", store::legacy::sanitizeUtf8(e.terminationState));
  // podmon's additions.
  doc.set("crash_key", documentId(crash));
  setText(doc, "pod_uid", e.podUid);
  setText(doc, "reason", e.reason);
  if (e.exitCode) doc.set("exit_code", *e.exitCode);
  if (e.signal) doc.set("signal", *e.signal);
  setText(doc, "message", e.message);
  setDate(doc, "started_at", e.startedAt);
  setDate(doc, "finished_at", e.finishedAt);
  setText(doc, "node_name", e.nodeName);
  setText(doc, "owner_kind", e.ownerKind);
  setText(doc, "owner_name", e.ownerName);
  setText(doc, "image", e.image);
  setText(doc, "logs_status", record.logsStatus);
  setText(doc, "container_state", e.containerState);
  doc.set("restart_delta", e.restartDelta);
  doc.set("detected_while_down", e.detectedWhileDown);
  // Which failure this is; fingerprint_count is how often it had been seen at this crash (1 = new).
  setText(doc, "fingerprint", record.fingerprint);
  if (crash.fingerprintHistory) doc.set("fingerprint_count", static_cast<Poco::Int64>(crash.fingerprintHistory->count));
  Object::Ptr labels = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [key, value] : e.labels) {
    const std::string name = store::legacy::sanitizeUtf8(dedotLabelKey(key));
    // Two keys that de-dot alike ("a.b", "a_b"): the first (in key order) wins.
    if (!name.empty() && !labels->has(name)) labels->set(name, store::legacy::sanitizeUtf8(value));
  }
  doc.set("labels", labels);
  doc.set("events", eventsArray(record.eventsJson));

  std::ostringstream out;
  Poco::JSON::Stringifier::condense(doc, out);
  return out.str();
}

}  // namespace podmon::index::legacy
