#include "cli/sql_admin_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <utility>

#include "store/sql_time.h"
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

SqlAdminStore::SqlAdminStore(store::SqlBackend::Ptr backend, Clock::Ptr clock)
    : backend_(std::move(backend)), clock_(std::move(clock)) {}

void SqlAdminStore::insertAudit(Session& session, const AuditEntry& entry) {
  std::string actor = store::fitText(entry.actor, kActorChars);
  std::string action = entry.action;
  std::string cluster = store::fitText(entry.cluster, kClusterChars);
  std::string target = store::fitText(entry.target, kTargetChars);
  NString oldValue = nullable(entry.oldValue);
  NString newValue = nullable(entry.newValue);
  session << "INSERT INTO `podmon_audit` (`at`, `actor`, `action`, `cluster`, `target`, `old_value`, `new_value`) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
      backend_->bindTime(clock_->now()), use(actor), use(action), use(cluster), use(target), use(oldValue),
      use(newValue), now;
}

RouteChange SqlAdminStore::setRoute(const store::NotifyRoute& route, const std::string& actor) {
  return backend_->inTransaction("set route for " + route.namespace_, [&](Session& session) {
    std::string cluster = route.clusterName;
    std::string namespaceName = route.namespace_;
    std::string channel = route.slackChannel;
    std::vector<std::string> old;
    session << "SELECT `slack_channel` FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?" +
                   backend_->forUpdate(),
        use(cluster), use(namespaceName), into(old), now;
    RouteChange change;
    if (!old.empty()) change.previousChannel = old.front();
    if (change.previousChannel == channel) return change;
    session << "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) VALUES (?, ?, ?)" +
                   backend_->onDuplicateUpdate({"clustername", "namespace"},
                                               "`slack_channel` = " + backend_->inserted("slack_channel")),
        use(cluster), use(namespaceName), use(channel), now;
    insertAudit(session, {0, {}, actor, "route.set", cluster, namespaceName, change.previousChannel, channel});
    change.changed = true;
    return change;
  });
}

std::optional<std::string> SqlAdminStore::removeRoute(const std::string& cluster, const std::string& namespace_,
                                                      const std::string& actor) {
  return backend_->inTransaction("remove route for " + namespace_, [&](Session& session) -> std::optional<std::string> {
    std::string clusterName = cluster;
    std::string namespaceName = namespace_;
    std::vector<std::string> old;
    session << "SELECT `slack_channel` FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?" +
                   backend_->forUpdate(),
        use(clusterName), use(namespaceName), into(old), now;
    if (old.empty()) return std::nullopt;
    session << "DELETE FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?", use(clusterName),
        use(namespaceName), now;
    insertAudit(session, {0, {}, actor, "route.remove", clusterName, namespaceName, old.front(), std::nullopt});
    return old.front();
  });
}

bool SqlAdminStore::addIgnore(const store::IgnoreRule& rule, const std::string& actor) {
  return backend_->inTransaction("add ignore for " + ignoreTarget(rule), [&](Session& session) {
    std::string cluster = rule.clusterName;
    std::string namespaceName = rule.namespace_;
    std::string container = rule.containerName;
    Statement insert(session);
    // Not INSERT IGNORE: that would also hide a bad value. A duplicate changes 0 rows.
    insert << "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) VALUES (?, ?, ?)" +
                  backend_->onDuplicateIgnore({"clustername", "namespace", "containername"}),
        use(cluster), use(namespaceName), use(container);
    if (insert.execute() != 1) return false;
    insertAudit(session, {0, {}, actor, "ignore.add", cluster, ignoreTarget(rule), std::nullopt, "ignored"});
    return true;
  });
}

bool SqlAdminStore::removeIgnore(const store::IgnoreRule& rule, const std::string& actor) {
  return backend_->inTransaction("remove ignore for " + ignoreTarget(rule), [&](Session& session) {
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

std::int64_t SqlAdminStore::retryDeadOutbox(std::optional<store::Sink> sink, const std::string& actor) {
  const std::string sinkName = sink ? store::toString(*sink) : "";
  return backend_->inTransaction("retry dead outbox rows", [&](Session& session) -> std::int64_t {
    std::string name = sinkName;
    Statement update(session);
    // last_error stays: it says why the row died, and marks the row as having failed before.
    update << "UPDATE `podmon_outbox` SET `state` = 'pending', `attempts` = 0, `next_attempt_at` = ? "
              "WHERE `state` = 'dead' AND (? = '' OR `sink` = ?)",
        backend_->bindTime(clock_->now()), use(name), use(name);
    const std::int64_t count = update.execute();
    if (count > 0) {
      insertAudit(session, {0, {}, actor, "outbox.retry", "", sinkName.empty() ? "*" : sinkName,
                            std::to_string(count) + " dead", "pending"});
    }
    return count;
  });
}

void SqlAdminStore::recordAudit(const AuditEntry& entry) {
  backend_->withSession("write audit row", [&](Session& session) { insertAudit(session, entry); });
}

std::vector<AuditEntry> SqlAdminStore::listAudit(int limit) {
  return backend_->withSession("list audit rows", [&](Session& session) {
    int rows = std::clamp(limit, 1, 100000);
    Poco::Int64 id = 0;
    store::SqlTime at;
    std::string actor, action, cluster, target;
    NString oldValue, newValue;
    Statement select(session);
    select << "SELECT `id`, `at`, `actor`, `action`, `cluster`, `target`, `old_value`, `new_value` "
              "FROM `podmon_audit` ORDER BY `id` DESC LIMIT ?",
        use(rows), into(id), backend_->intoTime(at), into(actor), into(action), into(cluster), into(target),
        into(oldValue), into(newValue), range(0, 1);
    std::vector<AuditEntry> entries;
    while (!select.done()) {
      if (select.execute() == 0) break;
      entries.push_back({id, at.value(), actor, action, cluster, target, optional(oldValue), optional(newValue)});
    }
    return entries;
  });
}

std::vector<FingerprintSummary> SqlAdminStore::listFingerprints(const FingerprintQuery& query) {
  return backend_->withSession("list crash fingerprints", [&](Session& session) {
    std::string cluster = query.cluster;
    std::string namespaceName = query.namespace_;
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
    std::string fingerprint;
    Poco::Int64 count = 0, pods = 0, clusters = 0;
    store::SqlTime firstSeen, lastSeen;
    NString reason, image;
    Poco::Nullable<int> exitCode;
    Statement select(session);
    select << sql;
    if (!cluster.empty()) select, use(cluster);
    if (!namespaceName.empty()) select, use(namespaceName);
    if (query.since) select, backend_->bindTime(*query.since);
    select, use(rows), into(fingerprint), into(count), backend_->intoTime(firstSeen), backend_->intoTime(lastSeen),
        into(pods), into(clusters), into(reason), into(exitCode), into(image), range(0, 1);
    std::vector<FingerprintSummary> summaries;
    while (!select.done()) {
      if (select.execute() == 0) break;
      FingerprintSummary s;
      s.fingerprint = fingerprint;
      s.count = count;
      s.firstSeen = firstSeen.value();
      s.lastSeen = lastSeen.value();
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
