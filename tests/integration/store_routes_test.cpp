// Slack routes and ignore rules, with wildcards, on both store backends (MariaDB and SQLite):
// AdminStore writes them, NotifyRuleSource lists them, and notify::NotifyRules (the one matching
// implementation, the deliverer's) matches what is listed.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/errors.h"
#include "notify/notify_rules.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

class StoreRoutesTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    store_ = openTestStore();
    store_.migrate();
    admin_ = makeAdminStore(store_);
  }
  // The stored rules, as the deliverer reads and matches them.
  notify::NotifyRules rules() {
    return notify::NotifyRules(store_.notifyRules->listRoutes(""), store_.notifyRules->listIgnores(""));
  }
  void setRoute(const NotifyRoute& route) { admin_->setRoute(route, "test"); }

  OpenedStore store_;
  AdminStore::Ptr admin_;
};

TEST_P(StoreRoutesTest, ExactNamespaceBeatsPatternBeatsStar) {
  EXPECT_EQ(rules().channelFor("prod", "payments"), std::nullopt);
  setRoute({"prod", "*", "#all"});
  setRoute({"prod", "pay*", "#pay-any"});
  setRoute({"prod", "payments-*", "#payments-family"});
  setRoute({"prod", "payments", "#payments"});
  setRoute({"staging", "payments", "#staging"});

  const auto r = rules();
  EXPECT_EQ(r.channelFor("prod", "payments"), "#payments");
  EXPECT_EQ(r.channelFor("prod", "payments-eu"), "#payments-family");
  EXPECT_EQ(r.channelFor("prod", "payroll"), "#pay-any");
  EXPECT_EQ(r.channelFor("prod", "search"), "#all");
  EXPECT_EQ(r.channelFor("staging", "payments"), "#staging");
  EXPECT_EQ(r.channelFor("staging", "search"), std::nullopt);
  EXPECT_EQ(r.channelFor("dev", "payments"), std::nullopt);
}

TEST_P(StoreRoutesTest, SetReplacesListAndRemove) {
  setRoute({"prod", "payments", "#old"});
  setRoute({"prod", "payments", "#new"});
  setRoute({"prod", "search", "#search"});
  setRoute({"staging", "x", "#x"});
  EXPECT_EQ(store_.notifyRules->listRoutes("prod"),
            (std::vector<NotifyRoute>{{"prod", "payments", "#new"}, {"prod", "search", "#search"}}));
  EXPECT_EQ(store_.notifyRules->listRoutes("").size(), 3u);
  EXPECT_EQ(admin_->removeRoute("prod", "payments", "test"), "#new");
  EXPECT_EQ(admin_->removeRoute("prod", "payments", "test"), std::nullopt);
  EXPECT_EQ(rules().channelFor("prod", "payments"), std::nullopt);
  EXPECT_THROW(admin_->setRoute({"prod", "", "#x"}, "test"), StoreException);
}

TEST_P(StoreRoutesTest, IgnoresMatchExactlyOrByPattern) {
  EXPECT_FALSE(rules().isIgnored("prod", "payments", "app"));
  EXPECT_TRUE(admin_->addIgnore({"prod", "payments", "istio-proxy"}, "test"));
  EXPECT_FALSE(admin_->addIgnore({"prod", "payments", "istio-proxy"}, "test"));  // already there
  EXPECT_TRUE(admin_->addIgnore({"prod", "*", "linkerd-*"}, "test"));
  EXPECT_TRUE(admin_->addIgnore({"prod", "batch-*", "*"}, "test"));

  const auto r = rules();
  EXPECT_TRUE(r.isIgnored("prod", "payments", "istio-proxy"));
  EXPECT_FALSE(r.isIgnored("prod", "search", "istio-proxy"));
  EXPECT_TRUE(r.isIgnored("prod", "search", "linkerd-proxy"));
  EXPECT_TRUE(r.isIgnored("prod", "batch-nightly", "worker"));
  EXPECT_FALSE(r.isIgnored("prod", "batch", "worker"));
  EXPECT_FALSE(r.isIgnored("staging", "payments", "istio-proxy"));

  EXPECT_EQ(store_.notifyRules->listIgnores("prod").size(), 3u);
  EXPECT_TRUE(admin_->removeIgnore({"prod", "*", "linkerd-*"}, "test"));
  EXPECT_FALSE(admin_->removeIgnore({"prod", "*", "linkerd-*"}, "test"));
  EXPECT_FALSE(rules().isIgnored("prod", "search", "linkerd-proxy"));
}

TEST_P(StoreRoutesTest, RowsWrittenByTheOriginalUtilityAreUsed) {
  // scripts/notification_management_utility.py inserts plain rows.
  exec(
      "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) "
      "VALUES ('prod', 'payments', '#pay')");
  exec(
      "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) "
      "VALUES ('prod', 'payments', 'sidecar')");
  const auto r = rules();
  EXPECT_EQ(r.channelFor("prod", "payments"), "#pay");
  EXPECT_TRUE(r.isIgnored("prod", "payments", "sidecar"));
}

