#include "store/sql_admin_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <utility>

#include "store/audit_rows.h"
#include "store/crash_columns.h"
#include "store/name_pattern.h"
#include "store/sql_time.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace podmon::store {

namespace {

using NString = Poco::Nullable<std::string>;

std::optional<std::string> optional(const NString& value) {
  if (value.isNull()) return std::nullopt;
  return value.value();
}

std::string ignoreTarget(const IgnoreRule& rule) { return rule.namespace_ + "/" + rule.containerName; }

}  // namespace

SqlAdminStore::SqlAdminStore(SqlBackend::Ptr backend, Clock::Ptr clock)
    : backend_(std::move(backend)), clock_(std::move(clock)) {}

void SqlAdminStore::insertAudit(Session& session, const AuditEntry& entry) {
  audit_rows::insert(session, *backend_, entry, clock_->now());
}

std::vector<NotifyRoute> SqlAdminStore::sameRoutes(Session& session, const std::string& cluster,
                                                   const std::string& namespace_) {
  std::vector<std::string> clusters, namespaces, channels;
  session << "SELECT `clustername`, `namespace`, `slack_channel` FROM `k8s_pod_crash_notify` "
             "ORDER BY `clustername`, `namespace`, `slack_channel`" +
                 backend_->forUpdate(),
      into(clusters), into(namespaces), into(channels), now;
  std::vector<NotifyRoute> same;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (sameRuleName(clusters[i], cluster) && sameRuleName(namespaces[i], namespace_)) {
      same.push_back({clusters[i], namespaces[i], channels[i]});
    }
  }
  return same;
}

std::vector<IgnoreRule> SqlAdminStore::sameIgnores(Session& session, const IgnoreRule& rule) {
  std::vector<std::string> clusters, namespaces, containers;
  session << "SELECT `clustername`, `namespace`, `containername` FROM `k8s_crash_ignore_notify` "
             "ORDER BY `clustername`, `namespace`, `containername`" +
                 backend_->forUpdate(),
      into(clusters), into(namespaces), into(containers), now;
  std::vector<IgnoreRule> same;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (sameRuleName(clusters[i], rule.clusterName) && sameRuleName(namespaces[i], rule.namespace_) &&
        sameRuleName(containers[i], rule.containerName)) {
      same.push_back({clusters[i], namespaces[i], containers[i]});
    }
  }
  return same;
}

RouteChange SqlAdminStore::setRoute(const NotifyRoute& route, const std::string& actor) {
  columns::requireName(route.clusterName, "route cluster");
  columns::requireName(route.namespace_, "route namespace");
  columns::requireName(route.slackChannel, "route slack channel");
  return backend_->inTransaction("set route for " + route.namespace_, [&](Session& session) {
    const auto same = sameRoutes(session, route.clusterName, route.namespace_);
    RouteChange change;
    change.stored = route;
    if (same.empty()) {
      std::string cluster = route.clusterName, namespaceName = route.namespace_, channel = route.slackChannel;
      session << "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) VALUES (?, ?, ?)" +
                     backend_->onDuplicateUpdate({"clustername", "namespace"},
                                                 "`slack_channel` = " + backend_->inserted("slack_channel")),
          use(cluster), use(namespaceName), use(channel), now;
      insertAudit(session, {0, {}, actor, "route.set", cluster, namespaceName, std::nullopt, channel});
      change.changed = true;
      return change;
    }
    // The channel the daemon uses now: of rows that differ only by case, the first channel.
    change.previousChannel = std::min_element(same.begin(), same.end(), [](const auto& a, const auto& b) {
                               return a.slackChannel < b.slackChannel;
                             })->slackChannel;
    change.stored = {same.front().clusterName, same.front().namespace_, route.slackChannel};
    for (const auto& row : same) {
      if (row.slackChannel == route.slackChannel) continue;
      std::string cluster = row.clusterName, namespaceName = row.namespace_, channel = route.slackChannel;
      session << "UPDATE `k8s_pod_crash_notify` SET `slack_channel` = ? WHERE `clustername` = ? AND `namespace` = ?",
          use(channel), use(cluster), use(namespaceName), now;
      insertAudit(session, {0, {}, actor, "route.set", cluster, namespaceName, row.slackChannel, channel});
      change.changed = true;
    }
    return change;
  });
}

std::optional<std::string> SqlAdminStore::removeRoute(const std::string& cluster, const std::string& namespace_,
                                                      const std::string& actor) {
  return backend_->inTransaction("remove route for " + namespace_, [&](Session& session) -> std::optional<std::string> {
    const auto same = sameRoutes(session, cluster, namespace_);
    if (same.empty()) return std::nullopt;
    std::optional<std::string> removed;
    for (const auto& row : same) {
      std::string clusterName = row.clusterName, namespaceName = row.namespace_;
      session << "DELETE FROM `k8s_pod_crash_notify` WHERE `clustername` = ? AND `namespace` = ?", use(clusterName),
          use(namespaceName), now;
      insertAudit(session, {0, {}, actor, "route.remove", clusterName, namespaceName, row.slackChannel, std::nullopt});
      if (!removed || row.slackChannel < *removed) removed = row.slackChannel;  // the one that was in use
    }
    return removed;
  });
}

bool SqlAdminStore::addIgnore(const IgnoreRule& rule, const std::string& actor) {
  columns::requireName(rule.clusterName, "ignore cluster");
  columns::requireName(rule.namespace_, "ignore namespace");
  columns::requireName(rule.containerName, "ignore container");
  return backend_->inTransaction("add ignore for " + ignoreTarget(rule), [&](Session& session) {
    if (!sameIgnores(session, rule).empty()) return false;
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

bool SqlAdminStore::removeIgnore(const IgnoreRule& rule, const std::string& actor) {
  return backend_->inTransaction("remove ignore for " + ignoreTarget(rule), [&](Session& session) {
    const auto same = sameIgnores(session, rule);
    for (const auto& row : same) {
      std::string cluster = row.clusterName;
      std::string namespaceName = row.namespace_;
      std::string container = row.containerName;
      session << "DELETE FROM `k8s_crash_ignore_notify` WHERE `clustername` = ? AND `namespace` = ? AND "
                 "`containername` = ?",
          use(cluster), use(namespaceName), use(container), now;
      insertAudit(session, {0, {}, actor, "ignore.remove", cluster, ignoreTarget(row), "ignored", std::nullopt});
    }
    return !same.empty();
  });
}

void SqlAdminStore::recordAudit(const AuditEntry& entry) {
  backend_->withSession("write audit row", [&](Session& session) { insertAudit(session, entry); });
}

std::vector<AuditEntry> SqlAdminStore::listAudit(int limit) {
  return backend_->withSession("list audit rows", [&](Session& session) {
    int rows = std::clamp(limit, 1, 100000);
    Poco::Int64 id = 0;
    SqlTime at;
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

}  // namespace podmon::store
