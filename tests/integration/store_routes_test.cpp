// Slack routes and ignore rules, with wildcards, on both store backends (MariaDB and SQLite).
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/errors.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

class StoreRoutesTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    store_ = openTestStore().crashes;
    store_->migrate();
  }
  std::shared_ptr<CrashStore> store_;
};

TEST_P(StoreRoutesTest, ExactNamespaceBeatsPatternBeatsStar) {
  EXPECT_EQ(store_->findRoute("prod", "payments"), std::nullopt);
  store_->setRoute({"prod", "*", "#all"});
  store_->setRoute({"prod", "pay*", "#pay-any"});
  store_->setRoute({"prod", "payments-*", "#payments-family"});
  store_->setRoute({"prod", "payments", "#payments"});
  store_->setRoute({"staging", "payments", "#staging"});

  EXPECT_EQ(store_->findRoute("prod", "payments"), "#payments");
  EXPECT_EQ(store_->findRoute("prod", "payments-eu"), "#payments-family");
  EXPECT_EQ(store_->findRoute("prod", "payroll"), "#pay-any");
  EXPECT_EQ(store_->findRoute("prod", "search"), "#all");
  EXPECT_EQ(store_->findRoute("staging", "payments"), "#staging");
  EXPECT_EQ(store_->findRoute("staging", "search"), std::nullopt);
  EXPECT_EQ(store_->findRoute("dev", "payments"), std::nullopt);
}

TEST_P(StoreRoutesTest, SetReplacesListAndRemove) {
  store_->setRoute({"prod", "payments", "#old"});
  store_->setRoute({"prod", "payments", "#new"});
  store_->setRoute({"prod", "search", "#search"});
  store_->setRoute({"staging", "x", "#x"});
  EXPECT_EQ(store_->listRoutes("prod"),
            (std::vector<NotifyRoute>{{"prod", "payments", "#new"}, {"prod", "search", "#search"}}));
  EXPECT_EQ(store_->listRoutes("").size(), 3u);
  EXPECT_TRUE(store_->removeRoute("prod", "payments"));
  EXPECT_FALSE(store_->removeRoute("prod", "payments"));
  EXPECT_EQ(store_->findRoute("prod", "payments"), std::nullopt);
  EXPECT_THROW(store_->setRoute({"prod", "", "#x"}), StoreException);
}

TEST_P(StoreRoutesTest, IgnoresMatchExactlyOrByPattern) {
  EXPECT_FALSE(store_->isIgnored("prod", "payments", "app"));
  EXPECT_TRUE(store_->addIgnore({"prod", "payments", "istio-proxy"}));
  EXPECT_FALSE(store_->addIgnore({"prod", "payments", "istio-proxy"}));  // already there
  EXPECT_TRUE(store_->addIgnore({"prod", "*", "linkerd-*"}));
  EXPECT_TRUE(store_->addIgnore({"prod", "batch-*", "*"}));

  EXPECT_TRUE(store_->isIgnored("prod", "payments", "istio-proxy"));
  EXPECT_FALSE(store_->isIgnored("prod", "search", "istio-proxy"));
  EXPECT_TRUE(store_->isIgnored("prod", "search", "linkerd-proxy"));
  EXPECT_TRUE(store_->isIgnored("prod", "batch-nightly", "worker"));
  EXPECT_FALSE(store_->isIgnored("prod", "batch", "worker"));
  EXPECT_FALSE(store_->isIgnored("staging", "payments", "istio-proxy"));

  EXPECT_EQ(store_->listIgnores("prod").size(), 3u);
  EXPECT_TRUE(store_->removeIgnore({"prod", "*", "linkerd-*"}));
  EXPECT_FALSE(store_->removeIgnore({"prod", "*", "linkerd-*"}));
  EXPECT_FALSE(store_->isIgnored("prod", "search", "linkerd-proxy"));
}

TEST_P(StoreRoutesTest, RowsWrittenByTheOriginalUtilityAreUsed) {
  // scripts/notification_management_utility.py inserts plain rows.
  exec("INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) "
       "VALUES ('prod', 'payments', '#pay')");
  exec("INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) "
       "VALUES ('prod', 'payments', 'sidecar')");
  EXPECT_EQ(store_->findRoute("prod", "payments"), "#pay");
  EXPECT_TRUE(store_->isIgnored("prod", "payments", "sidecar"));
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreRoutesTest);

}  // namespace
}  // namespace podmon::store
