#include "store/sql_crash_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>

#include "core/errors.h"
#include "store/crash_columns.h"
#include "store/crash_key.h"
#include "store/db_time.h"
#include "store/name_pattern.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

using namespace columns;

namespace {

// One k8s_crash_monitor row's bound values (bindings refer to them until the statement ran).
struct StateRow {
  std::string clusterName;
  std::string namespaceName;
  std::string podName;
  std::string containerName;
  int restartCount = 0;
  Poco::Int64 editedAt = 0;
  NString podUid;
  NString containerId;

  StateRow(const std::string& cluster, const ContainerState& state, Poco::Int64 now)
      : clusterName(fitText(cluster, kMonitorClusterChars)),
        namespaceName(fitText(state.namespace_, kMonitorNamespaceChars)),
        podName(fitText(state.podName, kMonitorNameChars)),
        containerName(fitText(state.containerName, kMonitorNameChars)),
        restartCount(state.restartCount),
        editedAt(now),
        podUid(nullIfEmpty(state.podUid, kUidChars)),
        containerId(nullIfEmpty(state.containerId, kMonitorNameChars)) {}

  void bind(Statement& statement) {
    statement, use(clusterName), use(namespaceName), use(podName), use(containerName), use(restartCount),
        use(editedAt), use(podUid), use(containerId);
  }
};

}  // namespace

SqlCrashStore::SqlCrashStore(SqlBackend::Ptr backend, Clock::Ptr clock, CrashStoreOptions options)
    : backend_(std::move(backend)), clock_(std::move(clock)), options_(std::move(options)) {}

std::size_t SqlCrashStore::logsReadChars() const {
  // Logs written under a larger limit (another podmon's setting) are still read whole up to 1 Mi.
  return std::max(options_.maxLogBytes, kMinLogsReadChars);
}

void SqlCrashStore::fault(std::string_view step) const {
  if (faultHook_) faultHook_(step);
}

void SqlCrashStore::migrate() { lastApplied_ = backend_->migrate(clock_); }

// --- container state ---

std::vector<ContainerState> SqlCrashStore::loadContainerStates(const std::string& cluster) {
  return backend_->withSession("load container states", [&](Session& session) {
    std::string clusterName = fitText(cluster, kMonitorClusterChars);
    std::vector<std::string> namespaces, pods, containers, uids, containerIds;
    std::vector<int> restarts;
    session << "SELECT `namespace`, `podname`, `containername`, COALESCE(`pod_uid`, ''), "
               "COALESCE(`restartcount`, 0), COALESCE(`container_id`, '') "
               "FROM `k8s_crash_monitor` WHERE `clustername` = ?",
        use(clusterName), into(namespaces), into(pods), into(containers), into(uids), into(restarts),
        into(containerIds), now;
    std::vector<ContainerState> states(namespaces.size());
    for (std::size_t i = 0; i < states.size(); ++i) {
      states[i] = ContainerState{namespaces[i], pods[i], containers[i], uids[i], restarts[i], containerIds[i]};
    }
    return states;
  });
}

