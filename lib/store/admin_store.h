#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/notify_rule.h"

namespace podmon::store {

// One change made through podmonctl (podmon_audit).
struct AuditEntry {
  std::int64_t id = 0;
  std::chrono::system_clock::time_point at{};
  std::string actor;   // the OS user, or --actor
  std::string action;  // "route.set", "route.remove", "ignore.add", "ignore.remove", "outbox.retry", "migrate"
  std::string cluster;
  std::string target;  // the namespace, "namespace/container", the sink
  std::optional<std::string> oldValue;
  std::optional<std::string> newValue;
};

// What setRoute found and did.
struct RouteChange {
  std::optional<std::string> previousChannel;  // nullopt: there was no route
  bool changed = false;                        // false: the route already had this channel
  NotifyRoute stored;  // the route as stored: an existing route's spelling (case, trailing spaces) is kept
};

// The only writer of the Slack routes and ignore rules (podmonctl), each change together with its
// audit row in one transaction: a change is never made without its audit row, and nothing is
// written when either fails. The daemon only reads the rules (NotifyRuleSource). Every method
// throws StoreException when the database cannot answer; the writes also throw it for an empty
// name.
class AdminStore {
 public:
  using Ptr = std::shared_ptr<AdminStore>;
  virtual ~AdminStore() = default;

  // Names compare as the daemon matches them (store/name_pattern.h: sameRuleName).
  // Adds the route or changes its channel. Writes nothing (no audit row either) when unchanged.
  virtual RouteChange setRoute(const NotifyRoute& route, const std::string& actor) = 0;
  // The channel of the removed route; nullopt (and nothing written) when there was none.
  virtual std::optional<std::string> removeRoute(const std::string& cluster, const std::string& namespace_,
                                                 const std::string& actor) = 0;
  // False (and nothing written) when the rule already existed.
  virtual bool addIgnore(const IgnoreRule& rule, const std::string& actor) = 0;
  // False (and nothing written) when there was no such rule.
  virtual bool removeIgnore(const IgnoreRule& rule, const std::string& actor) = 0;
  // For changes made elsewhere (migrations); `id` and `at` are filled in.
  virtual void recordAudit(const AuditEntry& entry) = 0;
  // Newest first.
  virtual std::vector<AuditEntry> listAudit(int limit) = 0;
};

}  // namespace podmon::store
