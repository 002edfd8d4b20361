#include "status/namespace_series_cap.h"

#include <gtest/gtest.h>

#include <string>

#include "status/metrics_registry.h"

namespace podmon::status {
namespace {

std::string ns(int i) { return "ns-" + std::to_string(i); }

TEST(NamespaceSeriesCapTest, TheFirstNamespacesGetTheirOwnSeriesTheRestCountAsOther) {
  NamespaceSeriesCap cap(3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(cap.count(ns(i)).label, ns(i));
  const auto fourth = cap.count(ns(3));
  EXPECT_EQ(fourth.label, NamespaceSeriesCap::kOther);
  EXPECT_FALSE(fourth.evicted);
  EXPECT_EQ(cap.count(ns(0)).label, ns(0));  // admitted stays admitted
  EXPECT_EQ(cap.admitted(), 3u);
}

TEST(NamespaceSeriesCapTest, ABusyNewcomerTakesTheQuietestPlace) {
  NamespaceSeriesCap cap(2);
  for (int i = 0; i < 5; ++i) cap.count("quiet");
  for (int i = 0; i < 50; ++i) cap.count("busy");
  // "storm" counts as other until it has twice quiet's 5 crashes (and at least 10).
  for (int i = 1; i < 10; ++i) EXPECT_EQ(cap.count("storm").label, NamespaceSeriesCap::kOther) << i;
  const auto promoted = cap.count("storm");
  EXPECT_EQ(promoted.label, "storm");
  ASSERT_TRUE(promoted.evicted);
  EXPECT_EQ(*promoted.evicted, "quiet");
  EXPECT_EQ(cap.count("quiet").label, NamespaceSeriesCap::kOther);
  EXPECT_EQ(cap.count("busy").label, "busy");
  EXPECT_EQ(cap.admitted(), 2u);
}

TEST(NamespaceSeriesCapTest, TenThousandNamespacesMakeAtMostCapacityPlusOneLabels) {
  NamespaceSeriesCap cap(200, 1000);
  MetricsRegistry registry;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 10000; ++i) {
      const auto d = cap.count(ns(i % 997 == 0 ? 1 : i));  // ns-1 is the busiest
      if (d.evicted) registry.removeSeries("crashes_total", "namespace", *d.evicted);
      registry.counter("crashes_total", "test", {{"namespace", d.label}}).add(1);
    }
  }
  const std::string text = registry.render();
  std::size_t series = 0;
  for (std::size_t at = text.find("crashes_total{"); at != std::string::npos; at = text.find("crashes_total{", at + 1))
    ++series;
  EXPECT_LE(series, 201u);
  EXPECT_NE(text.find("namespace=\"ns-1\""), std::string::npos);
  EXPECT_NE(text.find("namespace=\"_other\""), std::string::npos);
}

TEST(MetricsRegistryRemoveTest, RemovesOnlyTheSeriesWithThatLabelValue) {
  MetricsRegistry registry;
  registry.counter("c_total", "h", {{"namespace", "a"}, {"reason", "x"}}).add(1);
  registry.counter("c_total", "h", {{"namespace", "a"}, {"reason", "y"}}).add(1);
  registry.counter("c_total", "h", {{"namespace", "b"}, {"reason", "x"}}).add(1);
  registry.removeSeries("c_total", "namespace", "a");
  registry.removeSeries("missing_total", "namespace", "a");
  const std::string text = registry.render();
  EXPECT_EQ(text.find("namespace=\"a\""), std::string::npos) << text;
  EXPECT_NE(text.find("namespace=\"b\""), std::string::npos) << text;
}

}  // namespace
}  // namespace podmon::status
