#include "status/health_api.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "fakes/fake_crash_repository.h"
#include "status/health_state.h"
#include "status/status_server.h"
#include "unit/notify/notify_fakes.h"
#include "unit/status/prometheus_text_checker.h"

namespace podmon::status {
namespace {

using notify::fakes::ManualClock;
using Poco::JSON::Object;

Object::Ptr json(const ApiResponse& r) { return Poco::JSON::Parser().parse(r.body).extract<Object::Ptr>(); }

class HealthApiTest : public ::testing::Test {
 protected:
  HealthApiTest()
      : clock_(std::make_shared<ManualClock>()),
        states_(std::make_shared<podmon::testing::FakeContainerStateStore>()),
        store_(std::make_shared<podmon::testing::FakeCrashRepository>(clock_, states_)) {}

  std::unique_ptr<HealthApi> api(std::string token = "tok", int rate = 3600, std::size_t logBudget = 8 << 20) {
    HealthApiOptions o;
    o.clusterName = "c1";
    o.token = std::move(token);
    o.ratePerHour = rate;
    o.maxLogBytesPerAnswer = logBudget;
    return std::make_unique<HealthApi>(o, store_, clock_);
  }
  // A pod the watcher saw (a container state row) that never crashed.
  void seePod(const std::string& ns, const std::string& pod) {
    states_->saveBaseline("c1", {ns, pod, "app", pod + "-uid", 0, ""});
  }
  void crash(const std::string& ns, const std::string& pod, const std::string& ownerKind, const std::string& ownerName,
             int restart = 1, const std::string& logs = "out of memory\n") {
    store::CrashRecord r;
    auto& e = r.event;
    e.clusterName = "c1";
    e.namespace_ = ns;
    e.podName = pod;
    e.podUid = pod + "-uid";
    e.containerName = "app";
    e.restartCount = restart;
    e.reason = "OOMKilled";
    e.exitCode = 137;
    e.ownerKind = ownerKind;
    e.ownerName = ownerName;
    e.detectedAt = clock_->now();
    r.logs = logs;
    r.logsStatus = "captured";
    store_->recordCrash(r);
  }
  static ApiRequest get(const std::string& path, std::map<std::string, std::string> query = {},
                        std::string authorization = "Bearer tok") {
    ApiRequest r;
    r.path = path;
    r.query = std::move(query);
    r.authorization = std::move(authorization);
    r.client = "10.0.0.9";
    return r;
  }

  std::shared_ptr<ManualClock> clock_;
  std::shared_ptr<podmon::testing::FakeContainerStateStore> states_;
  std::shared_ptr<podmon::testing::FakeCrashRepository> store_;
};

TEST_F(HealthApiTest, HealthyWorkloadIs200CrashedIs503UntilTheWindowPasses) {
  auto a = api();
  seePod("shop", "web-6d4cf56db6-h7x2k");
  seePod("other", "web-6d4cf56db6-zzzzz");
  auto healthy = a->handle(get("/api/v1/healthz/shop/deployment/web"));
  EXPECT_EQ(healthy.status, 200);
  EXPECT_EQ(json(healthy)->getValue<std::string>("status"), "healthy");

  crash("shop", "web-6d4cf56db6-h7x2k", "Deployment", "web");
  auto crashed = a->handle(get("/api/v1/healthz/shop/deployment/web"));
  EXPECT_EQ(crashed.status, 503);
  auto body = json(crashed);
  EXPECT_EQ(body->getValue<std::string>("status"), "crashing");
  EXPECT_EQ(body->getObject("latestCrash")->getValue<std::string>("pod"), "web-6d4cf56db6-h7x2k");
  EXPECT_EQ(body->getObject("latestCrash")->getValue<std::string>("reason"), "OOMKilled");
  EXPECT_FALSE(body->getObject("latestCrash")->has("logs"));

  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/pod/web-6d4cf56db6-h7x2k")).status, 503);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/statefulset/web")).status, 404);  // no such statefulset
  EXPECT_EQ(a->handle(get("/api/v1/healthz/other/deployment/web")).status, 200);  // other namespace
  ASSERT_FALSE(store_->workloadQueries.empty());
  EXPECT_EQ(store_->workloadQueries.back().since, clock_->now() - std::chrono::minutes(10));
  EXPECT_EQ(store_->workloadQueries.back().clusterName, "c1");
  auto head = get("/api/v1/healthz/shop/deployment/web");
  head.method = "HEAD";
  EXPECT_EQ(a->handle(head).status, 503);

  clock_->advance(std::chrono::minutes(11));
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/deployment/web")).status, 200);
}

TEST_F(HealthApiTest, JobKindCoversCronJobOwnedPods) {
  auto a = api();
  crash("batch", "report-29000000-abcde", "CronJob", "report");
  EXPECT_EQ(a->handle(get("/api/v1/healthz/batch/job/report")).status, 503);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/batch/cronjob/report")).status, 400);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/batch/job")).status, 404);
}

