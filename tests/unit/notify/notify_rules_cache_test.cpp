#include "notify/notify_rules_cache.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;

TEST(NotifyRulesCacheTest, ReReadsAfterTheInterval) {
  auto store = std::make_shared<fakes::FakeNotifyRuleSource>();
  auto clock = std::make_shared<fakes::ManualClock>();
  store->routes = {{"prod", "shop", "#one"}};
  NotifyRulesCache cache(store, clock, 30s);
  EXPECT_EQ(cache.current()->channelFor("prod", "shop"), "#one");
  store->routes = {{"prod", "shop", "#two"}};
  clock->advance(29s);
  EXPECT_EQ(cache.current()->channelFor("prod", "shop"), "#one");
  clock->advance(1s);
  EXPECT_EQ(cache.current()->channelFor("prod", "shop"), "#two");
  EXPECT_EQ(store->reads, 2);
}

TEST(NotifyRulesCacheTest, FailedReadKeepsTheLastGoodRules) {
  auto store = std::make_shared<fakes::FakeNotifyRuleSource>();
  auto clock = std::make_shared<fakes::ManualClock>();
  store->routes = {{"prod", "shop", "#one"}};
  store->ignores = {{"prod", "shop", "sidecar"}};
  NotifyRulesCache cache(store, clock, 30s, 5s);
  cache.current();
  store->failing = true;
  clock->advance(31s);
  auto rules = cache.current();
  EXPECT_EQ(rules->channelFor("prod", "shop"), "#one");
  EXPECT_TRUE(rules->isIgnored("prod", "shop", "sidecar"));
  EXPECT_TRUE(cache.stale());
  store->failing = false;
  store->routes = {{"prod", "shop", "#two"}};
  clock->advance(5s);  // retried sooner than the full interval
  EXPECT_EQ(cache.current()->channelFor("prod", "shop"), "#two");
  EXPECT_FALSE(cache.stale());
}

TEST(NotifyRulesCacheTest, NeverLoadedThrows) {
  auto store = std::make_shared<fakes::FakeNotifyRuleSource>();
  store->failing = true;
  NotifyRulesCache cache(store, std::make_shared<fakes::ManualClock>());
  EXPECT_THROW(cache.current(), SinkException);
}

}  // namespace
}  // namespace podmon::notify
