#include "store/crash_columns.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "core/errors.h"
#include "store/db_time.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;

namespace podmon::store::columns {

namespace {

NTime rfc3339OrNull(const std::string& text) {
  auto parsed = parseRfc3339(text);
  return parsed ? NTime(*parsed) : NTime();
}

NString textOf(const NTime& time) { return time.isNull() ? NString() : NString(toSqliteTime(time.value())); }

NTime timeOf(const NString& text) {
  return text.isNull() || text.value().empty() ? NTime() : NTime(dateTimeFromSqlite(text.value()));
}

}  // namespace

bool validFingerprint(const std::string& fingerprint) {
  return fingerprint.size() == kFingerprintChars &&
         std::all_of(fingerprint.begin(), fingerprint.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

NString nullIfEmpty(std::string_view text, std::size_t maxChars) {
  if (text.empty()) return NString();
  return NString(fitText(text, maxChars));
}

std::string orEmpty(const NString& value) { return value.isNull() ? std::string() : value.value(); }

std::string idList(const std::vector<Poco::Int64>& ids) {
  std::string list;
  for (auto id : ids) {
    if (!list.empty()) list += ",";
    list += std::to_string(id);
  }
  return list;
}

std::size_t logsReadChars(std::size_t maxLogBytes) { return std::max(maxLogBytes, kMinLogsReadChars); }

void requireName(const std::string& value, const char* what) {
  if (value.empty()) throw StoreException(std::string(what) + " must not be empty");
}

std::string labelsToJson(const std::map<std::string, std::string>& labels) {
  Poco::JSON::Object obj;
  for (const auto& [k, v] : labels) obj.set(sanitizeUtf8(k), sanitizeUtf8(v));
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(obj, out);
  std::string json = out.str();
  return json.size() > 60000 ? std::string("{}") : json;
}

std::map<std::string, std::string> labelsFromJson(const std::string& json) {
  std::map<std::string, std::string> labels;
  if (json.empty()) return labels;
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [k, v] : *obj) labels[k] = v.toString();
  } catch (const Poco::Exception& e) {
    spdlog::warn("store: unreadable crash labels ignored: {}", e.message());
  }
  return labels;
}

std::string toSqliteTime(const Poco::DateTime& time) {
  return Poco::DateTimeFormatter::format(time, "%Y-%m-%d %H:%M:%S.%F");
}

std::string toSqliteTime(std::chrono::system_clock::time_point time) { return toSqliteTime(toDbTime(time)); }

Poco::DateTime dateTimeFromSqlite(const std::string& text) {
  static const std::regex kShape(R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$)");
  Poco::DateTime parsed;
  int tzd = 0;
  if (!std::regex_match(text, kShape) || !Poco::DateTimeParser::tryParse("%Y-%m-%d %H:%M:%S.%F", text, parsed, tzd)) {
    throw StoreException("unreadable time '" + text + "' in the SQLite database");
  }
  return parsed;
}

std::chrono::system_clock::time_point fromSqliteTime(const std::string& text) {
  return fromDbTime(dateTimeFromSqlite(text));
}

const char* const CrashColumns::kInsertColumns =
    "`crash_key`, `clustername`, `namespace`, `containername`, `restartcount`, `date`, `podname`, "
    "`pod_uid`, `reason`, `exit_code`, `signal`, `message`, `started_at`, `finished_at`, `node_name`, "
    "`owner_kind`, `owner_name`, `image`, `logs_status`, `termination_state`, `restart_delta`, "
    "`detected_while_down`, `logs`, `events`, `fingerprint`";
const char* const CrashColumns::kInsertPlaceholders =
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

CrashColumns CrashColumns::from(const CrashRecord& record, const std::string& key, std::size_t maxLogBytes,
                                std::chrono::system_clock::time_point fallbackTime) {
  const auto& e = record.event;
  CrashColumns c;
  c.crashKey = key;
  c.clusterName = fitText(e.clusterName, kCrashNameChars);
  c.namespace_ = fitText(e.namespace_, kCrashNameChars);
  c.containerName = fitText(e.containerName, kCrashNameChars);
  c.restartCount = e.restartCount;
  const auto detected = e.detectedAt == std::chrono::system_clock::time_point{} ? fallbackTime : e.detectedAt;
  c.date = toDbTime(detected);
  c.podName = nullIfEmpty(e.podName, kKubeNameChars);
  c.podUid = nullIfEmpty(e.podUid, kUidChars);
  c.reason = nullIfEmpty(e.reason, kShortChars);
  if (e.exitCode) c.exitCode = *e.exitCode;
  if (e.signal) c.signal = *e.signal;
  c.message = nullIfEmpty(e.message, kTextChars);
  c.startedAt = rfc3339OrNull(e.startedAt);
  c.finishedAt = rfc3339OrNull(e.finishedAt);
  c.nodeName = nullIfEmpty(e.nodeName, kKubeNameChars);
  c.ownerKind = nullIfEmpty(e.ownerKind, kKindChars);
  c.ownerName = nullIfEmpty(e.ownerName, kKubeNameChars);
  c.image = nullIfEmpty(e.image, kImageChars);
  c.logsStatus = nullIfEmpty(record.logsStatus, kLogsStatusChars);
  c.terminationState = nullIfEmpty(e.terminationState, kShortChars);
  c.restartDelta = e.restartDelta;
  c.detectedWhileDown = e.detectedWhileDown ? 1 : 0;
  if (validFingerprint(record.fingerprint)) {
    c.fingerprint = record.fingerprint;
  } else if (!record.fingerprint.empty()) {
    spdlog::warn("store: crash of {}/{} has a malformed fingerprint '{}' (not 16 hex digits); stored without one",
                 e.namespace_, e.podName, sanitizeUtf8(fitText(record.fingerprint, 64)));
  }
  if (!record.logs.empty()) c.logs = fitLogs(record.logs, maxLogBytes);
  if (!record.eventsJson.empty()) {
    std::string events = sanitizeUtf8(record.eventsJson);
    if (events.size() > kMaxEventsBytes) {
      spdlog::warn("store: events of {}/{} are {} bytes, too large to store; dropped", e.namespace_, e.podName,
                   events.size());
    } else {
      c.events = std::move(events);
    }
  }
  c.dateText = textOf(c.date);
  c.startedAtText = textOf(c.startedAt);
  c.finishedAtText = textOf(c.finishedAt);
  return c;
}

void CrashColumns::bindInsert(Statement& stmt, Dialect dialect) {
  stmt, use(crashKey), use(clusterName), use(namespace_), use(containerName), use(restartCount);
  if (dialect == Dialect::kMySql) {
    stmt, use(date);
  } else {
    stmt, use(dateText);
  }
  stmt, use(podName), use(podUid), use(reason), use(exitCode), use(signal), use(message);
  if (dialect == Dialect::kMySql) {
    stmt, use(startedAt), use(finishedAt);
  } else {
    stmt, use(startedAtText), use(finishedAtText);
  }
  stmt, use(nodeName), use(ownerKind), use(ownerName), use(image), use(logsStatus), use(terminationState),
      use(restartDelta), use(detectedWhileDown), use(logs), use(events), use(fingerprint);
}

std::string CrashColumns::selectList(std::size_t logsChars, Dialect dialect) {
  const bool mysql = dialect == Dialect::kMySql;
  std::string list =
      "c.`id`, c.`crash_key`, c.`clustername`, c.`namespace`, c.`containername`, c.`restartcount`, c.`date`, "
      "c.`podname`, c.`pod_uid`, c.`reason`, c.`exit_code`, c.`signal`, c.`message`, c.`started_at`, "
      "c.`finished_at`, c.`node_name`, c.`owner_kind`, c.`owner_name`, c.`image`, c.`logs_status`, "
      "c.`termination_state`, c.`restart_delta`, ";
  list += mysql ? "CAST(c.`detected_while_down` AS SIGNED)" : "CAST(c.`detected_while_down` AS INTEGER)";
  list += ", c.`fingerprint`, c.`fingerprint_count`, c.`fingerprint_first_seen`, c.`fingerprint_pods`, "
          "c.`fingerprint_clusters`";
  if (logsChars > 0) {
    const std::string left = mysql ? "LEFT(" : "substr(";
    const std::string from = mysql ? ", " : ", 1, ";
    list += ", " + left + "c.`logs`" + from + std::to_string(logsChars) + "), " + left + "c.`events`" + from +
            std::to_string(kMaxEventsBytes) +
            "), (SELECT l.`labels` FROM `podmon_crash_labels` l WHERE l.`crash_id` = c.`id`)";
  }
  return list;
}

void CrashColumns::bindInto(Statement& stmt, bool full, Dialect dialect) {
  readAs = dialect;
  stmt, into(id), into(crashKey), into(clusterName), into(namespace_), into(containerName), into(restartCount);
  if (dialect == Dialect::kMySql) {
    stmt, into(date);
  } else {
    stmt, into(dateText);
  }
  stmt, into(podName), into(podUid), into(reason), into(exitCode), into(signal), into(message);
  if (dialect == Dialect::kMySql) {
    stmt, into(startedAt), into(finishedAt);
  } else {
    stmt, into(startedAtText), into(finishedAtText);
  }
  stmt, into(nodeName), into(ownerKind), into(ownerName), into(image), into(logsStatus), into(terminationState),
      into(restartDelta), into(detectedWhileDown), into(fingerprint), into(fingerprintCount);
  if (dialect == Dialect::kMySql) {
    stmt, into(fingerprintFirstSeen);
  } else {
    stmt, into(fingerprintFirstSeenText);
  }
  stmt, into(fingerprintPods), into(fingerprintClusters);
  if (full) stmt, into(logs), into(events), into(labels);
}

StoredCrash CrashColumns::toStored() const {
  const bool text = readAs == Dialect::kSqlite;
  const NTime detected = text ? timeOf(dateText) : date;
  const NTime started = text ? timeOf(startedAtText) : startedAt;
  const NTime finished = text ? timeOf(finishedAtText) : finishedAt;
  const NTime firstSeen = text ? timeOf(fingerprintFirstSeenText) : fingerprintFirstSeen;
  StoredCrash stored;
  stored.id = id;
  stored.crashKey = orEmpty(crashKey);
  auto& r = stored.record;
  auto& e = r.event;
  e.clusterName = clusterName;
  e.namespace_ = namespace_;
  e.containerName = containerName;
  e.restartCount = restartCount;
  if (!detected.isNull()) e.detectedAt = fromDbTime(detected.value());
  e.podName = orEmpty(podName);
  e.podUid = orEmpty(podUid);
  e.reason = orEmpty(reason);
  if (!exitCode.isNull()) e.exitCode = exitCode.value();
  if (!signal.isNull()) e.signal = signal.value();
  e.message = orEmpty(message);
  if (!started.isNull()) e.startedAt = formatRfc3339(started.value());
  if (!finished.isNull()) e.finishedAt = formatRfc3339(finished.value());
  e.nodeName = orEmpty(nodeName);
  e.ownerKind = orEmpty(ownerKind);
  e.ownerName = orEmpty(ownerName);
  e.image = orEmpty(image);
  e.terminationState = orEmpty(terminationState);
  e.restartDelta = restartDelta.isNull() ? 0 : restartDelta.value();
  e.detectedWhileDown = detectedWhileDown != 0;
  r.logsStatus = orEmpty(logsStatus);
  r.logs = orEmpty(logs);
  r.eventsJson = orEmpty(events);
  e.labels = labelsFromJson(orEmpty(labels));
  r.fingerprint = orEmpty(fingerprint);
  if (!fingerprintCount.isNull()) {
    FingerprintHistory history;
    history.count = fingerprintCount.value();
    if (!firstSeen.isNull()) history.firstSeen = fromDbTime(firstSeen.value());
    history.pods = fingerprintPods.isNull() ? 0 : fingerprintPods.value();
    history.clusters = fingerprintClusters.isNull() ? 0 : fingerprintClusters.value();
    stored.fingerprintHistory = history;
  }
  return stored;
}

}  // namespace podmon::store::columns