// The k8s_crash_monitor upsert for `rows` rows. Same pod: the count never goes back (a late crash
// must not undo a newer baseline). Another pod under the same name (recreated): its count replaces
// the old one. MySQL applies the assignments left to right (each sees the ones before it), SQLite
// reads the old row in all of them: pod_uid is set last, so both compare with the old pod_uid.
std::string SqlCrashStore::upsertStateSql(std::size_t rows) const {
  const SqlBackend& sql = *backend_;
  std::string statement =
      "INSERT INTO `k8s_crash_monitor` (`clustername`, `namespace`, `podname`, `containername`, "
      "`restartcount`, `retries`, `edited_at`, `pod_uid`, `container_id`) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    statement += i == 0 ? "(?, ?, ?, ?, ?, 0, ?, ?, ?)" : ", (?, ?, ?, ?, ?, 0, ?, ?, ?)";
  }
  const std::string samePod = sql.nullSafeEqual("`pod_uid`", sql.inserted("pod_uid"));
  const std::string newCount = sql.inserted("restartcount");
  const std::string newContainerId = sql.inserted("container_id");
  statement += sql.onDuplicateUpdate(
      {"clustername", "namespace", "podname", "containername"},
      "`restartcount` = CASE WHEN " + samePod + " THEN " + sql.greatest("COALESCE(`restartcount`, 0)", newCount) +
          " ELSE " + newCount + " END, "
          "`container_id` = CASE WHEN " + samePod + " THEN COALESCE(" + newContainerId + ", `container_id`) ELSE " +
          newContainerId + " END, "
          "`retries` = 0, `edited_at` = " + sql.inserted("edited_at") + ", `pod_uid` = " + sql.inserted("pod_uid"));
  return statement;
}

void SqlCrashStore::upsertState(Session& session, const std::string& cluster, const ContainerState& state) {
  StateRow row(cluster, state,
               std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count());
  Statement upsert(session);
  upsert << upsertStateSql(1);
  row.bind(upsert);
  upsert.execute();
}

void SqlCrashStore::saveBaselines(const std::string& cluster, const std::vector<ContainerState>& states) {
  if (states.empty()) return;
  backend_->withSession("save " + std::to_string(states.size()) + " baselines", [&](Session& session) {
    const Poco::Int64 now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
    std::vector<StateRow> rows;
    rows.reserve(std::min(states.size(), kBaselineBatch));
    for (std::size_t first = 0; first < states.size(); first += kBaselineBatch) {
      const std::size_t last = std::min(states.size(), first + kBaselineBatch);
      rows.clear();  // capacity stays: no reallocation, so bindings never see moved values
      for (std::size_t i = first; i < last; ++i) rows.emplace_back(cluster, states[i], now);
      Statement upsert(session);
      upsert << upsertStateSql(rows.size());
      for (auto& row : rows) row.bind(upsert);
      upsert.execute();
    }
  });
}

void SqlCrashStore::saveBaseline(const std::string& cluster, const ContainerState& state) {
  backend_->withSession("save baseline of " + state.namespace_ + "/" + state.podName + "/" + state.containerName,
                        [&](Session& session) { upsertState(session, cluster, state); });
}

int SqlCrashStore::deletePodStates(const std::string& cluster, const std::string& namespace_,
                                   const std::string& podName) {
  return backend_->withSession("delete states of " + namespace_ + "/" + podName, [&](Session& session) {
    std::string clusterName = fitText(cluster, kMonitorClusterChars);
    std::string namespaceName = fitText(namespace_, kMonitorNamespaceChars);
    std::string pod = fitText(podName, kMonitorNameChars);
    Statement del(session);
    del << "DELETE FROM `k8s_crash_monitor` WHERE `clustername` = ? AND `namespace` = ? AND `podname` = ?",
        use(clusterName), use(namespaceName), use(pod);
    return static_cast<int>(del.execute());
  });
}

// --- crashes ---