TEST_F(HealthApiTest, CrashListFiltersAndIncludesLogsOnlyWhenAsked) {
  auto a = api();
  crash("shop", "web-1", "Deployment", "web", 1);
  clock_->advance(std::chrono::minutes(30));
  crash("shop", "web-1", "Deployment", "web", 2);
  crash("data", "db-0", "StatefulSet", "db", 1);
  auto all = json(a->handle(get("/api/v1/crashes")));
  EXPECT_EQ(all->getValue<int>("count"), 3);
  auto shop = json(a->handle(get("/api/v1/crashes", {{"namespace", "shop"}, {"since", "10m"}})));
  EXPECT_EQ(shop->getValue<int>("count"), 1);
  auto item = shop->getArray("items")->getObject(0);
  EXPECT_FALSE(item->has("logs"));
  auto withLogs = json(a->handle(get("/api/v1/crashes", {{"limit", "1"}, {"include_logs", "true"}})));
  EXPECT_EQ(withLogs->getValue<int>("count"), 1);
  EXPECT_EQ(withLogs->getArray("items")->getObject(0)->getValue<std::string>("logs"), "out of memory\n");
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {{"limit", "x"}})).status, 400);
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {{"since", "yesterday"}})).status, 400);
}

TEST_F(HealthApiTest, TokenIsRequiredInEveryForm) {
  auto a = api();
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {}, "")).status, 401);
  auto wrong = a->handle(get("/api/v1/crashes", {}, "Bearer nope"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.headers.at("WWW-Authenticate"), "Bearer realm=\"podmon\"");
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {{"token", "tok"}}, "")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {}, "Basic dTp0b2s=")).status, 200);  // u:tok
}

TEST_F(HealthApiTest, NoTokenConfiguredMeans404) {
  auto a = api("");
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 404);
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {{"token", ""}}, "")).status, 404);
}

TEST_F(HealthApiTest, RateLimitAnswers429WithRetryAfter) {
  auto a = api("tok", 3);
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 200);
  auto limited = a->handle(get("/api/v1/crashes"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers.at("Retry-After"), "1200");
  auto other = get("/api/v1/crashes");
  other.client = "10.0.0.10";
  EXPECT_EQ(a->handle(other).status, 200);
  clock_->advance(std::chrono::seconds(1200));
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 200);
}

TEST_F(HealthApiTest, WrongTokensCannotUseUpTheBudgetOfTheRightOne) {
  // Behind an ingress every caller has the ingress's address.
  auto a = api("tok", 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a->handle(get("/api/v1/crashes", {}, "Bearer guess")).status, 401) << i;
  auto refused = a->handle(get("/api/v1/crashes", {}, ""));
  EXPECT_EQ(refused.status, 429);  // failed authentications have a budget too
  EXPECT_EQ(refused.headers.at("Retry-After"), "1200");
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {{"token", "nope"}}, "")).status, 429);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 200) << i;
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 429);  // its own budget, spent by itself
}

TEST_F(HealthApiTest, UnknownWorkloadIs404NotHealthy) {
  auto a = api();
  seePod("shop", "web-api-7d9f8c6b5-abcde");  // a pod of web-api, not of web
  seePod("shop", "db-0");
  seePod("shop", "agent-x7k2p");
  seePod("shop", "report-29000000-q2w3e");
  auto typo = a->handle(get("/api/v1/healthz/shop/deployment/web"));
  EXPECT_EQ(typo.status, 404);
  EXPECT_EQ(json(typo)->getValue<std::string>("status"), "unknown");
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/deployment/web-api")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/statefulset/db")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/daemonset/agent")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/job/report")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/pod/db-0")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/pod/db-1")).status, 404);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/statefulset/web")).status, 404);

  // Known by a crash long gone from the window: healthy, with its fields.
  crash("shop", "cache-5c7d8-k2j4h", "Deployment", "cache");
  clock_->advance(std::chrono::hours(2));
  auto known = a->handle(get("/api/v1/healthz/shop/deployment/cache"));
  EXPECT_EQ(known.status, 200);
  auto body = json(known);
  EXPECT_EQ(body->getValue<std::string>("status"), "healthy");
  EXPECT_EQ(body->getValue<int>("crashes"), 0);
  EXPECT_EQ(body->getValue<int>("windowSeconds"), 600);
  EXPECT_EQ(body->getValue<std::string>("namespace"), "shop");
  EXPECT_EQ(body->getValue<std::string>("kind"), "deployment");
  EXPECT_EQ(body->getValue<std::string>("name"), "cache");
}

