// Keeps the fake honest: the same contract the MariaDB tests check on SqlCrashStore.
#include "fakes/fake_crash_store.h"

#include <gtest/gtest.h>

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

TEST(FakeCrashStoreTest, DeduplicatesAndFillsTheOutboxOnce) {
  testing::FakeCrashStore store;
  EXPECT_TRUE(store.recordCrash(crash(1)).isNew);
  EXPECT_FALSE(store.recordCrash(crash(1)).isNew);
  EXPECT_EQ(store.crashes().size(), 1u);
  EXPECT_EQ(store.outbox().size(), 2u);
  EXPECT_EQ(store.claimOutbox(Sink::kSlack, 10, std::chrono::seconds(30)).size(), 1u);
  EXPECT_TRUE(store.claimOutbox(Sink::kSlack, 10, std::chrono::seconds(30)).empty());
  ASSERT_EQ(store.loadContainerStates("prod").size(), 1u);
  EXPECT_EQ(store.loadContainerStates("prod")[0].restartCount, 1);
}

TEST(FakeCrashStoreTest, RoutesIgnoresAndFailure) {
  testing::FakeCrashStore store;
  store.setRoute({"prod", "*", "#all"});
  store.setRoute({"prod", "payments", "#pay"});
  store.addIgnore({"prod", "*", "istio-*"});
  EXPECT_EQ(store.findRoute("prod", "payments"), "#pay");
  EXPECT_EQ(store.findRoute("prod", "search"), "#all");
  EXPECT_TRUE(store.isIgnored("prod", "search", "istio-proxy"));
  store.setFailing(true);
  EXPECT_THROW(store.findRoute("prod", "payments"), StoreException);
  EXPECT_THROW(store.isIgnored("prod", "payments", "app"), StoreException);
}

}  // namespace
}  // namespace podmon::store