// Counts a new crash into its fingerprint's row and pods, and stores the resulting history with
// the crash row. Runs inside recordCrash's transaction, where the upsert locks the fingerprint's
// row until commit (MySQL; SQLite's transaction holds the one write lock), so concurrent recorders
// count in turn and the reads below see this crash and every one committed before it.
FingerprintHistory SqlCrashStore::recordFingerprint(Session& session, const CrashColumns& crash,
                                                    std::int64_t crashId) {
  const SqlBackend& sql = *backend_;
  std::string fingerprint = crash.fingerprint.value();
  const auto seen = fromDbTime(crash.date.value());
  Poco::Int64 id = crashId;
  NString reason = crash.reason;
  NInt exitCode = crash.exitCode;
  NString image = crash.image;
  session << "INSERT INTO `podmon_fingerprints` (`fingerprint`, `first_seen`, `last_seen`, `count`, `sample_crash_id`, "
             "`sample_reason`, `sample_exit_code`, `sample_image`) VALUES (?, ?, ?, 1, ?, ?, ?, ?)" +
                 sql.onDuplicateUpdate({"fingerprint"},
                                       "`count` = `count` + 1, `first_seen` = " +
                                           sql.least("`first_seen`", sql.inserted("first_seen")) +
                                           ", `last_seen` = " + sql.greatest("`last_seen`", sql.inserted("last_seen"))),
      use(fingerprint), sql.bindTime(seen), sql.bindTime(seen), use(id), use(reason), use(exitCode), use(image), now;
  std::string cluster = crash.clusterName;
  std::string namespaceName = crash.namespace_;
  std::string pod = orEmpty(crash.podName);
  session << "INSERT INTO `podmon_fingerprint_pods` (`fingerprint`, `clustername`, `namespace`, `podname`, `first_seen`) "
             "VALUES (?, ?, ?, ?, ?)" +
                 sql.onDuplicateUpdate({"fingerprint", "clustername", "namespace", "podname"},
                                       "`first_seen` = " + sql.least("`first_seen`", sql.inserted("first_seen"))),
      use(fingerprint), use(cluster), use(namespaceName), use(pod), sql.bindTime(seen), now;
  Poco::Int64 count = 0, pods = 0, clusters = 0;
  SqlTime firstSeen;
  session << "SELECT `count`, `first_seen` FROM `podmon_fingerprints` WHERE `fingerprint` = ?", use(fingerprint),
      into(count), sql.intoTime(firstSeen), now;
  session << "SELECT COUNT(*), COUNT(DISTINCT `clustername`) FROM `podmon_fingerprint_pods` WHERE `fingerprint` = ?",
      use(fingerprint), into(pods), into(clusters), now;
  FingerprintHistory history;
  history.count = count;
  history.firstSeen = firstSeen.value();
  history.pods = pods;
  history.clusters = clusters;
  session << "UPDATE `k8s_pod_crash` SET `fingerprint_count` = ?, `fingerprint_first_seen` = ?, `fingerprint_pods` = ?, "
             "`fingerprint_clusters` = ? WHERE `id` = ?",
      use(count), sql.bindTime(history.firstSeen), use(pods), use(clusters), use(id), now;
  return history;
}

RecordResult SqlCrashStore::recordCrash(const CrashRecord& crash) {
  const auto& e = crash.event;
  const std::string key = crashKey(e);
  CrashColumns columns = CrashColumns::from(crash, key, options_.maxLogBytes, clock_->now());
  const ContainerState state{e.namespace_, e.podName, e.containerName, e.podUid, e.restartCount, e.containerId};
  const std::string what = "record crash of " + e.namespace_ + "/" + e.podName + "/" + e.containerName +
                           " (restart " + std::to_string(e.restartCount) + ")";
  return backend_->inTransaction(what, [&](Session& session) {
    const SqlBackend& sql = *backend_;
    RecordResult result;
    result.crashKey = key;
    // A crash recorded before changes nothing (0 affected rows); a new row is 1 affected row.
    Statement insert(session);
    insert << std::string("INSERT INTO `k8s_pod_crash` (") + CrashColumns::kInsertColumns + ") VALUES (" +
                  CrashColumns::kInsertPlaceholders + ")" + sql.onDuplicateKeepId({"crash_key"});
    columns.bindInsert(insert, sql.dialect());
    result.isNew = insert.execute() == 1;
    const std::optional<Poco::Int64> knownId = sql.insertedId(session, result.isNew);
    Poco::Int64 id = knownId.value_or(0);
    if (!knownId) {
      std::string crashKeyText = key;
      session << "SELECT `id` FROM `k8s_pod_crash` WHERE `crash_key` = ?", use(crashKeyText), into(id), now;
    }
    result.id = id;
    fault("crash_inserted");

    upsertState(session, e.clusterName, state);
    fault("state_saved");

    if (result.isNew && !e.labels.empty()) {
      std::string labelsJson = labelsToJson(e.labels);
      session << sql.insertIgnore() + " INTO `podmon_crash_labels` (`crash_id`, `labels`) VALUES (?, ?)", use(id),
          use(labelsJson), now;
    }

    if (result.isNew && !columns.fingerprint.isNull()) {
      fault("fingerprint_updating");
      result.fingerprintHistory = recordFingerprint(session, columns, id);
    }

    if (result.isNew) {
      fault("outbox_inserting");
      const auto createdAt = clock_->now();
      for (Sink sink : options_.outboxSinks) {
        std::string sinkName = toString(sink);
        session << "INSERT INTO `podmon_outbox` (`crash_id`, `sink`, `state`, `attempts`, `next_attempt_at`, "
                   "`created_at`) VALUES (?, ?, 'pending', 0, ?, ?)",
            use(id), use(sinkName), sql.bindTime(createdAt), sql.bindTime(createdAt), now;
      }
    }
    return result;
  });
}

