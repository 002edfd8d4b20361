#include "notify/notify_rules.h"

#include <tuple>
#include <utility>

#include "store/name_pattern.h"

namespace podmon::notify {

NotifyRules::NotifyRules(std::vector<store::NotifyRoute> routes, std::vector<store::IgnoreRule> ignores)
    : routes_(std::move(routes)), ignores_(std::move(ignores)) {}

std::optional<std::string> NotifyRules::channelFor(const std::string& cluster, const std::string& namespace_) const {
  const store::NotifyRoute* best = nullptr;
  std::tuple<int, int> bestRank{};
  for (const auto& route : routes_) {
    if (route.slackChannel.empty()) continue;
    if (!store::matchesPattern(route.clusterName, cluster) || !store::matchesPattern(route.namespace_, namespace_)) {
      continue;
    }
    const std::tuple<int, int> rank{store::patternSpecificity(route.namespace_),
                                    store::patternSpecificity(route.clusterName)};
    if (!best || rank > bestRank || (rank == bestRank && route.slackChannel < best->slackChannel)) {
      best = &route;
      bestRank = rank;
    }
  }
  if (!best) return std::nullopt;
  return best->slackChannel;
}

bool NotifyRules::isIgnored(const std::string& cluster, const std::string& namespace_,
                            const std::string& container) const {
  for (const auto& rule : ignores_) {
    if (store::matchesPattern(rule.clusterName, cluster) && store::matchesPattern(rule.namespace_, namespace_) &&
        store::matchesPattern(rule.containerName, container)) {
      return true;
    }
  }
  return false;
}

}  // namespace podmon::notify
