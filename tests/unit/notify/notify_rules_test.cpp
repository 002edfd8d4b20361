#include "notify/notify_rules.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

NotifyRules rules(std::vector<store::NotifyRoute> routes, std::vector<store::IgnoreRule> ignores = {}) {
  return NotifyRules(std::move(routes), std::move(ignores));
}

TEST(NotifyRulesTest, NoRouteGivesNullopt) {
  EXPECT_EQ(rules({}).channelFor("prod", "shop"), std::nullopt);
  EXPECT_EQ(rules({{"staging", "shop", "#s"}}).channelFor("prod", "shop"), std::nullopt);
}

TEST(NotifyRulesTest, ExactNamespaceBeatsPatternBeatsStar) {
  const auto r = rules({{"prod", "*", "#all"}, {"prod", "sh*", "#sh"}, {"prod", "shop", "#shop"}});
  EXPECT_EQ(r.channelFor("prod", "shop"), "#shop");
  EXPECT_EQ(r.channelFor("prod", "shipping"), "#sh");
  EXPECT_EQ(r.channelFor("prod", "billing"), "#all");
}

TEST(NotifyRulesTest, LongerPatternWins) {
  const auto r = rules({{"prod", "team-*", "#team"}, {"prod", "team-a-*", "#team-a"}});
  EXPECT_EQ(r.channelFor("prod", "team-a-api"), "#team-a");
  EXPECT_EQ(r.channelFor("prod", "team-b-api"), "#team");
}

TEST(NotifyRulesTest, ClusterWildcardAppliesToEveryClusterButExactClusterWinsATie) {
  const auto r = rules({{"*", "shop", "#shop-any"}, {"prod", "shop", "#shop-prod"}, {"*", "*", "#catch-all"}});
  EXPECT_EQ(r.channelFor("prod", "shop"), "#shop-prod");
  EXPECT_EQ(r.channelFor("staging", "shop"), "#shop-any");
  EXPECT_EQ(r.channelFor("staging", "billing"), "#catch-all");
}

TEST(NotifyRulesTest, NamespaceSpecificityComesBeforeCluster) {
  // A team's namespace route across all clusters beats a cluster's catch-all.
  const auto r = rules({{"prod", "*", "#prod-all"}, {"*", "shop", "#shop"}});
  EXPECT_EQ(r.channelFor("prod", "shop"), "#shop");
  EXPECT_EQ(r.channelFor("prod", "billing"), "#prod-all");
}

TEST(NotifyRulesTest, TiesDoNotDependOnRowOrder) {
  EXPECT_EQ(rules({{"prod", "a*", "#zz"}, {"prod", "*b", "#aa"}}).channelFor("prod", "ab"), "#aa");
  EXPECT_EQ(rules({{"prod", "*b", "#aa"}, {"prod", "a*", "#zz"}}).channelFor("prod", "ab"), "#aa");
}

TEST(NotifyRulesTest, IgnoresMatchWithWildcards) {
  const auto r = rules({}, {{"prod", "kube-system", "*"}, {"*", "*", "istio-proxy"}, {"prod", "batch-*", "job"}});
  EXPECT_TRUE(r.isIgnored("prod", "kube-system", "coredns"));  // container * = whole namespace
  EXPECT_FALSE(r.isIgnored("staging", "kube-system", "coredns"));
  EXPECT_TRUE(r.isIgnored("staging", "shop", "istio-proxy"));
  EXPECT_TRUE(r.isIgnored("prod", "batch-nightly", "job"));
  EXPECT_FALSE(r.isIgnored("prod", "batch-nightly", "app"));
  EXPECT_FALSE(r.isIgnored("prod", "shop", "app"));
}

// As the original's tables under MySQL's default collation: case and trailing spaces do not count.
TEST(NotifyRulesTest, RulesMatchWithoutCaseAndTrailingSpacesLikeTheOriginal) {
  const auto r = rules({{"Prod", "Payments ", "#pay"}, {"PROD", "*", "#prod"}},
                       {{"prod ", "Kube-System", "*"}, {"*", "*", "Istio-Proxy  "}});
  EXPECT_EQ(r.channelFor("prod", "payments"), "#pay");
  EXPECT_EQ(r.channelFor("prod", "billing"), "#prod");
  EXPECT_EQ(r.channelFor("staging", "payments"), std::nullopt);
  EXPECT_TRUE(r.isIgnored("prod", "kube-system", "coredns"));
  EXPECT_TRUE(r.isIgnored("staging", "shop", "istio-proxy"));
  EXPECT_FALSE(r.isIgnored("staging", "kube-system", "coredns"));
}

TEST(NotifyRulesTest, RoutesThatDifferOnlyByCaseAreOneRankAndTheFirstChannelWins) {
  // Rows stored before matching folded case (podmonctl now updates such a route in place).
  EXPECT_EQ(rules({{"prod", "shop", "#zz"}, {"Prod", "SHOP", "#aa"}}).channelFor("prod", "shop"), "#aa");
  EXPECT_EQ(rules({{"Prod", "SHOP", "#aa"}, {"prod", "shop", "#zz"}}).channelFor("prod", "Shop"), "#aa");
}

}  // namespace
}  // namespace podmon::notify