std::vector<StoredCrash> SqlCrashStore::listRecentCrashes(const CrashQuery& query) {
  return backend_->withSession("list recent crashes", [&](Session& session) {
    std::string cluster = query.clusterName;
    std::string namespaceName = query.namespace_;
    int limit = std::clamp(query.limit, 1, 10000);
    std::string sql =
        "SELECT " + CrashColumns::selectList(0, backend_->dialect()) + " FROM `k8s_pod_crash` c WHERE 1 = 1";
    if (!cluster.empty()) sql += " AND c.`clustername` = ?";
    if (!namespaceName.empty()) sql += " AND c.`namespace` = ?";
    if (query.since) sql += " AND c.`date` >= ?";
    sql += " ORDER BY c.`date` DESC, c.`id` DESC LIMIT ?";
    CrashColumns row;
    Statement select(session);
    select << sql;
    if (!cluster.empty()) select, use(cluster);
    if (!namespaceName.empty()) select, use(namespaceName);
    if (query.since) select, backend_->bindTime(*query.since);
    select, use(limit);
    row.bindInto(select, false, backend_->dialect());
    std::vector<StoredCrash> crashes;
    forEachRow(select, [&] { crashes.push_back(row.toStored()); });
    return crashes;
  });
}

std::optional<StoredCrash> SqlCrashStore::getOne(const std::string& what, const std::string& whereColumn,
                                                 const std::string& keyText, std::int64_t keyId) {
  return backend_->withSession(what, [&](Session& session) {
    std::string text = keyText;
    Poco::Int64 id = keyId;
    CrashColumns row;
    Statement select(session);
    select << "SELECT " + CrashColumns::selectList(logsReadChars(), backend_->dialect()) +
                  " FROM `k8s_pod_crash` c WHERE c.`" + whereColumn + "` = ?";
    if (whereColumn == "id") {
      select, use(id);
    } else {
      select, use(text);
    }
    row.bindInto(select, true, backend_->dialect());
    std::optional<StoredCrash> found;
    forEachRow(select, [&] { found = row.toStored(); });
    return found;
  });
}

std::optional<StoredCrash> SqlCrashStore::getCrash(std::int64_t id) {
  return getOne("get crash " + std::to_string(id), "id", "", id);
}

std::optional<StoredCrash> SqlCrashStore::getCrashByKey(const std::string& crashKey) {
  return getOne("get crash " + crashKey, "crash_key", crashKey, 0);
}

// --- outbox ---

