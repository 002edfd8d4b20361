#include "status/metrics_registry.h"

#include <gtest/gtest.h>

#include <thread>

#include "unit/status/prometheus_text_checker.h"

namespace podmon::status {
namespace {

using podmon::testing::parsePrometheusText;

TEST(MetricsRegistry, RendersValidPrometheusText) {
  MetricsRegistry m;
  m.counter("podmon_crashes_detected_total", "Crashes recorded.", {{"namespace", "shop"}, {"reason", "OOMKilled"}})
      .add(2);
  m.counter("podmon_crashes_detected_total", "Crashes recorded.", {{"namespace", "a\"b\\c\nd"}, {"reason", "Error"}})
      .add(1);
  m.gauge("podmon_is_leader", "1 when leading.\nSecond line \\ slash").set(1);
  auto& h = m.histogram("podmon_detection_latency_seconds", "Latency.", MetricsRegistry::latencyBuckets());
  h.observe(0.003);
  h.observe(0.2);
  h.observe(1000);
  std::string text = m.render();
  auto parsed = parsePrometheusText(text);
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems) << "\n" << text;
  EXPECT_EQ(parsed.types["podmon_crashes_detected_total"], "counter");
  EXPECT_EQ(parsed.value("podmon_crashes_detected_total", {{"namespace", "shop"}, {"reason", "OOMKilled"}}), 2);
  EXPECT_EQ(parsed.value("podmon_crashes_detected_total", {{"namespace", "a\"b\\c\nd"}, {"reason", "Error"}}), 1);
  EXPECT_EQ(parsed.value("podmon_detection_latency_seconds_bucket", {{"le", "0.005"}}), 1);
  EXPECT_EQ(parsed.value("podmon_detection_latency_seconds_bucket", {{"le", "0.25"}}), 2);
  EXPECT_EQ(parsed.value("podmon_detection_latency_seconds_bucket", {{"le", "300"}}), 2);
  EXPECT_EQ(parsed.value("podmon_detection_latency_seconds_bucket", {{"le", "+Inf"}}), 3);
  EXPECT_EQ(parsed.value("podmon_detection_latency_seconds_count"), 3);
  EXPECT_NEAR(*parsed.value("podmon_detection_latency_seconds_sum"), 1000.203, 1e-9);
  EXPECT_NE(text.find("# HELP podmon_is_leader 1 when leading.\\nSecond line \\\\ slash\n"), std::string::npos);
}

TEST(MetricsRegistry, SameSeriesIsReturnedAgain) {
  MetricsRegistry m;
  auto& a = m.counter("x_total", "h", {{"sink", "slack"}});
  auto& b = m.counter("x_total", "h", {{"sink", "slack"}});
  EXPECT_EQ(&a, &b);
  a.add(1);
  b.setAtLeast(5);
  b.setAtLeast(3);  // never backwards
  EXPECT_EQ(a.value(), 5);
}

TEST(MetricsRegistry, RejectsBadNamesAndTypeClashes) {
  MetricsRegistry m;
  EXPECT_ANY_THROW(m.counter("bad-name_total", "h"));
  EXPECT_ANY_THROW(m.counter("ok_total", "h", {{"__reserved", "x"}}));
  EXPECT_ANY_THROW(m.histogram("h_seconds", "h", {1}, {{"le", "x"}}));
  m.gauge("g", "h");
  EXPECT_ANY_THROW(m.counter("g", "h"));
}

TEST(MetricsRegistry, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry m;
  auto& c = m.counter("c_total", "h");
  auto& h = m.histogram("h_seconds", "h", {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.add(1);
        h.observe(0.5);
      }
    });
  for (auto& t : threads) t.join();
  auto parsed = parsePrometheusText(m.render());
  EXPECT_TRUE(parsed.problems.empty());
  EXPECT_EQ(parsed.value("c_total"), 40000);
  EXPECT_EQ(parsed.value("h_seconds_count"), 40000);
}

TEST(PrometheusTextChecker, FindsTheMistakesItIsFor) {
  auto problems = [](const std::string& t) { return parsePrometheusText(t).problems.size(); };
  EXPECT_EQ(problems("# TYPE a_total counter\na_total 1\n"), 0u);
  EXPECT_GT(problems("# TYPE a_total counter\na_total 1"), 0u);    // no final newline
  EXPECT_GT(problems("a_total 1\n# TYPE a_total counter\n"), 0u);  // TYPE after sample
  EXPECT_GT(problems("# TYPE a counter\na 1\n"), 0u);              // counter without _total
  EXPECT_GT(problems("a{x=\"1\"} 1\nb 2\na{x=\"2\"} 1\n"), 0u);    // not contiguous
  EXPECT_GT(problems("a 1\na 2\n"), 0u);                           // repeated series
  EXPECT_GT(problems("a{x=\"\\q\"} 1\n"), 0u);                     // bad escape
  EXPECT_GT(problems("a one\n"), 0u);                              // bad value
  EXPECT_GT(problems("1a 1\n"), 0u);                               // bad name
  EXPECT_GT(problems("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"), 0u);
  EXPECT_GT(problems("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"), 0u);  // no +Inf
  EXPECT_EQ(problems("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"), 0u);
  EXPECT_EQ(problems("a NaN\nb +Inf\nc -1.5e3 1700000000000\n"), 0u);
}

}  // namespace
}  // namespace podmon::status
