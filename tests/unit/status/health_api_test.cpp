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
        store_(std::make_shared<podmon::testing::FakeCrashRepository>(clock_)) {}

  std::unique_ptr<HealthApi> api(std::string token = "tok", int rate = 3600) {
    HealthApiOptions o;
    o.clusterName = "c1";
    o.token = std::move(token);
    o.ratePerHour = rate;
    return std::make_unique<HealthApi>(o, store_, clock_);
  }
  void crash(const std::string& ns, const std::string& pod, const std::string& ownerKind, const std::string& ownerName,
             int restart = 1) {
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
    r.logs = "out of memory\n";
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
  std::shared_ptr<podmon::testing::FakeCrashRepository> store_;
};

TEST_F(HealthApiTest, HealthyWorkloadIs200CrashedIs503UntilTheWindowPasses) {
  auto a = api();
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
  EXPECT_EQ(a->handle(get("/api/v1/healthz/shop/statefulset/web")).status, 200);  // other kind
  EXPECT_EQ(a->handle(get("/api/v1/healthz/other/deployment/web")).status, 200);  // other namespace
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

TEST_F(HealthApiTest, RateLimitAnswers429WithRetryAfterAlsoForBadTokens) {
  auto a = api("tok", 3);
  EXPECT_EQ(a->handle(get("/api/v1/crashes")).status, 200);
  EXPECT_EQ(a->handle(get("/api/v1/crashes", {}, "Bearer guess")).status, 401);
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