std::vector<OutboxItem> SqlCrashStore::claimOutbox(Sink sink, int limit, std::chrono::system_clock::duration lease) {
  const std::string sinkName = toString(sink);
  const auto claimedAt = clock_->now();
  // Lease the due rows in a short transaction (forUpdateSkipLocked: two workers never take the
  // same row)...
  std::vector<Poco::Int64> ids = backend_->inTransaction("claim " + sinkName + " outbox", [&](Session& session) {
    std::string name = sinkName;
    int rows = std::clamp(limit, 1, 1000);
    std::vector<Poco::Int64> dueIds;
    session << "SELECT `id` FROM `podmon_outbox` WHERE `sink` = ? AND `state` = 'pending' AND "
               "`next_attempt_at` <= ? ORDER BY `next_attempt_at`, `id` LIMIT ?" +
                   backend_->forUpdateSkipLocked(),
        use(name), backend_->bindTime(claimedAt), use(rows), into(dueIds), now;
    if (!dueIds.empty()) {
      session << "UPDATE `podmon_outbox` SET `attempts` = `attempts` + 1, `next_attempt_at` = ? WHERE `id` IN (" +
                     idList(dueIds) + ")",
          backend_->bindTime(claimedAt + lease), now;
    }
    return dueIds;
  });
  if (ids.empty()) return {};
  // ...then read them with their crashes outside it (logs can be large).
  std::vector<OutboxItem> items = backend_->withSession("load claimed " + sinkName + " outbox", [&](Session& session) {
    Poco::Int64 outboxId = 0;
    int attempts = 0;
    SqlTime createdAt;
    CrashColumns row;
    Statement select(session);
    select << "SELECT o.`id`, o.`attempts`, o.`created_at`, " +
                  CrashColumns::selectList(logsReadChars(), backend_->dialect()) +
                  " FROM `podmon_outbox` o JOIN `k8s_pod_crash` c ON c.`id` = o.`crash_id` WHERE o.`id` IN (" +
                  idList(ids) + ") ORDER BY o.`created_at`, o.`id`",
        into(outboxId), into(attempts), backend_->intoTime(createdAt);
    row.bindInto(select, true, backend_->dialect());
    std::vector<OutboxItem> loaded;
    forEachRow(select, [&] {
      OutboxItem item;
      item.id = outboxId;
      item.sink = sink;
      item.attempts = attempts;
      item.createdAt = createdAt.value();
      item.crash = row.toStored();
      loaded.push_back(std::move(item));
    });
    return loaded;
  });
  // A row whose crash was deleted can never be delivered.
  for (auto id : ids) {
    const bool found = std::any_of(items.begin(), items.end(), [&](const OutboxItem& i) { return i.id == id; });
    if (!found) markDead(id, "the crash row no longer exists");
  }
  return items;
}

void SqlCrashStore::markDelivered(std::int64_t outboxId) {
  backend_->withSession("mark outbox " + std::to_string(outboxId) + " delivered", [&](Session& session) {
    Poco::Int64 id = outboxId;
    session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` = ?",
        backend_->bindTime(clock_->now()), use(id), now;
  });
}

void SqlCrashStore::markDeliveredMany(const std::vector<std::int64_t>& outboxIds) {
  if (outboxIds.empty()) return;
  backend_->withSession("mark " + std::to_string(outboxIds.size()) + " outbox items delivered", [&](Session& session) {
    session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` IN (" +
                   idList(outboxIds) + ")",
        backend_->bindTime(clock_->now()), now;
  });
}

void SqlCrashStore::markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                               const std::string& error) {
  backend_->withSession("mark outbox " + std::to_string(outboxId) + " failed", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string lastError = fitText(error.empty() ? "unknown error" : error, kTextChars);
    session << "UPDATE `podmon_outbox` SET `next_attempt_at` = ?, `last_error` = ? "
               "WHERE `id` = ? AND `state` = 'pending'",
        backend_->bindTime(nextAttemptAt), use(lastError), use(id), now;
  });
}

