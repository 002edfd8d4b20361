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
#include "store/sql_backend.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;

namespace podmon::store::columns {

namespace {

using TimePoint = std::chrono::system_clock::time_point;

SqlTime rfc3339OrNull(const std::string& text) {
  SqlTime time;
  if (auto parsed = parseRfc3339(text)) time.dateTime = *parsed;
  return time;
}

// A time column as read back; an empty SQLite text is NULL.
std::optional<TimePoint> timeOf(const SqlTime& time) {
  if (!time.text.isNull() && time.text.value().empty()) return std::nullopt;
  return time.get();
}

}  // namespace

bool validFingerprint(const std::string& fingerprint) {
  return fingerprint.size() == kFingerprintChars && std::all_of(fingerprint.begin(), fingerprint.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
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
  c.date.dateTime = toDbTime(detected);
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
  c.terminationState = nullIfEmpty(e.terminationState, kTextChars);
  c.containerState = nullIfEmpty(e.containerState, kShortChars);
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
  return c;
}

namespace {

using Row = CrashColumns;
using Statement = Poco::Data::Statement;

// Binds or extracts one column of a row.
using Binder = void (*)(Statement& stmt, Row& row, const SqlBackend& sql);
// A column's select expression other than c.`name`.
using Expression = std::string (*)(const SqlBackend& sql, std::size_t logsChars);

template <auto Member>
void bindValue(Statement& stmt, Row& row, const SqlBackend&) {
  stmt, use(row.*Member);
}
template <auto Member>
void intoValue(Statement& stmt, Row& row, const SqlBackend&) {
  stmt, into(row.*Member);
}
template <auto Member>
void bindTime(Statement& stmt, Row& row, const SqlBackend& sql) {
  stmt, sql.bindTime(timeOf(row.*Member));
}
template <auto Member>
void intoTime(Statement& stmt, Row& row, const SqlBackend& sql) {
  stmt, sql.intoTime(row.*Member);
}

// One column of the crash row.
struct Column {
  const char* name;
  bool onlyFull;      // read only by a full select (logs, events, labels)
  Binder bind;        // how an INSERT binds it; nullptr: not inserted
  Binder extract;     // how a SELECT reads it
  Expression select;  // nullptr: c.`name`
};

template <auto Member>
constexpr Column valueColumn(const char* name, bool inserted = true) {
  return {name, false, inserted ? bindValue<Member> : nullptr, intoValue<Member>, nullptr};
}
template <auto Member>
constexpr Column timeColumn(const char* name, bool inserted = true) {
  return {name, false, inserted ? bindTime<Member> : nullptr, intoTime<Member>, nullptr};
}

// The table: selects read the columns in this order, an INSERT writes those with a binder in it.
const std::vector<Column>& table() {
  static const std::vector<Column> kColumns = {
      valueColumn<&Row::id>("id", false),
      valueColumn<&Row::crashKey>("crash_key"),
      valueColumn<&Row::clusterName>("clustername"),
      valueColumn<&Row::namespace_>("namespace"),
      valueColumn<&Row::containerName>("containername"),
      valueColumn<&Row::restartCount>("restartcount"),
      timeColumn<&Row::date>("date"),
      valueColumn<&Row::podName>("podname"),
      valueColumn<&Row::podUid>("pod_uid"),
      valueColumn<&Row::reason>("reason"),
      valueColumn<&Row::exitCode>("exit_code"),
      valueColumn<&Row::signal>("signal"),
      valueColumn<&Row::message>("message"),
      timeColumn<&Row::startedAt>("started_at"),
      timeColumn<&Row::finishedAt>("finished_at"),
      valueColumn<&Row::nodeName>("node_name"),
      valueColumn<&Row::ownerKind>("owner_kind"),
      valueColumn<&Row::ownerName>("owner_name"),
      valueColumn<&Row::image>("image"),
      valueColumn<&Row::logsStatus>("logs_status"),
      valueColumn<&Row::terminationState>("termination_state"),
      valueColumn<&Row::containerState>("container_state"),
      valueColumn<&Row::restartDelta>("restart_delta"),
      {"detected_while_down", false, bindValue<&Row::detectedWhileDown>, intoValue<&Row::detectedWhileDown>,
       [](const SqlBackend& sql, std::size_t) { return sql.castToInteger("c.`detected_while_down`"); }},
      valueColumn<&Row::fingerprint>("fingerprint"),
      valueColumn<&Row::fingerprintCount>("fingerprint_count", false),
      timeColumn<&Row::fingerprintFirstSeen>("fingerprint_first_seen", false),
      valueColumn<&Row::fingerprintPods>("fingerprint_pods", false),
      valueColumn<&Row::fingerprintClusters>("fingerprint_clusters", false),
      {"logs", true, bindValue<&Row::logs>, intoValue<&Row::logs>,
       [](const SqlBackend& sql, std::size_t logsChars) { return sql.leftChars("c.`logs`", logsChars); }},
      {"events", true, bindValue<&Row::events>, intoValue<&Row::events>,
       [](const SqlBackend& sql, std::size_t) { return sql.leftChars("c.`events`", kMaxEventsBytes); }},
      {"labels", true, nullptr, intoValue<&Row::labels>,
       [](const SqlBackend&, std::size_t) {
         return std::string("(SELECT l.`labels` FROM `podmon_crash_labels` l WHERE l.`crash_id` = c.`id`)");
       }},
  };
  return kColumns;
}

// The columns a select of this kind reads.
bool selected(const Column& column, bool full) { return full || !column.onlyFull; }

}  // namespace

std::string CrashColumns::insertColumns() {
  std::string list;
  for (const auto& column : table()) {
    if (column.bind) list += (list.empty() ? "`" : ", `") + std::string(column.name) + "`";
  }
  return list;
}

std::string CrashColumns::insertPlaceholders() {
  std::string list;
  for (const auto& column : table()) {
    if (column.bind) list += list.empty() ? "?" : ", ?";
  }
  return list;
}

void CrashColumns::bindInsert(Statement& stmt, const SqlBackend& sql) {
  for (const auto& column : table()) {
    if (column.bind) column.bind(stmt, *this, sql);
  }
}

std::string CrashColumns::selectList(std::size_t logsChars, const SqlBackend& sql) {
  std::string list;
  for (const auto& column : table()) {
    if (!selected(column, logsChars > 0)) continue;
    if (!list.empty()) list += ", ";
    list += column.select ? column.select(sql, logsChars) : "c.`" + std::string(column.name) + "`";
  }
  return list;
}

void CrashColumns::bindInto(Statement& stmt, bool full, const SqlBackend& sql) {
  for (const auto& column : table()) {
    if (selected(column, full)) column.extract(stmt, *this, sql);
  }
}

StoredCrash CrashColumns::toStored() const {
  const auto detected = timeOf(date);
  const auto started = timeOf(startedAt);
  const auto finished = timeOf(finishedAt);
  const auto firstSeen = timeOf(fingerprintFirstSeen);
  StoredCrash stored;
  stored.id = id;
  stored.crashKey = orEmpty(crashKey);
  auto& r = stored.record;
  auto& e = r.event;
  e.clusterName = clusterName;
  e.namespace_ = namespace_;
  e.containerName = containerName;
  e.restartCount = restartCount;
  if (detected) e.detectedAt = *detected;
  e.podName = orEmpty(podName);
  e.podUid = orEmpty(podUid);
  e.reason = orEmpty(reason);
  if (!exitCode.isNull()) e.exitCode = exitCode.value();
  if (!signal.isNull()) e.signal = signal.value();
  e.message = orEmpty(message);
  if (started) e.startedAt = formatRfc3339(toDbTime(*started));
  if (finished) e.finishedAt = formatRfc3339(toDbTime(*finished));
  e.nodeName = orEmpty(nodeName);
  e.ownerKind = orEmpty(ownerKind);
  e.ownerName = orEmpty(ownerName);
  e.image = orEmpty(image);
  e.terminationState = orEmpty(terminationState);
  e.containerState = orEmpty(containerState);
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
    if (firstSeen) history.firstSeen = *firstSeen;
    history.pods = fingerprintPods.isNull() ? 0 : fingerprintPods.value();
    history.clusters = fingerprintClusters.isNull() ? 0 : fingerprintClusters.value();
    stored.fingerprintHistory = history;
  }
  return stored;
}

}  // namespace podmon::store::columns
