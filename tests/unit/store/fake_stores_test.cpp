// Keeps the fakes honest: the same contract the MariaDB tests check on the SQL stores.
#include "fakes/fake_stores.h"

#include <gtest/gtest.h>

#include "notify/notify_rules.h"

namespace podmon::store {
namespace {

CrashRecord crash(int restartCount) {
  CrashRecord record;
  record.event.clusterName = "prod";
  record.event.namespace_ = "payments";
  record.event.podName = "api-1";
  record.event.podUid = "uid-1";
  record.event.containerName = "app";
  record.event.restartCount = restartCount;
  return record;
}

TEST(FakeStoresTest, DeduplicatesAndFillsTheOutboxOnce) {
  testing::FakeStores stores;
  EXPECT_TRUE(stores.crashes->recordCrash(crash(1)).isNew);
  EXPECT_FALSE(stores.crashes->recordCrash(crash(1)).isNew);
  EXPECT_EQ(stores.crashes->crashes().size(), 1u);
  EXPECT_EQ(stores.outbox->outbox().size(), 2u);
  EXPECT_EQ(stores.outbox->claimOutbox(Sink::kSlack, 10, std::chrono::seconds(30)).size(), 1u);
  EXPECT_TRUE(stores.outbox->claimOutbox(Sink::kSlack, 10, std::chrono::seconds(30)).empty());
  ASSERT_EQ(stores.containerStates->loadContainerStates("prod").size(), 1u);
  EXPECT_EQ(stores.containerStates->loadContainerStates("prod")[0].restartCount, 1);
}

// Routes are matched by notify::NotifyRules over what the source lists (the one matching
// implementation, as the deliverer and podmonctl use it).
TEST(FakeStoresTest, RoutesIgnoresAndFailure) {
  testing::FakeStores stores;
  stores.notifyRules->routes = {{"prod", "*", "#all"}, {"prod", "payments", "#pay"}};
  stores.notifyRules->ignores = {{"prod", "*", "istio-*"}};
  const notify::NotifyRules rules(stores.notifyRules->listRoutes(""), stores.notifyRules->listIgnores(""));
  EXPECT_EQ(rules.channelFor("prod", "payments"), "#pay");
  EXPECT_EQ(rules.channelFor("prod", "search"), "#all");
  EXPECT_TRUE(rules.isIgnored("prod", "search", "istio-proxy"));
  stores.setFailing(true);
  EXPECT_THROW(stores.notifyRules->listRoutes(""), StoreException);
  EXPECT_THROW(stores.notifyRules->listIgnores(""), StoreException);
  EXPECT_THROW(stores.crashes->recordCrash(crash(2)), StoreException);
  EXPECT_THROW(stores.outbox->outboxStats(), StoreException);
  EXPECT_THROW(stores.containerStates->loadContainerStates("prod"), StoreException);
  EXPECT_THROW(stores.retention->prune(PruneCutoffs{}, false, {}), StoreException);
  stores.setFailing(false);
  EXPECT_NO_THROW(stores.retention->prune(PruneCutoffs{}, false, {}));
  EXPECT_EQ(stores.retention->calls.size(), 2u);
}

}  // namespace
}  // namespace podmon::store