void SqlCrashStore::markDead(std::int64_t outboxId, const std::string& reason) {
  backend_->withSession("mark outbox " + std::to_string(outboxId) + " dead", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string lastError = fitText(reason.empty() ? "given up" : reason, kTextChars);
    session << "UPDATE `podmon_outbox` SET `state` = 'dead', `last_error` = ? WHERE `id` = ?", use(lastError),
        use(id), now;
  });
}

std::vector<OutboxStats> SqlCrashStore::outboxStats() {
  return backend_->withSession("read outbox stats", [&](Session& session) {
    const auto at = clock_->now();
    std::string sinkName;
    Poco::Int64 pending = 0, failed = 0, dead = 0;
    SqlTime oldest;
    Statement select(session);
    // MySQL's SUM is a DECIMAL, cast to read it as an integer. SQLite reads the type name SIGNED
    // as NUMERIC, which leaves its integer sums as they are.
    select << "SELECT `sink`, CAST(SUM(`state` = 'pending') AS SIGNED), "
              "CAST(SUM(`state` = 'pending' AND `last_error` IS NOT NULL) AS SIGNED), "
              "CAST(SUM(`state` = 'dead') AS SIGNED), MIN(CASE WHEN `state` = 'pending' THEN `created_at` END) "
              "FROM `podmon_outbox` GROUP BY `sink` ORDER BY `sink`",
        into(sinkName), into(pending), into(failed), into(dead), backend_->intoTime(oldest);
    std::vector<OutboxStats> stats;
    for (Sink sink : options_.outboxSinks) stats.push_back(OutboxStats{sink, 0, 0, 0, std::nullopt});
    forEachRow(select, [&] {
      const auto sink = parseSink(sinkName);
      if (!sink) return;
      auto it = std::find_if(stats.begin(), stats.end(), [&](const OutboxStats& s) { return s.sink == *sink; });
      if (it == stats.end()) it = stats.insert(stats.end(), OutboxStats{*sink, 0, 0, 0, std::nullopt});
      it->pending = pending;
      it->failed = failed;
      it->dead = dead;
      if (const auto oldestPending = oldest.get()) it->oldestPendingAge = at - *oldestPending;
    });
    return stats;
  });
}

// --- routes and ignores ---

std::optional<std::string> SqlCrashStore::findRoute(const std::string& cluster, const std::string& namespace_) {
  return backend_->withSession("find route for " + namespace_, [&](Session& session) {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    std::vector<std::string> patterns, channels;
    session << "SELECT `namespace`, `slack_channel` FROM `k8s_pod_crash_notify` "
               "WHERE `clustername` = ? AND (`namespace` = ? OR `namespace` LIKE '%*%')",
        use(clusterName), use(namespaceName), into(patterns), into(channels), now;
    const auto best = bestRouteIndex(patterns, namespace_);
    return best ? std::optional<std::string>(channels[*best]) : std::nullopt;
  });
}

bool SqlCrashStore::isIgnored(const std::string& cluster, const std::string& namespace_,
                              const std::string& container) {
  return backend_->withSession("check ignore for " + namespace_ + "/" + container, [&](Session& session) {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    std::string containerName = container;
    std::vector<std::string> namespaces, containers;
    session << "SELECT `namespace`, `containername` FROM `k8s_crash_ignore_notify` WHERE `clustername` = ? "
               "AND (`namespace` = ? OR `namespace` LIKE '%*%') AND (`containername` = ? OR `containername` LIKE '%*%')",
        use(clusterName), use(namespaceName), use(containerName), into(namespaces), into(containers), now;
    return anyIgnoreMatches(namespaces, containers, namespace_, container);
  });
}

