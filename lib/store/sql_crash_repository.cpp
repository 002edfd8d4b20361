#include "store/sql_crash_repository.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "store/crash_columns.h"
#include "store/crash_key.h"
#include "store/outbox_rows.h"
#include "store/state_row.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

using namespace columns;

SqlCrashRepository::SqlCrashRepository(SqlBackend::Ptr backend, Clock::Ptr clock, CrashStoreOptions options)
    : backend_(std::move(backend)), clock_(std::move(clock)), options_(std::move(options)) {}

void SqlCrashRepository::fault(std::string_view step) const {
  if (faultHook_) faultHook_(step);
}

// Counts a new crash into its fingerprint's row and pods, and stores the resulting history with
// the crash row. Runs inside recordCrash's transaction, where the upsert locks the fingerprint's
// row until commit (MySQL; SQLite's transaction holds the one write lock), so concurrent recorders
// count in turn and the reads below see this crash and every one committed before it.
FingerprintHistory SqlCrashRepository::recordFingerprint(Session& session, const CrashColumns& crash,
                                                         std::int64_t crashId) {
  const SqlBackend& sql = *backend_;
  std::string fingerprint = crash.fingerprint.value();
  const auto seen = crash.date.value();
  Poco::Int64 id = crashId;
  NString reason = crash.reason;
  NInt exitCode = crash.exitCode;
  NString image = crash.image;
  session << "INSERT INTO `podmon_fingerprints` (`fingerprint`, `first_seen`, `last_seen`, `count`, `sample_crash_id`, "
             "`sample_reason`, `sample_exit_code`, `sample_image`) VALUES (?, ?, ?, 1, ?, ?, ?, ?)" +
                 sql.onDuplicateUpdate(
                     {"fingerprint"},
                     "`count` = `count` + 1, `first_seen` = " + sql.least("`first_seen`", sql.inserted("first_seen")) +
                         ", `last_seen` = " + sql.greatest("`last_seen`", sql.inserted("last_seen"))),
      use(fingerprint), sql.bindTime(seen), sql.bindTime(seen), use(id), use(reason), use(exitCode), use(image), now;
  std::string cluster = crash.clusterName;
  std::string namespaceName = crash.namespace_;
  std::string pod = orEmpty(crash.podName);
  session
      << "INSERT INTO `podmon_fingerprint_pods` (`fingerprint`, `clustername`, `namespace`, `podname`, `first_seen`) "
         "VALUES (?, ?, ?, ?, ?)" +
             sql.onDuplicateUpdate({"fingerprint", "clustername", "namespace", "podname"},
                                   "`first_seen` = " + sql.least("`first_seen`", sql.inserted("first_seen"))),
      use(fingerprint), use(cluster), use(namespaceName), use(pod), sql.bindTime(seen), now;
  Poco::Int64 count = 0, pods = 0, clusters = 0;
  SqlTime firstSeen;
  // One statement for the whole history: each statement is a prepare and an execute round trip.
  session
      << "SELECT f.`count`, f.`first_seen`, (SELECT COUNT(*) FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` "
         "= f.`fingerprint`), (SELECT COUNT(DISTINCT p.`clustername`) FROM `podmon_fingerprint_pods` p WHERE "
         "p.`fingerprint` = f.`fingerprint`) FROM `podmon_fingerprints` f WHERE f.`fingerprint` = ?",
      use(fingerprint), into(count), sql.intoTime(firstSeen), into(pods), into(clusters), now;
  FingerprintHistory history;
  history.count = count;
  history.firstSeen = firstSeen.value();
  history.pods = pods;
  history.clusters = clusters;
  session
      << "UPDATE `k8s_pod_crash` SET `fingerprint_count` = ?, `fingerprint_first_seen` = ?, `fingerprint_pods` = ?, "
         "`fingerprint_clusters` = ? WHERE `id` = ?",
      use(count), sql.bindTime(history.firstSeen), use(pods), use(clusters), use(id), now;
  return history;
}

