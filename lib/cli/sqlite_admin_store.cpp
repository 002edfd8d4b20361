#include "cli/sqlite_admin_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <utility>

#include "store/crash_columns.h"
#include "store/utf8_text.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::cli {

namespace {

using NString = Poco::Nullable<std::string>;

constexpr std::size_t kActorChars = 255;
constexpr std::size_t kTargetChars = 512;
constexpr std::size_t kClusterChars = 255;
constexpr std::size_t kValueChars = 16000;

NString nullable(const std::optional<std::string>& value) {
  if (!value) return NString();
  return NString(store::fitText(*value, kValueChars));
}

std::optional<std::string> optional(const NString& value) {
  if (value.isNull()) return std::nullopt;
  return value.value();
}

std::string ignoreTarget(const store::IgnoreRule& rule) { return rule.namespace_ + "/" + rule.containerName; }

}  // namespace

SqliteAdminStore::SqliteAdminStore(store::SqliteDatabase::Ptr database, Clock::Ptr clock)
    : database_(std::move(database)), clock_(std::move(clock)) {}

void SqliteAdminStore::insertAudit(Session& session, const AuditEntry& entry) {
  std::string at = store::columns::toSqliteTime(clock_->now());
  std::string actor = store::fitText(entry.actor, kActorChars);
  std::string action = entry.action;
  std::string cluster = store::fitText(entry.cluster, kClusterChars);
  std::string target = store::fitText(entry.target, kTargetChars);
  NString oldValue = nullable(entry.oldValue);
  NString newValue = nullable(entry.newValue);
  session << "INSERT INTO `podmon_audit` (`at`, `actor`, `action`, `cluster`, `target`, `old_value`, `new_value`) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
      use(at), use(actor), use(action), use(cluster), use(target), use(oldValue), use(newValue), now;
}

RouteChange SqliteAdminStore::setRoute(const store::NotifyRoute& route, const std::string& actor) {
  return database_->inTransaction("set route for " + route.namespace_, [&](Session& session) {
    std::string cluster = route.clusterName;
    std::string namespaceName = route.namespace_;
    std::string channel = route.slackChannel;
    std::vector<std::string> old;
    session << "SELECT `slack_channel` FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?",
        use(cluster), use(namespaceName), into(old), now;
    RouteChange change;
    if (!old.empty()) change.previousChannel = old.front();
    if (change.previousChannel == channel) return change;
    session << "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) VALUES (?, ?, ?) "
               "ON CONFLICT (`clustername`, `namespace`) DO UPDATE SET `slack_channel` = excluded.`slack_channel`",
        use(cluster), use(namespaceName), use(channel), now;
    insertAudit(session, {0, {}, actor, "route.set", cluster, namespaceName, change.previousChannel, channel});
    change.changed = true;
    return change;
  });
}

std::optional<std::string> SqliteAdminStore::removeRoute(const std::string& cluster, const std::string& namespace_,
                                                         const std::string& actor) {
  return database_->inTransaction("remove route for " + namespace_,
                                  [&](Session& session) -> std::optional<std::string> {
                                    std::string clusterName = cluster;
                                    std::string namespaceName = namespace_;
                                    std::vector<std::string> old;
                                    session << "SELECT `slack_channel` FROM `k8s_pod_crash_notify` WHERE "
                                               "`clustername` = ? AND `namespace` = ?",
                                        use(clusterName), use(namespaceName), into(old), now;
                                    if (old.empty()) return std::nullopt;
                                    session << "DELETE FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND "
                                               "`namespace` = ?",
                                        use(clusterName), use(namespaceName), now;
                                    insertAudit(session, {0, {}, actor, "route.remove", clusterName, namespaceName,
                                                          old.front(), std::nullopt});
                                    return old.front();
                                  });
}

bool SqliteAdminStore::addIgnore(const store::IgnoreRule& rule, const std::string& actor) {
  return database_->inTransaction("add ignore for " + ignoreTarget(rule), [&](Session& session) {
    std::string cluster = rule.clusterName;
    std::string namespaceName = rule.namespace_;
    std::string container = rule.containerName;
    Statement insert(session);
    insert << "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) "
              "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        use(cluster), use(namespaceName), use(container);
    if (insert.execute() != 1) return false;
    insertAudit(session, {0, {}, actor, "ignore.add", cluster, ignoreTarget(rule), std::nullopt, "ignored"});
    return true;
  });
}

bool SqliteAdminStore::removeIgnore(const store::IgnoreRule& rule, const std::string& actor) {
  return database_->inTransaction("remove ignore for " + ignoreTarget(rule), [&](Session& session) {
    std::string cluster = rule.clusterName;
    std::string namespaceName = rule.namespace_;
    std::string container = rule.containerName;
    Statement del(session);
    del << "DELETE FROM `k8s_crash_ignore_notify` WHERE `clustername` = ? AND `namespace` = ? AND "
           "`containername` = ?",
        use(cluster), use(namespaceName), use(container);
    if (del.execute() == 0) return false;
    insertAudit(session, {0, {}, actor, "ignore.remove", cluster, ignoreTarget(rule), "ignored", std::nullopt});
    return true;
  });
}