std::vector<NotifyRoute> SqlCrashStore::listRoutes(const std::string& cluster) {
  return backend_->withSession("list routes", [&](Session& session) {
    std::string clusterName = cluster;
    std::vector<std::string> clusters, namespaces, channels;
    session << "SELECT `clustername`, `namespace`, `slack_channel` FROM `k8s_pod_crash_notify` "
               "WHERE ? = '' OR `clustername` = ? ORDER BY `clustername`, `namespace`",
        use(clusterName), use(clusterName), into(clusters), into(namespaces), into(channels), now;
    std::vector<NotifyRoute> routes;
    for (std::size_t i = 0; i < clusters.size(); ++i) routes.push_back({clusters[i], namespaces[i], channels[i]});
    return routes;
  });
}

void SqlCrashStore::setRoute(const NotifyRoute& route) {
  requireName(route.clusterName, "route cluster");
  requireName(route.namespace_, "route namespace");
  requireName(route.slackChannel, "route slack channel");
  backend_->withSession("set route for " + route.namespace_, [&](Session& session) {
    std::string clusterName = fitText(route.clusterName, kRuleChars);
    std::string namespaceName = fitText(route.namespace_, kRuleChars);
    std::string channel = fitText(route.slackChannel, kRuleChars);
    session << "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) VALUES (?, ?, ?)" +
                   backend_->onDuplicateUpdate({"clustername", "namespace"},
                                               "`slack_channel` = " + backend_->inserted("slack_channel")),
        use(clusterName), use(namespaceName), use(channel), now;
  });
}

bool SqlCrashStore::removeRoute(const std::string& cluster, const std::string& namespace_) {
  return backend_->withSession("remove route for " + namespace_, [&](Session& session) {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    Statement del(session);
    del << "DELETE FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?", use(clusterName),
        use(namespaceName);
    return del.execute() > 0;
  });
}

std::vector<IgnoreRule> SqlCrashStore::listIgnores(const std::string& cluster) {
  return backend_->withSession("list ignores", [&](Session& session) {
    std::string clusterName = cluster;
    std::vector<std::string> clusters, namespaces, containers;
    session << "SELECT `clustername`, `namespace`, `containername` FROM `k8s_crash_ignore_notify` "
               "WHERE ? = '' OR `clustername` = ? ORDER BY `clustername`, `namespace`, `containername`",
        use(clusterName), use(clusterName), into(clusters), into(namespaces), into(containers), now;
    std::vector<IgnoreRule> rules;
    for (std::size_t i = 0; i < clusters.size(); ++i) rules.push_back({clusters[i], namespaces[i], containers[i]});
    return rules;
  });
}

bool SqlCrashStore::addIgnore(const IgnoreRule& rule) {
  requireName(rule.clusterName, "ignore cluster");
  requireName(rule.namespace_, "ignore namespace");
  requireName(rule.containerName, "ignore container");
  return backend_->withSession("add ignore for " + rule.namespace_ + "/" + rule.containerName, [&](Session& session) {
    std::string clusterName = fitText(rule.clusterName, kRuleChars);
    std::string namespaceName = fitText(rule.namespace_, kRuleChars);
    std::string containerName = fitText(rule.containerName, kRuleChars);
    Statement insert(session);
    insert << "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) VALUES (?, ?, ?)" +
                  backend_->onDuplicateIgnore({"clustername", "namespace", "containername"}),
        use(clusterName), use(namespaceName), use(containerName);
    return insert.execute() == 1;
  });
}

bool SqlCrashStore::removeIgnore(const IgnoreRule& rule) {
  const std::string what = "remove ignore for " + rule.namespace_ + "/" + rule.containerName;
  return backend_->withSession(what, [&](Session& session) {
    std::string clusterName = rule.clusterName;
    std::string namespaceName = rule.namespace_;
    std::string containerName = rule.containerName;
    Statement del(session);
    del << "DELETE FROM `k8s_crash_ignore_notify` WHERE `clustername` = ? AND `namespace` = ? AND "
           "`containername` = ?",
        use(clusterName), use(namespaceName), use(containerName);
    return del.execute() > 0;
  });
}

}  // namespace podmon::store
