#include "store/sqlite_crash_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/errors.h"
#include "store/crash_columns.h"
#include "store/crash_key.h"
#include "store/name_pattern.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

using namespace columns;

namespace {
constexpr Dialect kDialect = Dialect::kSqlite;

// Counts a new crash into its fingerprint's row and pods, and stores the resulting history with
// the crash row, as MySqlCrashStore does. Runs inside recordCrash's BEGIN IMMEDIATE transaction,
// which holds the one write lock, so concurrent recorders count in turn.
FingerprintHistory recordFingerprint(Session& session, const CrashColumns& crash, std::int64_t crashId) {
  std::string fingerprint = crash.fingerprint.value();
  std::string seen = crash.dateText.value();
  Poco::Int64 id = crashId;
  NString reason = crash.reason;
  NInt exitCode = crash.exitCode;
  NString image = crash.image;
  session << "INSERT INTO `podmon_fingerprints` (`fingerprint`, `first_seen`, `last_seen`, `count`, `sample_crash_id`, "
             "`sample_reason`, `sample_exit_code`, `sample_image`) VALUES (?, ?, ?, 1, ?, ?, ?, ?) "
             "ON CONFLICT (`fingerprint`) DO UPDATE SET `count` = `count` + 1, "
             "`first_seen` = MIN(`first_seen`, excluded.`first_seen`), `last_seen` = MAX(`last_seen`, excluded.`last_seen`)",
      use(fingerprint), use(seen), use(seen), use(id), use(reason), use(exitCode), use(image), now;
  std::string cluster = crash.clusterName;
  std::string namespaceName = crash.namespace_;
  std::string pod = orEmpty(crash.podName);
  session << "INSERT INTO `podmon_fingerprint_pods` (`fingerprint`, `clustername`, `namespace`, `podname`, `first_seen`) "
             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (`fingerprint`, `clustername`, `namespace`, `podname`) DO UPDATE SET "
             "`first_seen` = MIN(`first_seen`, excluded.`first_seen`)",
      use(fingerprint), use(cluster), use(namespaceName), use(pod), use(seen), now;
  Poco::Int64 count = 0, pods = 0, clusters = 0;
  std::string firstSeen;
  session << "SELECT `count`, `first_seen` FROM `podmon_fingerprints` WHERE `fingerprint` = ?", use(fingerprint),
      into(count), into(firstSeen), now;
  session << "SELECT COUNT(*), COUNT(DISTINCT `clustername`) FROM `podmon_fingerprint_pods` WHERE `fingerprint` = ?",
      use(fingerprint), into(pods), into(clusters), now;
  session << "UPDATE `k8s_pod_crash` SET `fingerprint_count` = ?, `fingerprint_first_seen` = ?, `fingerprint_pods` = ?, "
             "`fingerprint_clusters` = ? WHERE `id` = ?",
      use(count), use(firstSeen), use(pods), use(clusters), use(id), now;
  FingerprintHistory history;
  history.count = count;
  history.firstSeen = fromSqliteTime(firstSeen);
  history.pods = pods;
  history.clusters = clusters;
  return history;
}

}  // namespace

SqliteCrashStore::SqliteCrashStore(SqliteDatabase::Ptr database, Clock::Ptr clock, CrashStoreOptions options)
    : database_(std::move(database)), clock_(std::move(clock)), options_(std::move(options)) {}

std::size_t SqliteCrashStore::logsReadChars() const { return std::max(options_.maxLogBytes, kMinLogsReadChars); }

void SqliteCrashStore::fault(std::string_view step) const {
  if (faultHook_) faultHook_(step);
}

void SqliteCrashStore::migrate() { lastApplied_ = database_->migrate(*clock_); }

// --- container state ---

