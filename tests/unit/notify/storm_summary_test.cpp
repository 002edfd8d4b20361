#include "notify/storm_summary.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

TEST(StormSummaryTest, CountsPerNamespaceAndWorkloadAndSurvivesItsText) {
  StormSummary summary;
  summary.add("ns-a", "Deployment/web");
  summary.add("ns-a", "Deployment/web");
  summary.add("ns-b", "StatefulSet/db");
  summary.add("ns-a", "Deployment/api");
  EXPECT_EQ(summary.crashes(), 4);
  EXPECT_EQ(summary.workloadCount(), 3u);
  EXPECT_EQ(summary.namespaces(), (std::vector<std::string>{"ns-a", "ns-b"}));
  const auto perNamespace = summary.perNamespace();
  ASSERT_EQ(perNamespace.size(), 2u);
  EXPECT_EQ(perNamespace[0], (std::pair<std::string, int>{"ns-a", 3}));
  EXPECT_EQ(perNamespace[1], (std::pair<std::string, int>{"ns-b", 1}));

  const StormSummary again = StormSummary::decode(summary.encode());
  EXPECT_EQ(again.encode(), summary.encode());
  EXPECT_EQ(again.crashes(), 4);
}

TEST(StormSummaryTest, SeparatorsInNamesCannotForgeEntries) {
  StormSummary summary;
  summary.add("ns\tx", "Deployment/web\n-\t-\t999");
  const StormSummary again = StormSummary::decode(summary.encode());
  ASSERT_EQ(again.entries().size(), 1u);
  EXPECT_EQ(again.crashes(), 1);
  EXPECT_EQ(again.entries()[0].namespace_, "ns x");
}

TEST(StormSummaryTest, DamagedTextIsSkippedNotFatal) {
  const StormSummary summary = StormSummary::decode("ns\tPod/a\t2\ngarbage\nns\tPod/b\tx\nns\tPod/c\t-1\n\n");
  EXPECT_EQ(summary.crashes(), 2);
  EXPECT_EQ(summary.entries().size(), 1u);
}

TEST(StormSummaryTest, StaysBoundedYetCountsEveryCrash) {
  StormSummary summary;
  for (int ns = 0; ns < 30; ++ns) {
    for (int w = 0; w < 20; ++w) summary.add("ns-" + std::to_string(ns), "Deployment/w" + std::to_string(w));
  }
  EXPECT_EQ(summary.crashes(), 600);  // nothing lost, whatever the bound
  EXPECT_LE(summary.entries().size(), StormSummary::kMaxEntries + 1);
  const StormSummary again = StormSummary::decode(summary.encode());
  EXPECT_EQ(again.crashes(), 600);
  const auto last = summary.entries().back();
  EXPECT_EQ(last.namespace_, StormSummary::kOtherNamespaces);
}

}  // namespace
}  // namespace podmon::notify