std::int64_t SqliteAdminStore::retryDeadOutbox(std::optional<store::Sink> sink, const std::string& actor) {
  const std::string sinkName = sink ? store::toString(*sink) : "";
  return database_->inTransaction("retry dead outbox rows", [&](Session& session) -> std::int64_t {
    std::string name = sinkName;
    std::string due = store::columns::toSqliteTime(clock_->now());
    Statement update(session);
    update << "UPDATE `podmon_outbox` SET `state` = 'pending', `attempts` = 0, `next_attempt_at` = ? "
              "WHERE `state` = 'dead' AND (? = '' OR `sink` = ?)",
        use(due), use(name), use(name);
    const std::int64_t count = update.execute();
    if (count > 0) {
      insertAudit(session, {0, {}, actor, "outbox.retry", "", sinkName.empty() ? "*" : sinkName,
                            std::to_string(count) + " dead", "pending"});
    }
    return count;
  });
}

void SqliteAdminStore::recordAudit(const AuditEntry& entry) {
  database_->withSession("write audit row", [&](Session& session) { insertAudit(session, entry); });
}

std::vector<AuditEntry> SqliteAdminStore::listAudit(int limit) {
  return database_->withSession("list audit rows", [&](Session& session) {
    int rows = std::clamp(limit, 1, 100000);
    Poco::Int64 id = 0;
    std::string at, actor, action, cluster, target;
    NString oldValue, newValue;
    Statement select(session);
    select << "SELECT `id`, `at`, `actor`, `action`, `cluster`, `target`, `old_value`, `new_value` "
              "FROM `podmon_audit` ORDER BY `id` DESC LIMIT ?",
        use(rows), into(id), into(at), into(actor), into(action), into(cluster), into(target), into(oldValue),
        into(newValue), range(0, 1);
    std::vector<AuditEntry> entries;
    while (!select.done()) {
      if (select.execute() == 0) break;
      entries.push_back({id, store::columns::fromSqliteTime(at), actor, action, cluster, target, optional(oldValue),
                         optional(newValue)});
    }
    return entries;
  });
}

std::vector<FingerprintSummary> SqliteAdminStore::listFingerprints(const FingerprintQuery& query) {
  return database_->withSession("list crash fingerprints", [&](Session& session) {
    std::string cluster = query.cluster;
    std::string namespaceName = query.namespace_;
    std::string since = query.since ? store::columns::toSqliteTime(*query.since) : std::string();
    int rows = std::clamp(query.limit, 1, 100000);
    std::string sql =
        "SELECT f.`fingerprint`, f.`count`, f.`first_seen`, f.`last_seen`, "
        "(SELECT COUNT(*) FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` = f.`fingerprint`), "
        "(SELECT COUNT(DISTINCT p.`clustername`) FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` = f.`fingerprint`), "
        "f.`sample_reason`, f.`sample_exit_code`, f.`sample_image` FROM `podmon_fingerprints` f WHERE 1 = 1";
    if (!cluster.empty() || !namespaceName.empty()) {
      sql += " AND EXISTS (SELECT 1 FROM `podmon_fingerprint_pods` p WHERE p.`fingerprint` = f.`fingerprint`";
      if (!cluster.empty()) sql += " AND p.`clustername` = ?";
      if (!namespaceName.empty()) sql += " AND p.`namespace` = ?";
      sql += ")";
    }
    if (query.since) sql += " AND f.`last_seen` >= ?";
    sql += " ORDER BY f.`count` DESC, f.`last_seen` DESC, f.`fingerprint` LIMIT ?";
    std::string fingerprint, firstSeen, lastSeen;
    Poco::Int64 count = 0, pods = 0, clusters = 0;
    NString reason, image;
    Poco::Nullable<int> exitCode;
    Statement select(session);
    select << sql;
    if (!cluster.empty()) select, use(cluster);
    if (!namespaceName.empty()) select, use(namespaceName);
    if (query.since) select, use(since);
    select, use(rows), into(fingerprint), into(count), into(firstSeen), into(lastSeen), into(pods), into(clusters),
        into(reason), into(exitCode), into(image), range(0, 1);
    std::vector<FingerprintSummary> summaries;
    while (!select.done()) {
      if (select.execute() == 0) break;
      FingerprintSummary s;
      s.fingerprint = fingerprint;
      s.count = count;
      s.firstSeen = store::columns::fromSqliteTime(firstSeen);
      s.lastSeen = store::columns::fromSqliteTime(lastSeen);
      s.pods = pods;
      s.clusters = clusters;
      s.sampleReason = optional(reason).value_or("");
      if (!exitCode.isNull()) s.sampleExitCode = exitCode.value();
      s.sampleImage = optional(image).value_or("");
      summaries.push_back(std::move(s));
    }
    return summaries;
  });
}

}  // namespace podmon::cli
