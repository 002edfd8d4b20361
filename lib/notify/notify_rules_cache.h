#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "core/clock.h"
#include "notify/notify_rules.h"
#include "store/notify_rule_source.h"

namespace podmon::notify {

// Keeps the routes and ignore rules in memory and re-reads them from the store when they are older
// than the refresh interval, so `podmonctl route set` applies within seconds without a restart and
// without one query per crash. A failed read is never taken as "no routes": the last good rules
// stay in use (and the read is retried sooner), and before the first good read current() throws.
class NotifyRulesCache {
 public:
  NotifyRulesCache(store::NotifyRuleSource::Ptr store, Clock::Ptr clock,
                   std::chrono::milliseconds refreshInterval = std::chrono::seconds(30),
                   std::chrono::milliseconds retryInterval = std::chrono::seconds(5));

  // The current rules. Throws SinkException when they have never been read successfully.
  std::shared_ptr<const NotifyRules> current();
  // Makes the next current() read the store.
  void invalidate();
  // True while the last read failed and older rules are in use.
  bool stale() const;

 private:
  store::NotifyRuleSource::Ptr store_;
  Clock::Ptr clock_;
  std::chrono::milliseconds refreshInterval_;
  std::chrono::milliseconds retryInterval_;
  mutable std::mutex mutex_;
  std::shared_ptr<const NotifyRules> rules_;
  std::optional<std::chrono::steady_clock::time_point> nextRead_;
  bool stale_ = false;
};

}  // namespace podmon::notify