// The original's utility wrote any spelling, and its tables compared names through MySQL's default
// collation (case-insensitive, trailing spaces ignored): such rows keep matching on both backends.
TEST_P(StoreRoutesTest, RowsInAnotherCaseOrWithTrailingSpacesMatchAsUnderTheOriginalsCollation) {
  exec(
      "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) "
      "VALUES ('Prod', 'Payments ', '#pay'), ('PROD', '*', '#prod')");
  exec(
      "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) "
      "VALUES ('prod  ', 'PAYMENTS', 'Sidecar'), ('*', 'Kube-*', '*')");
  const auto r = rules();
  EXPECT_EQ(r.channelFor("prod", "payments"), "#pay");
  EXPECT_EQ(r.channelFor("prod", "search"), "#prod");
  EXPECT_EQ(r.channelFor("staging", "payments"), std::nullopt);
  EXPECT_TRUE(r.isIgnored("prod", "payments", "sidecar"));
  EXPECT_FALSE(r.isIgnored("prod", "payments", "app"));
  EXPECT_TRUE(r.isIgnored("staging", "kube-system", "coredns"));
  EXPECT_EQ(store_.notifyRules->listRoutes("prod").size(), 2u);
  EXPECT_EQ(store_.notifyRules->listIgnores("PROD").size(), 1u);
}

// podmonctl names a route as the daemon matches it: a route stored in another spelling is that
// route (changed in place, its spelling kept), never a second row the original's unique key
// would have refused; removing takes every spelling of it.
TEST_P(StoreRoutesTest, PodmonctlChangesARouteStoredInAnotherSpellingInsteadOfAddingOne) {
  exec(
      "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) "
      "VALUES ('Prod', 'payments ', '#old')");
  const RouteChange change = admin_->setRoute({"prod", "payments", "#new"}, "test");
  EXPECT_TRUE(change.changed);
  EXPECT_EQ(change.previousChannel, "#old");
  EXPECT_EQ(change.stored, (NotifyRoute{"Prod", "payments ", "#new"}));
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash_notify"), 1);
  EXPECT_EQ(rules().channelFor("prod", "payments"), "#new");
  EXPECT_EQ(queryText("SELECT old_value FROM podmon_audit WHERE action = 'route.set'"), "#old");

  EXPECT_FALSE(admin_->setRoute({"PROD", "payments", "#new"}, "test").changed);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_audit"), 1);

  EXPECT_EQ(admin_->removeRoute("prod", "PAYMENTS", "test"), "#new");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash_notify"), 0);
  EXPECT_EQ(admin_->removeRoute("prod", "payments", "test"), std::nullopt);
}

TEST_P(StoreRoutesTest, RoutesThatDifferOnlyByCaseStoredBeforeAreSetAndRemovedTogether) {
  // Possible in the binary-collated tables of a podmon from before names were compared like this
  // (migration 002 now gives new databases the original's case-insensitive collation).
  if (!sqlite()) exec("ALTER TABLE `k8s_pod_crash_notify` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  exec(
      "INSERT INTO `k8s_pod_crash_notify` (`clustername`, `namespace`, `slack_channel`) "
      "VALUES ('prod', 'shop', '#zz'), ('Prod', 'Shop', '#aa')");
  EXPECT_EQ(rules().channelFor("prod", "shop"), "#aa");  // one rank: the first channel, whatever the row order
  const RouteChange change = admin_->setRoute({"prod", "shop", "#shop"}, "test");
  EXPECT_EQ(change.previousChannel, "#aa");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash_notify WHERE slack_channel = '#shop'"), 2);
  EXPECT_EQ(rules().channelFor("prod", "SHOP"), "#shop");
  EXPECT_EQ(admin_->removeRoute("prod", "shop", "test"), "#shop");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash_notify"), 0);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_audit WHERE action = 'route.remove'"), 2);
}

TEST_P(StoreRoutesTest, PodmonctlIgnoresCompareNamesAsTheMatcherDoes) {
  exec(
      "INSERT INTO `k8s_crash_ignore_notify` (`clustername`, `namespace`, `containername`) "
      "VALUES ('Prod', 'payments', 'sidecar ')");
  EXPECT_FALSE(admin_->addIgnore({"prod", "payments", "sidecar"}, "test"));  // already ignored
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_crash_ignore_notify"), 1);
  EXPECT_TRUE(admin_->addIgnore({"prod", "payments", "app"}, "test"));
  EXPECT_TRUE(admin_->removeIgnore({"PROD", "payments", "sidecar"}, "test"));
  EXPECT_FALSE(admin_->removeIgnore({"prod", "payments", "sidecar"}, "test"));
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_crash_ignore_notify"), 1);
  EXPECT_FALSE(rules().isIgnored("prod", "payments", "sidecar"));
  EXPECT_TRUE(rules().isIgnored("prod", "payments", "app"));
}

TEST_P(StoreRoutesTest, TheRuleTablesKeepTheOriginalsCaseInsensitiveCollation) {
  if (sqlite()) GTEST_SKIP() << "collations are MySQL's";
  // The original's own lookups (getSlackChannel, shouldNotify) match as before a rollback.
  exec("INSERT INTO `k8s_pod_crash_notify` VALUES ('local-cluster', 'Batch ', '#batch')");
  exec("INSERT INTO `k8s_crash_ignore_notify` VALUES ('local-cluster', 'data', 'Cache')");
  EXPECT_EQ(
      queryInt("SELECT COUNT(*) FROM k8s_pod_crash_notify WHERE clustername='local-cluster' AND namespace='batch'"), 1);
  EXPECT_EQ(
      queryInt("SELECT COUNT(*) FROM k8s_crash_ignore_notify WHERE clustername='LOCAL-CLUSTER' AND namespace='data' "
               "AND containername='cache'"),
      1);
  EXPECT_ANY_THROW(exec("INSERT INTO `k8s_pod_crash_notify` VALUES ('local-cluster', 'batch', '#other')"));
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreRoutesTest);

}  // namespace
}  // namespace podmon::store