std::vector<ContainerState> SqliteCrashStore::loadContainerStates(const std::string& cluster) {
  return database_->withSession("load container states", [&](Session& session) {
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

void SqliteCrashStore::upsertState(Session& session, const std::string& cluster, const ContainerState& state) {
  std::string clusterName = fitText(cluster, kMonitorClusterChars);
  std::string namespaceName = fitText(state.namespace_, kMonitorNamespaceChars);
  std::string podName = fitText(state.podName, kMonitorNameChars);
  std::string containerName = fitText(state.containerName, kMonitorNameChars);
  int restartCount = state.restartCount;
  Poco::Int64 editedAt =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  NString podUid = nullIfEmpty(state.podUid, kUidChars);
  NString containerId = nullIfEmpty(state.containerId, kMonitorNameChars);
  // Same pod: the count never goes back (a late crash must not undo a newer baseline). Another
  // pod under the same name (recreated): its count replaces the old one. In SQLite's upsert every
  // right-hand side reads the old row, so the order of the assignments does not matter.
  session << "INSERT INTO `k8s_crash_monitor` (`clustername`, `namespace`, `podname`, `containername`, "
             "`restartcount`, `retries`, `edited_at`, `pod_uid`, `container_id`) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) "
             "ON CONFLICT (`clustername`, `namespace`, `podname`, `containername`) DO UPDATE SET "
             "`restartcount` = CASE WHEN `pod_uid` IS excluded.`pod_uid` "
             "THEN MAX(COALESCE(`restartcount`, 0), excluded.`restartcount`) ELSE excluded.`restartcount` END, "
             "`container_id` = CASE WHEN `pod_uid` IS excluded.`pod_uid` "
             "THEN COALESCE(excluded.`container_id`, `container_id`) ELSE excluded.`container_id` END, "
             "`retries` = 0, `edited_at` = excluded.`edited_at`, `pod_uid` = excluded.`pod_uid`",
      use(clusterName), use(namespaceName), use(podName), use(containerName), use(restartCount), use(editedAt),
      use(podUid), use(containerId), now;
}

void SqliteCrashStore::saveBaseline(const std::string& cluster, const ContainerState& state) {
  database_->withSession("save baseline of " + state.namespace_ + "/" + state.podName + "/" + state.containerName,
                         [&](Session& session) { upsertState(session, cluster, state); });
}

int SqliteCrashStore::deletePodStates(const std::string& cluster, const std::string& namespace_,
                                      const std::string& podName) {
  return database_->withSession("delete states of " + namespace_ + "/" + podName, [&](Session& session) {
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

RecordResult SqliteCrashStore::recordCrash(const CrashRecord& crash) {
  const auto& e = crash.event;
  const std::string key = crashKey(e);
  CrashColumns columns = CrashColumns::from(crash, key, options_.maxLogBytes, clock_->now());
  const ContainerState state{e.namespace_, e.podName, e.containerName, e.podUid, e.restartCount, e.containerId};
  const std::string what = "record crash of " + e.namespace_ + "/" + e.podName + "/" + e.containerName +
                           " (restart " + std::to_string(e.restartCount) + ")";
  return database_->inTransaction(what, [&](Session& session) {
    RecordResult result;
    result.crashKey = key;
    Statement insert(session);
    insert << std::string("INSERT INTO `k8s_pod_crash` (") + CrashColumns::kInsertColumns + ") VALUES (" +
                  CrashColumns::kInsertPlaceholders + ") ON CONFLICT (`crash_key`) DO NOTHING";
    columns.bindInsert(insert, kDialect);
    const std::size_t affected = insert.execute();
    Poco::Int64 id = 0;
    std::string crashKeyText = key;
    if (affected == 1) {
      session << "SELECT last_insert_rowid()", into(id), now;
    } else {
      session << "SELECT `id` FROM `k8s_pod_crash` WHERE `crash_key` = ?", use(crashKeyText), into(id), now;
    }
    result.isNew = affected == 1;
    result.id = id;
    fault("crash_inserted");

    upsertState(session, e.clusterName, state);
    fault("state_saved");

    if (result.isNew && !e.labels.empty()) {
      std::string labelsJson = labelsToJson(e.labels);
      session << "INSERT OR IGNORE INTO `podmon_crash_labels` (`crash_id`, `labels`) VALUES (?, ?)", use(id),
          use(labelsJson), now;
    }

    if (result.isNew && !columns.fingerprint.isNull()) {
      fault("fingerprint_updating");
      result.fingerprintHistory = recordFingerprint(session, columns, id);
    }

    if (result.isNew) {
      fault("outbox_inserting");
      std::string createdAt = toSqliteTime(clock_->now());
      for (Sink sink : options_.outboxSinks) {
        std::string sinkName = toString(sink);
        session << "INSERT INTO `podmon_outbox` (`crash_id`, `sink`, `state`, `attempts`, `next_attempt_at`, "
                   "`created_at`) VALUES (?, ?, 'pending', 0, ?, ?)",
            use(id), use(sinkName), use(createdAt), use(createdAt), now;
      }
    }
    return result;
  });
}

std::vector<StoredCrash> SqliteCrashStore::listRecentCrashes(const CrashQuery& query) {
  return database_->withSession("list recent crashes", [&](Session& session) {
    std::string cluster = query.clusterName;
    std::string namespaceName = query.namespace_;
    std::string since = query.since ? toSqliteTime(*query.since) : std::string();
    int limit = std::clamp(query.limit, 1, 10000);
    std::string sql = "SELECT " + CrashColumns::selectList(0, kDialect) + " FROM `k8s_pod_crash` c WHERE 1 = 1";
    if (!cluster.empty()) sql += " AND c.`clustername` = ?";
    if (!namespaceName.empty()) sql += " AND c.`namespace` = ?";
    if (query.since) sql += " AND c.`date` >= ?";
    sql += " ORDER BY c.`date` DESC, c.`id` DESC LIMIT ?";
    CrashColumns row;
    Statement select(session);
    select << sql;
    if (!cluster.empty()) select, use(cluster);
    if (!namespaceName.empty()) select, use(namespaceName);
    if (query.since) select, use(since);
    select, use(limit);
    row.bindInto(select, false, kDialect);
    std::vector<StoredCrash> crashes;
    forEachRow(select, [&] {
      row.timesFromText();
      crashes.push_back(row.toStored());
    });
    return crashes;
  });
}

std::optional<StoredCrash> SqliteCrashStore::getOne(const std::string& what, const std::string& whereColumn,
                                                    const std::string& keyText, std::int64_t keyId) {
  return database_->withSession(what, [&](Session& session) {
    std::string text = keyText;
    Poco::Int64 id = keyId;
    CrashColumns row;
    Statement select(session);
    select << "SELECT " + CrashColumns::selectList(logsReadChars(), kDialect) + " FROM `k8s_pod_crash` c WHERE c.`" +
                  whereColumn + "` = ?";
    if (whereColumn == "id") {
      select, use(id);
    } else {
      select, use(text);
    }
    row.bindInto(select, true, kDialect);
    std::optional<StoredCrash> found;
    forEachRow(select, [&] {
      row.timesFromText();
      found = row.toStored();
    });
    return found;
  });
}

std::optional<StoredCrash> SqliteCrashStore::getCrash(std::int64_t id) {
  return getOne("get crash " + std::to_string(id), "id", "", id);
}

std::optional<StoredCrash> SqliteCrashStore::getCrashByKey(const std::string& crashKey) {
  return getOne("get crash " + crashKey, "crash_key", crashKey, 0);
}

// --- outbox ---

std::vector<OutboxItem> SqliteCrashStore::claimOutbox(Sink sink, int limit, std::chrono::system_clock::duration lease) {
  const std::string sinkName = toString(sink);
  const auto claimedAt = clock_->now();
  // BEGIN IMMEDIATE holds the one write lock from the select to the update: no other claim (in
  // this process or another) can take the same rows.
  std::vector<Poco::Int64> ids = database_->inTransaction("claim " + sinkName + " outbox", [&](Session& session) {
    std::string name = sinkName;
    std::string due = toSqliteTime(claimedAt);
    std::string leaseUntil = toSqliteTime(claimedAt + lease);
    int rows = std::clamp(limit, 1, 1000);
    std::vector<Poco::Int64> dueIds;
    session << "SELECT `id` FROM `podmon_outbox` WHERE `sink` = ? AND `state` = 'pending' AND "
               "`next_attempt_at` <= ? ORDER BY `next_attempt_at`, `id` LIMIT ?",
        use(name), use(due), use(rows), into(dueIds), now;
    if (!dueIds.empty()) {
      session << "UPDATE `podmon_outbox` SET `attempts` = `attempts` + 1, `next_attempt_at` = ? WHERE `id` IN (" +
                     idList(dueIds) + ")",
          use(leaseUntil), now;
    }
    return dueIds;
  });
  if (ids.empty()) return {};
  std::vector<OutboxItem> items = database_->withSession("load claimed " + sinkName + " outbox", [&](Session& session) {
    Poco::Int64 outboxId = 0;
    int attempts = 0;
    std::string createdAt;
    CrashColumns row;
    Statement select(session);
    select << "SELECT o.`id`, o.`attempts`, o.`created_at`, " + CrashColumns::selectList(logsReadChars(), kDialect) +
                  " FROM `podmon_outbox` o JOIN `k8s_pod_crash` c ON c.`id` = o.`crash_id` WHERE o.`id` IN (" +
                  idList(ids) + ") ORDER BY o.`created_at`, o.`id`",
        into(outboxId), into(attempts), into(createdAt);
    row.bindInto(select, true, kDialect);
    std::vector<OutboxItem> loaded;
    forEachRow(select, [&] {
      row.timesFromText();
      OutboxItem item;
      item.id = outboxId;
      item.sink = sink;
      item.attempts = attempts;
      item.createdAt = fromSqliteTime(createdAt);
      item.crash = row.toStored();
      loaded.push_back(std::move(item));
    });
    return loaded;
  });
  for (auto id : ids) {
    const bool found = std::any_of(items.begin(), items.end(), [&](const OutboxItem& i) { return i.id == id; });
    if (!found) markDead(id, "the crash row no longer exists");
  }
  return items;
}

void SqliteCrashStore::markDelivered(std::int64_t outboxId) {
  database_->withSession("mark outbox " + std::to_string(outboxId) + " delivered", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string deliveredAt = toSqliteTime(clock_->now());
    session << "UPDATE `podmon_outbox` SET `state` = 'done', `delivered_at` = ? WHERE `id` = ?", use(deliveredAt),
        use(id), now;
  });
}

void SqliteCrashStore::markFailed(std::int64_t outboxId, std::chrono::system_clock::time_point nextAttemptAt,
                                  const std::string& error) {
  database_->withSession("mark outbox " + std::to_string(outboxId) + " failed", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string next = toSqliteTime(nextAttemptAt);
    std::string lastError = fitText(error.empty() ? "unknown error" : error, kTextChars);
    session << "UPDATE `podmon_outbox` SET `next_attempt_at` = ?, `last_error` = ? "
               "WHERE `id` = ? AND `state` = 'pending'",
        use(next), use(lastError), use(id), now;
  });
}

void SqliteCrashStore::markDead(std::int64_t outboxId, const std::string& reason) {
  database_->withSession("mark outbox " + std::to_string(outboxId) + " dead", [&](Session& session) {
    Poco::Int64 id = outboxId;
    std::string lastError = fitText(reason.empty() ? "given up" : reason, kTextChars);
    session << "UPDATE `podmon_outbox` SET `state` = 'dead', `last_error` = ? WHERE `id` = ?", use(lastError),
        use(id), now;
  });
}

std::vector<OutboxStats> SqliteCrashStore::outboxStats() {
  return database_->withSession("read outbox stats", [&](Session& session) {
    const auto at = clock_->now();
    std::vector<std::string> sinks, oldest;
    std::vector<Poco::Int64> pending, failed, dead;
    session << "SELECT `sink`, SUM(`state` = 'pending'), SUM(`state` = 'pending' AND `last_error` IS NOT NULL), "
               "SUM(`state` = 'dead'), COALESCE(MIN(CASE WHEN `state` = 'pending' THEN `created_at` END), '') "
               "FROM `podmon_outbox` GROUP BY `sink` ORDER BY `sink`",
        into(sinks), into(pending), into(failed), into(dead), into(oldest), now;
    std::vector<OutboxStats> stats;
    for (Sink sink : options_.outboxSinks) stats.push_back(OutboxStats{sink, 0, 0, 0, std::nullopt});
    for (std::size_t i = 0; i < sinks.size(); ++i) {
      const auto sink = parseSink(sinks[i]);
      if (!sink) continue;
      auto it = std::find_if(stats.begin(), stats.end(), [&](const OutboxStats& s) { return s.sink == *sink; });
      if (it == stats.end()) it = stats.insert(stats.end(), OutboxStats{*sink, 0, 0, 0, std::nullopt});
      it->pending = pending[i];
      it->failed = failed[i];
      it->dead = dead[i];
      if (!oldest[i].empty()) it->oldestPendingAge = at - fromSqliteTime(oldest[i]);
    }
    return stats;
  });
}

// --- routes and ignores ---

std::optional<std::string> SqliteCrashStore::findRoute(const std::string& cluster, const std::string& namespace_) {
  return database_->withSession("find route for " + namespace_, [&](Session& session) {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    std::vector<std::string> patterns, channels;
    session << "SELECT `namespace`, `slack_channel` FROM `k8s_pod_crash_notify` "
               "WHERE `clustername` = ? AND (`namespace` = ? OR instr(`namespace`, '*') > 0)",
        use(clusterName), use(namespaceName), into(patterns), into(channels), now;
    const auto best = bestRouteIndex(patterns, namespace_);
    return best ? std::optional<std::string>(channels[*best]) : std::nullopt;
  });
}

bool SqliteCrashStore::isIgnored(const std::string& cluster, const std::string& namespace_,
                                 const std::string& container) {
  return database_->withSession("check ignore for " + namespace_ + "/" + container, [&](Session& session) {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    std::string containerName = container;
    std::vector<std::string> namespaces, containers;
    session << "SELECT `namespace`, `containername` FROM `k8s_crash_ignore_notify` WHERE `clustername` = ? "
               "AND (`namespace` = ? OR instr(`namespace`, '*') > 0) "
               "AND (`containername` = ? OR instr(`containername`, '*') > 0)",
        use(clusterName), use(namespaceName), use(containerName), into(namespaces), into(containers), now;
    return anyIgnoreMatches(namespaces, containers, namespace_, container);
  });
}

std::vector<NotifyRoute> SqliteCrashStore::listRoutes(const std::string& cluster) {
  return database_->withSession("list routes", [&](Session& session) {
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

void SqliteCrashStore::setRoute(const NotifyRoute& route) {
  requireName(route.clusterName, "route cluster");
  requireName(route.namespace_, "route namespace");
  requireName(route.slackChannel, "route slack channel");
  database_->withSession("set route for " + route.namespace_, [&](Session& session) {
    std::string clusterName = fitText(route.clusterName, kRuleChars);
    std::string namespaceName = fitText(route.namespace_, kRuleChars);
    std::string channel = fitText(route.slackChannel, kRuleChars);
    session << "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) VALUES (?, ?, ?) "
               "ON CONFLICT (`clustername`, `namespace`) DO UPDATE SET `slack_channel` = excluded.`slack_channel`",
        use(clusterName), use(namespaceName), use(channel), now;
  });
}

bool SqliteCrashStore::removeRoute(const std::string& cluster, const std::string& namespace_) {
  return database_->withSession("remove route for " + namespace_, [&](Session& session) {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    Statement del(session);
    del << "DELETE FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?", use(clusterName),
        use(namespaceName);
    return del.execute() > 0;
  });
}

std::vector<IgnoreRule> SqliteCrashStore::listIgnores(const std::string& cluster) {
  return database_->withSession("list ignores", [&](Session& session) {
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

bool SqliteCrashStore::addIgnore(const IgnoreRule& rule) {
  requireName(rule.clusterName, "ignore cluster");
  requireName(rule.namespace_, "ignore namespace");
  requireName(rule.containerName, "ignore container");
  return database_->withSession("add ignore for " + rule.namespace_ + "/" + rule.containerName, [&](Session& session) {
    std::string clusterName = fitText(rule.clusterName, kRuleChars);
    std::string namespaceName = fitText(rule.namespace_, kRuleChars);
    std::string containerName = fitText(rule.containerName, kRuleChars);
    Statement insert(session);
    insert << "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) "
              "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        use(clusterName), use(namespaceName), use(containerName);
    return insert.execute() == 1;
  });
}

bool SqliteCrashStore::removeIgnore(const IgnoreRule& rule) {
  return database_->withSession("remove ignore for " + rule.namespace_ + "/" + rule.containerName,
                                [&](Session& session) {
                                  std::string clusterName = rule.clusterName;
                                  std::string namespaceName = rule.namespace_;
                                  std::string containerName = rule.containerName;
                                  Statement del(session);
                                  del << "DELETE FROM `k8s_crash_ignore_notify` WHERE `clustername` = ? AND "
                                         "`namespace` = ? AND `containername` = ?",
                                      use(clusterName), use(namespaceName), use(containerName);
                                  return del.execute() > 0;
                                });
}

}  // namespace podmon::store
