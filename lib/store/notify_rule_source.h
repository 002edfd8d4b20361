#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/notify_rule.h"

namespace podmon::store {

// The Slack routes and ignore rules as stored, read-only: notify::NotifyRules matches them (the
// one matching implementation), and AdminStore is their only writer. Both methods throw
// StoreException when the database cannot answer; a failure is never read as "no rules".
class NotifyRuleSource {
 public:
  using Ptr = std::shared_ptr<NotifyRuleSource>;
  virtual ~NotifyRuleSource() = default;

  // cluster "" lists all clusters; else the rules stored for that cluster name, compared as
  // store::sameRuleName compares (case and trailing spaces do not count).
  virtual std::vector<NotifyRoute> listRoutes(const std::string& cluster) = 0;
  virtual std::vector<IgnoreRule> listIgnores(const std::string& cluster) = 0;
};

}  // namespace podmon::store
