#include "store/sql_notify_rule_source.h"

#include <Poco/Data/Session.h>

#include <utility>

#include "store/name_pattern.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;

namespace podmon::store {

namespace {

// A stored rule's cluster is the asked one ("" = all) as the matcher compares names.
bool ofCluster(const std::string& stored, const std::string& asked) {
  return asked.empty() || sameRuleName(stored, asked);
}

}  // namespace

SqlNotifyRuleSource::SqlNotifyRuleSource(SqlBackend::Ptr backend) : backend_(std::move(backend)) {}

std::vector<NotifyRoute> SqlNotifyRuleSource::listRoutes(const std::string& cluster) {
  return backend_->withSession("list routes", [&](Session& session) {
    std::vector<std::string> clusters, namespaces, channels;
    session << "SELECT `clustername`, `namespace`, `slack_channel` FROM `k8s_pod_crash_notify` "
               "ORDER BY `clustername`, `namespace`",
        into(clusters), into(namespaces), into(channels), now;
    std::vector<NotifyRoute> routes;
    for (std::size_t i = 0; i < clusters.size(); ++i) {
      if (ofCluster(clusters[i], cluster)) routes.push_back({clusters[i], namespaces[i], channels[i]});
    }
    return routes;
  });
}

std::vector<IgnoreRule> SqlNotifyRuleSource::listIgnores(const std::string& cluster) {
  return backend_->withSession("list ignores", [&](Session& session) {
    std::vector<std::string> clusters, namespaces, containers;
    session << "SELECT `clustername`, `namespace`, `containername` FROM `k8s_crash_ignore_notify` "
               "ORDER BY `clustername`, `namespace`, `containername`",
        into(clusters), into(namespaces), into(containers), now;
    std::vector<IgnoreRule> rules;
    for (std::size_t i = 0; i < clusters.size(); ++i) {
      if (ofCluster(clusters[i], cluster)) rules.push_back({clusters[i], namespaces[i], containers[i]});
    }
    return rules;
  });
}

}  // namespace podmon::store
