#pragma once

#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/crash_record.h"
#include "store/sql_time.h"

namespace podmon::store {
class SqlBackend;
}

// The crash row as both SQL backends (MySQL, SQLite) bind and read it: one table of columns, one
// conversion from a CrashRecord (fitting, UTF-8, labels as JSON) and back, so the backends cannot
// drift apart. What differs between them is SqlBackend's.
namespace podmon::store::columns {

// Column widths, in characters, of the tables (see sql/). Values are cut to fit: a value that is
// too long fails the whole insert in MySQL's strict mode (SQLite keeps the same limits so both
// backends store the same thing).
constexpr std::size_t kMonitorClusterChars = 64;
constexpr std::size_t kMonitorNamespaceChars = 64;
constexpr std::size_t kMonitorNameChars = 255;
constexpr std::size_t kCrashNameChars = 120;  // clustername, namespace, containername
constexpr std::size_t kKubeNameChars = 253;
constexpr std::size_t kUidChars = 64;
constexpr std::size_t kShortChars = 255;
constexpr std::size_t kKindChars = 64;
constexpr std::size_t kImageChars = 1024;
constexpr std::size_t kLogsStatusChars = 255;
constexpr std::size_t kTextChars = 16000;  // TEXT holds 65535 bytes: 16000 4-byte characters
constexpr std::size_t kMaxEventsBytes = 512 * 1024;
// Poco 1.11 allocates a MySQL result buffer of the column's declared maximum: 16 MiB times 4
// (utf8mb4) for a MEDIUMTEXT, per column per statement. Selecting LEFT(col, n) declares n * 4 bytes.
constexpr std::size_t kMinLogsReadChars = 1024 * 1024;
// How much of the logs column a read selects for a store cutting logs at maxLogBytes: logs
// written under a larger limit (another podmon's setting) are still read whole up to 1 Mi.
std::size_t logsReadChars(std::size_t maxLogBytes);
constexpr std::size_t kRuleChars = 255;

using NString = Poco::Nullable<std::string>;
using NInt = Poco::Nullable<int>;
using NInt64 = Poco::Nullable<Poco::Int64>;

constexpr std::size_t kFingerprintChars = 16;
// A fingerprint as crash::crashFingerprint() makes it: 16 lowercase hex digits.
bool validFingerprint(const std::string& fingerprint);

NString nullIfEmpty(std::string_view text, std::size_t maxChars);
std::string orEmpty(const NString& value);
std::string idList(const std::vector<Poco::Int64>& ids);
// Throws StoreException when value is empty.
void requireName(const std::string& value, const char* what);

// Pod labels as stored beside a crash: a JSON object of strings, valid UTF-8, bounded in size.
std::string labelsToJson(const std::map<std::string, std::string>& labels);
std::map<std::string, std::string> labelsFromJson(const std::string& json);

// Times as SQLite keeps them: UTC text "YYYY-MM-DD HH:MM:SS.ffffff", which sorts like the time
// (Poco 1.11's SQLite binder would cut a Poco::DateTime to whole seconds).
std::string toSqliteTime(std::chrono::system_clock::time_point time);
std::string toSqliteTime(const Poco::DateTime& time);
// Throws StoreException for text that is not such a time.
Poco::DateTime dateTimeFromSqlite(const std::string& text);
std::chrono::system_clock::time_point fromSqliteTime(const std::string& text);

// The values of one k8s_pod_crash row, and the one column table (crash_columns.cpp: each column's
// name with how an INSERT binds it and how a SELECT reads it) that every statement on the row is
// made from, so a column list and its bind order cannot drift apart. What MySQL and SQLite do
// differently (times, a few expressions) is the SqlBackend's.
struct CrashColumns {
  Poco::Int64 id = 0;
  NString crashKey;
  std::string clusterName;
  std::string namespace_;
  std::string containerName;
  int restartCount = 0;
  SqlTime date;
  NString podName;
  NString podUid;
  NString reason;
  NInt exitCode;
  NInt signal;
  NString message;
  SqlTime startedAt;
  SqlTime finishedAt;
  NString nodeName;
  NString ownerKind;
  NString ownerName;
  NString image;
  NString logsStatus;
  NString terminationState;
  NString containerState;
  NInt restartDelta;
  int detectedWhileDown = 0;
  NString logs;
  NString events;
  NString labels;  // JSON object, from podmon_crash_labels
  NString fingerprint;
  NInt64 fingerprintCount;
  SqlTime fingerprintFirstSeen;
  NInt64 fingerprintPods;
  NInt64 fingerprintClusters;

  static CrashColumns from(const CrashRecord& record, const std::string& key, std::size_t maxLogBytes,
                           std::chrono::system_clock::time_point fallbackTime);

  // The columns an INSERT of a new crash writes ("`crash_key`, ..."), and as many placeholders.
  static std::string insertColumns();
  static std::string insertPlaceholders();
  // Binds the inserted columns' values, in insertColumns()' order.
  void bindInsert(Poco::Data::Statement& stmt, const SqlBackend& sql);

  // The select list for bindInto, with the table aliased as c. logsChars > 0 adds logs (at most
  // that many characters), events and labels: then call bindInto with full = true.
  static std::string selectList(std::size_t logsChars, const SqlBackend& sql);
  // Extracts selectList's columns into this row, in its order.
  void bindInto(Poco::Data::Statement& stmt, bool full, const SqlBackend& sql);

  StoredCrash toStored() const;
};

// Runs a prepared select row by row (Poco fills the bound variables once per execute) and calls
// onRow after each row.
template <typename OnRow>
void forEachRow(Poco::Data::Statement& stmt, OnRow&& onRow) {
  using Poco::Data::Keywords::range;
  stmt, range(0, 1);
  while (!stmt.done()) {
    if (stmt.execute() == 0) break;
    onRow();
  }
}

}  // namespace podmon::store::columns
