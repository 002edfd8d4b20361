#include "status/daemon_metrics.h"

#include <gtest/gtest.h>

#include "fakes/manual_clock.h"
#include "unit/index/sample_crash.h"
#include "unit/status/prometheus_text_checker.h"

namespace podmon::status {
namespace {

using namespace std::chrono_literals;
using Kind = delivery::DeliveryOutcome::Kind;

delivery::DeliveryOutcome outcome(Kind kind, std::string cause = "", int status = 0) {
  delivery::DeliveryOutcome o;
  o.kind = kind;
  o.cause = std::move(cause);
  o.status = status;
  return o;
}

class DaemonMetricsTest : public ::testing::Test {
 protected:
  DaemonMetricsTest()
      : clock_(std::make_shared<testing::ManualClock>()), health_(clock_), metrics_(registry_, health_, clock_) {}

  store::OutboxItem item(store::Sink sink) {
    auto i = index::testing::sampleItem(7, "k");
    i.sink = sink;
    i.createdAt = clock_->now();
    return i;
  }
  testing::PromParse parsed() {
    auto p = testing::parsePrometheusText(registry_.render());
    EXPECT_TRUE(p.problems.empty()) << (p.problems.empty() ? "" : p.problems.front());
    return p;
  }

  std::shared_ptr<testing::ManualClock> clock_;
  MetricsRegistry registry_;
  HealthState health_;
  DaemonMetrics metrics_;
};

TEST_F(DaemonMetricsTest, DeliveriesFeedTheLatencyHistogramBySink) {
  auto es = item(store::Sink::kElasticsearch);
  auto slack = item(store::Sink::kSlack);
  clock_->advance(30ms);
  metrics_.onDelivery(es, outcome(Kind::kDelivered, "", 201));
  clock_->advance(2s);
  metrics_.onDelivery(slack, outcome(Kind::kDelivered));

  auto p = parsed();
  EXPECT_EQ(p.value("podmon_delivery_latency_seconds_count", {{"sink", "elasticsearch"}}), 1);
  EXPECT_NEAR(*p.value("podmon_delivery_latency_seconds_sum", {{"sink", "elasticsearch"}}), 0.03, 1e-9);
  EXPECT_EQ(p.value("podmon_delivery_latency_seconds_bucket", {{"sink", "elasticsearch"}, {"le", "0.05"}}), 1);
  EXPECT_EQ(p.value("podmon_delivery_latency_seconds_count", {{"sink", "slack"}}), 1);
  EXPECT_EQ(p.value("podmon_delivery_latency_seconds_bucket", {{"sink", "slack"}, {"le", "1"}}), 0);
  EXPECT_EQ(p.value("podmon_es_bulk_items_total", {{"status", "201"}}), 1);
  EXPECT_FALSE(p.value("podmon_delivery_failures_total", {{"sink", "elasticsearch"}, {"cause", "other"}}));
}

TEST_F(DaemonMetricsTest, FailuresAreCountedBySinkAndCauseAndSlackRateLimitsSeparately) {
  metrics_.onDelivery(item(store::Sink::kElasticsearch), outcome(Kind::kRetry, "item_429", 429));
  metrics_.onDelivery(item(store::Sink::kElasticsearch), outcome(Kind::kRetry, "item_429", 429));
  metrics_.onDelivery(item(store::Sink::kElasticsearch), outcome(Kind::kDead, "item_400", 400));
  metrics_.onDelivery(item(store::Sink::kElasticsearch), outcome(Kind::kRetry, "connection"));
  metrics_.onDelivery(item(store::Sink::kSlack), outcome(Kind::kRetry, "rate_limited"));
  metrics_.onDelivery(item(store::Sink::kSlack), outcome(Kind::kRetry));  // no cause given

  auto p = parsed();
  EXPECT_EQ(p.value("podmon_delivery_failures_total", {{"sink", "elasticsearch"}, {"cause", "item_429"}}), 2);
  EXPECT_EQ(p.value("podmon_delivery_failures_total", {{"sink", "elasticsearch"}, {"cause", "item_400"}}), 1);
  EXPECT_EQ(p.value("podmon_delivery_failures_total", {{"sink", "elasticsearch"}, {"cause", "connection"}}), 1);
  EXPECT_EQ(p.value("podmon_delivery_failures_total", {{"sink", "slack"}, {"cause", "rate_limited"}}), 1);
  EXPECT_EQ(p.value("podmon_delivery_failures_total", {{"sink", "slack"}, {"cause", "other"}}), 1);
  EXPECT_EQ(p.value("podmon_slack_rate_limited_total"), 1);
  EXPECT_EQ(p.value("podmon_es_bulk_items_total", {{"status", "429"}}), 2);
  EXPECT_EQ(p.value("podmon_es_bulk_items_total", {{"status", "400"}}), 1);
  EXPECT_EQ(p.value("podmon_delivery_latency_seconds_count", {{"sink", "elasticsearch"}}), 0);
}

TEST_F(DaemonMetricsTest, AHeldBackAlertIsNoFailure) {
  auto held = outcome(Kind::kRetry, "held");
  held.deferred = true;
  metrics_.onDelivery(item(store::Sink::kSlack), held);
  EXPECT_FALSE(parsed().value("podmon_delivery_failures_total", {{"sink", "slack"}, {"cause", "held"}}));
}

TEST_F(DaemonMetricsTest, PollReportsWatchEventsByTypeAndWhatTheDetectorsTrack) {
  kube::WatchStats watch;
  watch.added = 5;
  watch.modified = 40;
  watch.deleted = 2;
  watch.bookmarks = 3;
  watch.errorEvents = 1;
  pipeline::CrashTracker::TrackedCounts tracked;
  tracked.pods = 7;
  tracked.containers = 12;
  DaemonMetrics::Sources sources;
  sources.watch = &watch;
  sources.tracked = &tracked;
  metrics_.setSources(sources);
  metrics_.pollOnce();

  auto p = parsed();
  EXPECT_EQ(p.value("podmon_watch_events_total", {{"type", "ADDED"}}), 5);
  EXPECT_EQ(p.value("podmon_watch_events_total", {{"type", "MODIFIED"}}), 40);
  EXPECT_EQ(p.value("podmon_watch_events_total", {{"type", "DELETED"}}), 2);
  EXPECT_EQ(p.value("podmon_watch_events_total", {{"type", "BOOKMARK"}}), 3);
  EXPECT_EQ(p.value("podmon_watch_events_total", {{"type", "ERROR"}}), 1);
  EXPECT_EQ(p.value("podmon_pods_tracked"), 7);
  EXPECT_EQ(p.value("podmon_containers_tracked"), 12);
}

}  // namespace
}  // namespace podmon::status