std::pair<bool, std::int64_t> SqlCrashRepository::insertCrashRow(Session& session, const CrashColumns& columns,
                                                                 const std::string& key) {
  const SqlBackend& sql = *backend_;
  // A crash recorded before changes nothing (0 affected rows); a new row is 1 affected row.
  Statement insert(session);
  insert << std::string("INSERT INTO `k8s_pod_crash` (") + CrashColumns::insertColumns() + ") VALUES (" +
                CrashColumns::insertPlaceholders() + ")" + sql.onDuplicateKeepId({"crash_key"});
  CrashColumns bound = columns;
  bound.bindInsert(insert, sql);
  const bool isNew = insert.execute() == 1;
  const std::optional<Poco::Int64> knownId = sql.insertedId(session, isNew);
  Poco::Int64 id = knownId.value_or(0);
  if (!knownId) {
    std::string crashKeyText = key;
    session << "SELECT `id` FROM `k8s_pod_crash` WHERE `crash_key` = ?", use(crashKeyText), into(id), now;
  }
  return {isNew, id};
}

RecordResult SqlCrashRepository::recordCrash(const CrashRecord& crash) {
  const auto& e = crash.event;
  const std::string key = crashKey(e);
  const CrashColumns columns = CrashColumns::from(crash, key, options_.maxLogBytes, clock_->now());
  const ContainerState state{e.namespace_, e.podName, e.containerName, e.podUid, e.restartCount, e.containerId};
  const std::string what = "record crash of " + e.namespace_ + "/" + e.podName + "/" + e.containerName + " (restart " +
                           std::to_string(e.restartCount) + ")";
  return backend_->inTransaction(what, [&](Session& session) {
    const SqlBackend& sql = *backend_;
    RecordResult result;
    result.crashKey = key;
    std::tie(result.isNew, result.id) = insertCrashRow(session, columns, key);
    Poco::Int64 id = result.id;
    fault("crash_inserted");

    StateRow::upsert(session, sql, e.clusterName, state,
                     std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count());
    fault("state_saved");
    if (!result.isNew) return result;

    if (!e.labels.empty()) {
      std::string labelsJson = labelsToJson(e.labels);
      session << sql.insertIgnore() + " INTO `podmon_crash_labels` (`crash_id`, `labels`) VALUES (?, ?)", use(id),
          use(labelsJson), now;
    }
    if (!columns.fingerprint.isNull()) {
      fault("fingerprint_updating");
      result.fingerprintHistory = recordFingerprint(session, columns, id);
    }
    fault("outbox_inserting");
    outbox_rows::insertPending(session, sql, id, options_.outboxSinks, clock_->now());
    return result;
  });
}