TEST_F(HealthApiTest, ABusyNamespaceCannotHideACrashingWorkload) {
  auto a = api();
  crash("shop", "web-6d4cf56db6-h7x2k", "Deployment", "web");
  for (int i = 0; i < 1200; ++i) crash("shop", "batch-" + std::to_string(i), "Job", "batch-" + std::to_string(i));
  auto r = a->handle(get("/api/v1/healthz/shop/deployment/web"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(json(r)->getValue<int>("crashes"), 1);
  EXPECT_EQ(json(r)->getObject("latestCrash")->getValue<std::string>("pod"), "web-6d4cf56db6-h7x2k");
}

TEST_F(HealthApiTest, ParametersOutOfRangeOrMalformedAre400WithTheReason) {
  auto a = api();
  auto status = [&](std::map<std::string, std::string> query) { return a->handle(get("/api/v1/crashes", query)); };
  auto since = status({{"since", "999999999d"}});
  EXPECT_EQ(since.status, 400);
  EXPECT_NE(json(since)->getValue<std::string>("error").find("since"), std::string::npos);
  EXPECT_EQ(status({{"since", "3651d"}}).status, 400);
  EXPECT_EQ(status({{"since", "3650d"}}).status, 200);
  EXPECT_EQ(status({{"since", "9999-12-31T23:59:59Z"}}).status, 400);
  EXPECT_EQ(status({{"since", "1969-12-31T23:59:59Z"}}).status, 400);
  EXPECT_EQ(status({{"since", "2024-05-01T10:00:00Z"}}).status, 200);
  EXPECT_EQ(status({{"since", std::string(100, '1') + "s"}}).status, 400);
  auto limit = status({{"limit", "501"}});
  EXPECT_EQ(limit.status, 400);
  EXPECT_EQ(json(limit)->getValue<std::string>("error"), "limit must be an integer from 1 to 500");
  EXPECT_EQ(status({{"limit", "0"}}).status, 400);
  EXPECT_EQ(status({{"limit", "-1"}}).status, 400);
  EXPECT_EQ(status({{"limit", "500"}}).status, 200);
  EXPECT_EQ(status({{"include_logs", "yes"}}).status, 400);
  EXPECT_EQ(status({{"include_logs", "false"}}).status, 200);
  EXPECT_EQ(status({{"namespace", "Shop"}}).status, 400);
  EXPECT_EQ(status({{"namespace", std::string(64, 'a')}}).status, 400);
  auto unknown = status({{"namepsace", "shop"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json(unknown)->getValue<std::string>("error").find("namepsace"), std::string::npos);  // not echoed
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/deployment/Web_1")).status, 400);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/deployment/" + std::string(254, 'a'))).status, 400);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/-shop/deployment/web")).status, 400);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/deployment/web", {{"window", "1h"}})).status, 400);
}

TEST_F(HealthApiTest, IncludeLogsStopsAtTheByteBudgetAndSaysSo) {
  auto a = api("tok", 3600, 100);
  crash("shop", "web-1", "Deployment", "web", 1, std::string(40, 'x'));
  crash("shop", "web-1", "Deployment", "web", 2, std::string(40, 'y'));
  crash("shop", "web-1", "Deployment", "web", 3, std::string(40, 'z'));
  auto body = json(a->handle(get("/api/v1/crashes", {{"include_logs", "true"}})));
  auto items = body->getArray("items");
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("logs"), std::string(40, 'z'));  // newest first
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("logs"), std::string(40, 'y'));
  EXPECT_FALSE(items->getObject(2)->has("logs"));
  EXPECT_TRUE(items->getObject(2)->getValue<bool>("logsOmitted"));
  EXPECT_EQ(body->getValue<int>("logsOmittedItems"), 1);
  EXPECT_FALSE(json(a->handle(get("/api/v1/crashes")))->has("logsOmittedItems"));

  // The budget counts the answer's bytes: 20 control characters are 120 escaped.
  auto b = api("tok", 3600, 100);
  crash("shop", "web-1", "Deployment", "web", 4, std::string(20, '\x01'));
  auto escaped = json(b->handle(get("/api/v1/crashes", {{"include_logs", "true"}, {"limit", "1"}})));
  EXPECT_FALSE(escaped->getArray("items")->getObject(0)->has("logs"));
  EXPECT_EQ(escaped->getValue<int>("logsOmittedItems"), 1);
}

TEST_F(HealthApiTest, StoreOutageIs503) {
  auto a = api();
  store_->setFailing(true);
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/deployment/web")).status, 503);
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 503);
}

TEST(StatusServerRouting, OpenEndpointsAndApiOffByDefault) {
  MetricsRegistry metrics;
  metrics.gauge("podmon_up", "1").set(1);
  HealthState health;
  StatusServer server({}, metrics, health);
  ApiRequest r;
  r.path = "/metrics";
  auto m = server.route(r);
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.contentType, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(podmon::testing::parsePrometheusText(m.body).problems.empty());
  r.path = "/healthz";
  EXPECT_EQ(server.route(r).status, 200);
  r.path = "/api/v1/crashes";
  EXPECT_EQ(server.route(r).status, 404);
  r.path = "/nope";
  EXPECT_EQ(server.route(r).status, 404);
  r.path = "/readyz";
  r.method = "POST";
  EXPECT_EQ(server.route(r).status, 405);
}

}  // namespace
}  // namespace podmon::status
