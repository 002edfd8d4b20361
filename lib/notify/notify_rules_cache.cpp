#include "notify/notify_rules_cache.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "core/errors.h"

namespace podmon::notify {

NotifyRulesCache::NotifyRulesCache(store::NotifyRuleSource::Ptr store, Clock::Ptr clock,
                                   std::chrono::milliseconds refreshInterval, std::chrono::milliseconds retryInterval)
    : store_(std::move(store)),
      clock_(std::move(clock)),
      refreshInterval_(refreshInterval),
      retryInterval_(retryInterval) {}

std::shared_ptr<const NotifyRules> NotifyRulesCache::current() {
  std::lock_guard lock(mutex_);
  const auto now = clock_->steadyNow();
  if (rules_ && nextRead_ && now < *nextRead_) return rules_;
  try {
    // All clusters: a rule for cluster "*" applies here too. Matching happens in NotifyRules.
    auto routes = store_->listRoutes("");
    auto ignores = store_->listIgnores("");
    rules_ = std::make_shared<const NotifyRules>(std::move(routes), std::move(ignores));
    nextRead_ = now + refreshInterval_;
    if (stale_) spdlog::info("slack: routes and ignore rules readable again");
    stale_ = false;
  } catch (const Poco::Exception& e) {
    nextRead_ = now + retryInterval_;
    if (!rules_) throw SinkException("Slack routes and ignore rules could not be read yet: " + e.displayText());
    if (!stale_)
      spdlog::warn("slack: cannot re-read routes and ignore rules, using the last good ones: {}", e.displayText());
    stale_ = true;
  }
  return rules_;
}

void NotifyRulesCache::invalidate() {
  std::lock_guard lock(mutex_);
  nextRead_.reset();
}

bool NotifyRulesCache::stale() const {
  std::lock_guard lock(mutex_);
  return stale_;
}

}  // namespace podmon::notify
