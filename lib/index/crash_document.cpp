#include "index/crash_document.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "core/json_writer.h"
#include "index/index_naming.h"
#include "store/db_time.h"
#include "store/utf8_text.h"

namespace podmon::index {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

void setText(JsonWriter& json, std::string_view name, const std::string& value) {
  if (!value.empty()) json.field(name, store::sanitizeUtf8(value));
}

// A date field only when it parses: "" or garbage would make Elasticsearch reject the document.
void setDate(JsonWriter& json, std::string_view name, const std::string& rfc3339) {
  if (auto parsed = store::parseRfc3339(rfc3339)) json.field(name, store::formatRfc3339(*parsed));
}

// The enricher's events, parsed from their stored text (Poco::JSON; a handful of short objects).
Array::Ptr parseEvents(const std::string& eventsJson) {
  if (eventsJson.empty()) return nullptr;
  try {
    return Poco::JSON::Parser().parse(store::sanitizeUtf8(eventsJson)).extract<Array::Ptr>();
  } catch (const Poco::Exception&) {  // not JSON, or not an array (BadCastException)
    return nullptr;
  }
}

// The enricher's events (reason, message, count, last_timestamp, field_path), re-emitted with
// only the fields the mapping knows and only valid dates. Unreadable text yields no events.
void writeEvents(JsonWriter& json, const std::string& eventsJson) {
  json.key("events").beginArray();
  const Array::Ptr in = parseEvents(eventsJson);
  for (std::size_t i = 0; in && i < in->size(); ++i) {
    Object::Ptr event = in->getObject(static_cast<unsigned>(i));
    if (!event) continue;
    json.beginObject();
    for (const char* key : {"reason", "message", "field_path"}) {
      if (event->has(key) && event->get(key).isString()) setText(json, key, event->getValue<std::string>(key));
    }
    if (event->has("count") && event->get("count").isInteger()) json.field("count", event->getValue<int>("count"));
    if (event->has("last_timestamp") && event->get("last_timestamp").isString()) {
      setDate(json, "last_timestamp", event->getValue<std::string>("last_timestamp"));
    }
    json.endObject();
  }
  json.endArray();
}

// De-dotted label keys; two keys that de-dot alike ("a.b", "a_b"): the first (in key order) wins.
void writeLabels(JsonWriter& json, const std::map<std::string, std::string>& labels) {
  json.key("labels").beginObject();
  std::set<std::string> written;
  for (const auto& [key, value] : labels) {
    std::string name = store::sanitizeUtf8(dedotLabelKey(key));
    if (name.empty() || written.count(name) > 0) continue;
    json.field(name, store::sanitizeUtf8(value));
    written.insert(std::move(name));
  }
  json.endObject();
}

// podmon's fields after the original tool's.
void writePodmonFields(JsonWriter& json, const store::StoredCrash& crash) {
  const auto& record = crash.record;
  const auto& e = record.event;
  json.field("crash_key", documentId(crash));
  setText(json, "pod_uid", e.podUid);
  setText(json, "reason", e.reason);
  if (e.exitCode) json.field("exit_code", *e.exitCode);
  if (e.signal) json.field("signal", *e.signal);
  setText(json, "message", e.message);
  setDate(json, "started_at", e.startedAt);
  setDate(json, "finished_at", e.finishedAt);
  setText(json, "node_name", e.nodeName);
  setText(json, "owner_kind", e.ownerKind);
  setText(json, "owner_name", e.ownerName);
  setText(json, "image", e.image);
  setText(json, "logs_status", record.logsStatus);
  setText(json, "container_state", e.containerState);
  json.field("restart_delta", e.restartDelta);
  json.field("detected_while_down", e.detectedWhileDown);
  // Which failure this is; fingerprint_count is how often it had been seen at this crash (1 = new).
  setText(json, "fingerprint", record.fingerprint);
  if (crash.fingerprintHistory) json.field("fingerprint_count", crash.fingerprintHistory->count);
}

}  // namespace

std::string dedotLabelKey(const std::string& key) {
  std::string out = key;
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

std::string documentId(const store::StoredCrash& crash) {
  return crash.crashKey.empty() ? "podmon-crash-" + std::to_string(crash.id) : crash.crashKey;
}

std::string buildCrashDocument(const store::StoredCrash& crash, std::chrono::system_clock::time_point fallbackTime) {
  const auto& record = crash.record;
  const auto& e = record.event;
  const auto detected = e.detectedAt == std::chrono::system_clock::time_point{} ? fallbackTime : e.detectedAt;

  std::string out;
  out.reserve(record.logs.size() + e.terminationState.size() + e.message.size() + record.eventsJson.size() + 2048);
  JsonWriter json(out);
  json.beginObject();
  json.field("@timestamp", static_cast<std::int64_t>(epochMillis(crashTime(e, fallbackTime))));
  // The original tool's fields, same names and types.
  json.field("namespace", store::sanitizeUtf8(e.namespace_));
  json.field("pod_name", store::sanitizeUtf8(e.podName));
  json.field("container_name", store::sanitizeUtf8(e.containerName));
  json.field("created_at", static_cast<std::int64_t>(epochMillis(detected)));
  json.field("cluster_name", store::sanitizeUtf8(e.clusterName));
  json.field("logs", store::sanitizeUtf8(record.logs));
  json.field("restart_count", e.restartCount);
  json.field("termination_state", store::sanitizeUtf8(e.terminationState));
  writePodmonFields(json, crash);
  writeLabels(json, e.labels);
  writeEvents(json, record.eventsJson);
  json.endObject();
  return out;
}

}  // namespace podmon::index