namespace {

// A LIKE pattern matching text that contains `search` (lower-cased ASCII), with '!' escaping.
// The search is made valid UTF-8 as stored text is (sanitizeUtf8): invalid bytes become U+FFFD on
// both backends, so they find text stored with the same bytes, and a cut character ("caf\xc3")
// no longer matches as a byte prefix of a whole one on MySQL alone.
std::string containsPattern(const std::string& search) {
  std::string pattern = "%";
  for (char ch : sanitizeUtf8(search)) {
    if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
    pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return pattern + "%";
}

// The list's conditions after the cluster and namespace: since, the cursor, the search. Rows
// without a time sort last (NULL is the smallest in both databases), so a cursor on a timed row
// also lets them through. Binds in statement order.
struct CrashListFilter {
  std::string sql;
  std::vector<std::string> patterns;
  std::optional<CrashCursor> after;
  Poco::Int64 afterId = 0;

  explicit CrashListFilter(const CrashQuery& query) : after(query.after) {
    if (query.since) sql += " AND c.`date` >= ?";
    if (after) {
      afterId = after->id;
      sql += after->detectedAt ? " AND (c.`date` < ? OR (c.`date` = ? AND c.`id` < ?) OR c.`date` IS NULL)"
                               : " AND c.`date` IS NULL AND c.`id` < ?";
    }
    if (!query.search.empty()) {
      patterns.assign(3, containsPattern(query.search));
      sql +=
          " AND (LOWER(c.`podname`) LIKE ? ESCAPE '!' OR LOWER(c.`containername`) LIKE ? ESCAPE '!' OR "
          "LOWER(c.`reason`) LIKE ? ESCAPE '!')";
    }
  }

  void bind(Statement& select, const SqlBackend& backend, const CrashQuery& query) {
    if (query.since) select, backend.bindTime(*query.since);
    if (after && after->detectedAt) select, backend.bindTime(*after->detectedAt), backend.bindTime(*after->detectedAt);
    if (after) select, use(afterId);
    for (auto& pattern : patterns) select, use(pattern);
  }
};

}  // namespace

std::vector<StoredCrash> SqlCrashRepository::listRecentCrashes(const CrashQuery& query) {
  return backend_->withSession("list recent crashes", [&](Session& session) {
    std::string cluster = query.clusterName;
    std::string namespaceName = query.namespace_;
    int limit = std::clamp(query.limit, 1, 10000);
    CrashListFilter filter(query);
    std::string sql = "SELECT " + CrashColumns::selectList(0, *backend_) + " FROM `k8s_pod_crash` c WHERE 1 = 1";
    if (!cluster.empty()) sql += " AND c.`clustername` = ?";
    if (!namespaceName.empty()) sql += " AND c.`namespace` = ?";
    sql += filter.sql + " ORDER BY c.`date` DESC, c.`id` DESC LIMIT ?";
    CrashColumns row;
    Statement select(session);
    select << sql;
    if (!cluster.empty()) select, use(cluster);
    if (!namespaceName.empty()) select, use(namespaceName);
    filter.bind(select, *backend_, query);
    select, use(limit);
    row.bindInto(select, false, *backend_);
    std::vector<StoredCrash> crashes;
    forEachRow(select, [&] { crashes.push_back(row.toStored()); });
    return crashes;
  });
}

std::vector<TimelineBucket> SqlCrashRepository::crashTimeline(const TimelineQuery& query) {
  return backend_->withSession("read the crash timeline", [&](Session& session) {
    std::string cluster = query.clusterName;
    int limit = kMaxTimelineBuckets;
    // The hour as text ("YYYY-MM-DD HH") from the time column as both databases print it.
    const std::string hour = backend_->leftChars("c.`date`", 13);
    // Newest first so that a timeline over the limit loses its oldest hours, never its newest;
    // reversed below into the chart's order.
    Statement select(session);
    select << "SELECT " + hour + ", c.`namespace`, COUNT(*) FROM `k8s_pod_crash` c WHERE " +
                  (cluster.empty() ? "" : "c.`clustername` = ? AND ") + "c.`date` >= ? GROUP BY " + hour +
                  ", c.`namespace` ORDER BY 1 DESC, 2 DESC LIMIT ?";
    if (!cluster.empty()) select, use(cluster);
    std::string hourText, namespaceName;
    Poco::Int64 count = 0;
    select, backend_->bindTime(query.since), use(limit), into(hourText), into(namespaceName), into(count);
    std::vector<TimelineBucket> buckets;
    forEachRow(select, [&] {
      buckets.push_back(TimelineBucket{fromSqliteTime(hourText + ":00:00.000000"), namespaceName, count});
    });
    std::reverse(buckets.begin(), buckets.end());
    return buckets;
  });
}

std::vector<std::string> SqlCrashRepository::crashNamespaces(const std::string& clusterName) {
  return backend_->withSession("list crash namespaces", [&](Session& session) {
    std::string cluster = clusterName;
    int limit = kMaxNamespaces;
    std::string namespaceName;
    Statement select(session);
    select << std::string("SELECT DISTINCT c.`namespace` FROM `k8s_pod_crash` c") +
                  (cluster.empty() ? "" : " WHERE c.`clustername` = ?") + " ORDER BY 1 LIMIT ?";
    if (!cluster.empty()) select, use(cluster);
    select, use(limit), into(namespaceName);
    std::vector<std::string> names;
    forEachRow(select, [&] { names.push_back(namespaceName); });
    return names;
  });
}

std::optional<StoredCrash> SqlCrashRepository::getOne(const std::string& what, const std::string& whereColumn,
                                                      const std::string& keyText, std::int64_t keyId) {
  return backend_->withSession(what, [&](Session& session) {
    std::string text = keyText;
    Poco::Int64 id = keyId;
    CrashColumns row;
    Statement select(session);
    select << "SELECT " + CrashColumns::selectList(logsReadChars(options_.maxLogBytes), *backend_) +
                  " FROM `k8s_pod_crash` c WHERE c.`" + whereColumn + "` = ?";
    if (whereColumn == "id") {
      select, use(id);
    } else {
      select, use(text);
    }
    row.bindInto(select, true, *backend_);
    std::optional<StoredCrash> found;
    forEachRow(select, [&] { found = row.toStored(); });
    return found;
  });
}

std::optional<StoredCrash> SqlCrashRepository::getCrash(std::int64_t id) {
  return getOne("get crash " + std::to_string(id), "id", "", id);
}

std::optional<StoredCrash> SqlCrashRepository::getCrashByKey(const std::string& crashKey) {
  return getOne("get crash " + crashKey, "crash_key", crashKey, 0);
}

namespace {

// The fingerprint listing's statement; its parameters are bound in this order: cluster, namespace
// (each when given), since (when given), the limit.
std::string fingerprintsSql(const FingerprintQuery& query) {
  std::string sql =
      "SELECT f.`fingerprint`, f.`count`, f.`first_seen`, f.`last_seen`, "
      "(SELECT COUNT(*) FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` = f.`fingerprint`), "
      "(SELECT COUNT(DISTINCT p.`clustername`) FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` = "
      "f.`fingerprint`), "
      "f.`sample_reason`, f.`sample_exit_code`, f.`sample_image` FROM `podmon_fingerprints` f WHERE 1 = 1";
  if (!query.cluster.empty() || !query.namespace_.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` = f.`fingerprint`";
    if (!query.cluster.empty()) sql += " AND p.`clustername` = ?";
    if (!query.namespace_.empty()) sql += " AND p.`namespace` = ?";
    sql += ")";
  }
  if (query.since) sql += " AND f.`last_seen` >= ?";
  sql += " ORDER BY f.`count` DESC, f.`last_seen` DESC, f.`fingerprint` LIMIT ?";
  return sql;
}

}  // namespace

std::vector<FingerprintSummary> SqlCrashRepository::listFingerprints(const FingerprintQuery& query) {
  return backend_->withSession("list crash fingerprints", [&](Session& session) {
    std::string cluster = query.cluster;
    std::string namespaceName = query.namespace_;
    int rows = std::clamp(query.limit, 1, 100000);
    std::string fingerprint;
    Poco::Int64 count = 0, pods = 0, clusters = 0;
    SqlTime firstSeen, lastSeen;
    NString reason, image;
    NInt exitCode;
    Statement select(session);
    select << fingerprintsSql(query);
    if (!cluster.empty()) select, use(cluster);
    if (!namespaceName.empty()) select, use(namespaceName);
    if (query.since) select, backend_->bindTime(*query.since);
    select, use(rows), into(fingerprint), into(count), backend_->intoTime(firstSeen), backend_->intoTime(lastSeen),
        into(pods), into(clusters), into(reason), into(exitCode), into(image);
    std::vector<FingerprintSummary> summaries;
    forEachRow(select, [&] {
      FingerprintSummary s;
      s.fingerprint = fingerprint;
      s.count = count;
      s.firstSeen = firstSeen.value();
      s.lastSeen = lastSeen.value();
      s.pods = pods;
      s.clusters = clusters;
      s.sampleReason = orEmpty(reason);
      if (!exitCode.isNull()) s.sampleExitCode = exitCode.value();
      s.sampleImage = orEmpty(image);
      summaries.push_back(std::move(s));
    });
    return summaries;
  });
}

}  // namespace podmon::store

namespace podmon::store {
namespace {

// The workload's crash rows as a condition on `c`, with its values in binding order. Uses
// ix_k8s_pod_crash_owner_date or ix_k8s_pod_crash_pod_date (sql/008).
struct WorkloadFilter {
  std::string sql;
  std::vector<std::string> values;

  explicit WorkloadFilter(const WorkloadQuery& query) {
    sql = "c.`namespace` = ?";
    values = {query.namespace_};
    if (!query.clusterName.empty()) {
      sql = "c.`clustername` = ? AND " + sql;
      values.insert(values.begin(), query.clusterName);
    }
    const auto kinds = ownerKindsOf(query.kind);
    values.push_back(query.name);
    if (kinds.empty()) {
      sql += " AND c.`podname` = ?";
      return;
    }
    sql += " AND c.`owner_name` = ? AND LOWER(c.`owner_kind`) IN (?";
    for (std::size_t i = 1; i < kinds.size(); ++i) sql += ", ?";
    sql += ")";
    values.insert(values.end(), kinds.begin(), kinds.end());
  }

  void bind(Statement& statement) {
    for (auto& value : values) statement, use(value);
  }
};

// At most this many state rows are read to find a pod of a workload that never crashed.
constexpr int kMaxStateRowsRead = 10000;

}  // namespace

WorkloadCrashes SqlCrashRepository::workloadCrashes(const WorkloadQuery& query) {
  return backend_->withSession(
      "read crashes of workload " + query.namespace_ + "/" + query.kind + "/" + query.name, [&](Session& session) {
        WorkloadFilter filter(query);
        WorkloadCrashes result;
        Poco::Int64 count = 0;
        Statement counting(session);
        counting << "SELECT COUNT(*) FROM `k8s_pod_crash` c WHERE " + filter.sql + " AND c.`date` >= ?";
        filter.bind(counting);
        counting, backend_->bindTime(query.since), into(count), now;
        result.crashes = count;
        if (count > 0) {
          result.latest = latestCrash(session, filter.sql, filter.values, query.since);
          result.known = true;
        } else {
          result.known = workloadSeen(session, query);
        }
        return result;
      });
}

std::optional<StoredCrash> SqlCrashRepository::latestCrash(Session& session, const std::string& where,
                                                           std::vector<std::string> values,
                                                           std::chrono::system_clock::time_point since) {
  CrashColumns row;
  Statement select(session);
  select << "SELECT " + CrashColumns::selectList(0, *backend_) + " FROM `k8s_pod_crash` c WHERE " + where +
                " AND c.`date` >= ? ORDER BY c.`date` DESC, c.`id` DESC LIMIT 1";
  for (auto& value : values) select, use(value);
  select, backend_->bindTime(since);
  row.bindInto(select, false, *backend_);
  std::optional<StoredCrash> latest;
  forEachRow(select, [&] { latest = row.toStored(); });
  return latest;
}

bool SqlCrashRepository::workloadSeen(Session& session, const WorkloadQuery& query) {
  WorkloadFilter filter(query);
  Statement crashRow(session);
  crashRow << "SELECT c.`id` FROM `k8s_pod_crash` c WHERE " + filter.sql + " LIMIT 1";
  filter.bind(crashRow);
  Poco::Int64 id = 0;
  bool crashed = false;
  crashRow, into(id);
  forEachRow(crashRow, [&] { crashed = true; });
  if (crashed) return true;
  // Pods that never crashed have only state rows, which name no owner: look for a pod name of
  // the workload's shape, reading names in the range "name-" .. "name." (an index range).
  std::string cluster = query.clusterName;
  std::string namespaceName = query.namespace_;
  std::string from = query.kind == "pod" ? query.name : query.name + "-";
  std::string to = query.kind == "pod" ? query.name : query.name + ".";
  int limit = kMaxStateRowsRead;
  std::string podName;
  Statement states(session);
  states << std::string("SELECT `podname` FROM `k8s_crash_monitor` WHERE ") +
                (cluster.empty() ? "" : "`clustername` = ? AND ") + "`namespace` = ? AND `podname` >= ? AND " +
                (query.kind == "pod" ? "`podname` <= ?" : "`podname` < ?") + " LIMIT ?";
  if (!cluster.empty()) states, use(cluster);
  states, use(namespaceName), use(from), use(to), use(limit), into(podName);
  bool seen = false;
  forEachRow(states, [&] { seen = seen || podNameFitsWorkload(query.kind, query.name, podName); });
  return seen;
}

}  // namespace podmon::store
