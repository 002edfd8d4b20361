#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "store/notify_rule.h"

namespace podmon::notify {

// All Slack routes and ignore rules, matched in memory: the deliverer reads them from MySQL every
// few seconds instead of once per crash, and the matching is pure so its precedence is unit
// tested. In both tables the cluster, the namespace and (for ignores) the container may be "*" or
// a pattern with '*'.
class NotifyRules {
 public:
  NotifyRules() = default;
  NotifyRules(std::vector<store::NotifyRoute> routes, std::vector<store::IgnoreRule> ignores);

  // The channel of the most specific matching route, nullopt when none matches. Specificity is
  // compared on the namespace first (exact beats pattern, a longer pattern beats a shorter one,
  // "*" comes last), then on the cluster (exact beats "*"); a remaining tie goes to the
  // alphabetically first channel, so the choice never depends on row order.
  std::optional<std::string> channelFor(const std::string& cluster, const std::string& namespace_) const;

  // True when a rule matches; container "*" ignores a whole namespace.
  bool isIgnored(const std::string& cluster, const std::string& namespace_, const std::string& container) const;

  std::size_t routeCount() const { return routes_.size(); }
  std::size_t ignoreCount() const { return ignores_.size(); }

 private:
  std::vector<store::NotifyRoute> routes_;
  std::vector<store::IgnoreRule> ignores_;
};

}  // namespace podmon::notify
