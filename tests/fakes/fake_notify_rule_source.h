#pragma once

#include <string>
#include <vector>

#include "core/errors.h"
#include "store/name_pattern.h"
#include "store/notify_rule_source.h"

namespace podmon::testing {

// Serves routes and ignores from vectors (all clusters: the readers ask for ""), counting the
// route reads; `failing` makes both throw StoreException, as a store does while MySQL is down.
class FakeNotifyRuleSource : public store::NotifyRuleSource {
 public:
  std::vector<store::NotifyRoute> routes;
  std::vector<store::IgnoreRule> ignores;
  bool failing = false;
  int reads = 0;

  std::vector<store::NotifyRoute> listRoutes(const std::string& cluster) override {
    ++reads;
    if (failing) throw StoreException("database down");
    return filtered(routes, cluster);
  }
  std::vector<store::IgnoreRule> listIgnores(const std::string& cluster) override {
    if (failing) throw StoreException("database down");
    return filtered(ignores, cluster);
  }

 private:
  template <typename Rule>
  static std::vector<Rule> filtered(const std::vector<Rule>& rules, const std::string& cluster) {
    std::vector<Rule> result;
    for (const auto& r : rules) {
      if (cluster.empty() || store::sameRuleName(r.clusterName, cluster)) result.push_back(r);
    }
    return result;
  }
};

}  // namespace podmon::testing
