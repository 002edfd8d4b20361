#pragma once

#include "store/notify_rule_source.h"
#include "store/sql_backend.h"

namespace podmon::store {

// NotifyRuleSource on the original tool's k8s_pod_crash_notify and k8s_crash_ignore_notify tables
// (rows its utility wrote are read like podmonctl's), for both backends.
class SqlNotifyRuleSource : public NotifyRuleSource {
 public:
  explicit SqlNotifyRuleSource(SqlBackend::Ptr backend);

  std::vector<NotifyRoute> listRoutes(const std::string& cluster) override;
  std::vector<IgnoreRule> listIgnores(const std::string& cluster) override;

 private:
  SqlBackend::Ptr backend_;
};

}  // namespace podmon::store
