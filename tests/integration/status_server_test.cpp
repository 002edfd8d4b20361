// The status server over real HTTP on port 0: open endpoints, HEAD, token auth, the rate limit,
// and /metrics read back through the Prometheus text checker.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "fakes/fake_crash_repository.h"
#include "status/status_server.h"
#include "unit/status/prometheus_text_checker.h"

namespace podmon::status {
namespace {

struct Reply {
  int status = 0;
  std::string body;
  std::string contentType;
  std::string retryAfter;
};

class StatusServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metrics_.counter("podmon_crashes_detected_total", "Crashes.", {{"namespace", "shop"}, {"reason", "Error"}}).add(3);
    metrics_.histogram("podmon_detection_latency_seconds", "Latency.", MetricsRegistry::latencyBuckets()).observe(0.02);
    server_ = std::make_unique<StatusServer>(StatusServer::Options{"127.0.0.1", 0, 4}, metrics_, health_);
    server_->start();
  }
  void TearDown() override { server_->stop(); }

  Reply call(const std::string& method, const std::string& uri, const std::string& authorization = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!authorization.empty()) req.set("Authorization", authorization);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    auto& in = session.receiveResponse(resp);
    Reply r;
    r.status = resp.getStatus();
    r.contentType = resp.getContentType();
    r.retryAfter = resp.get("Retry-After", "");
    if (method != "HEAD") Poco::StreamCopier::copyToString(in, r.body);
    return r;
  }

  MetricsRegistry metrics_;
  HealthState health_;
  std::unique_ptr<StatusServer> server_;
};

TEST_F(StatusServerTest, MetricsAreValidPrometheusText) {
  auto r = call("GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.contentType, "text/plain; version=0.0.4; charset=utf-8");
  auto parsed = podmon::testing::parsePrometheusText(r.body);
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems);
  EXPECT_EQ(parsed.value("podmon_crashes_detected_total", {{"namespace", "shop"}, {"reason", "Error"}}), 3);
  EXPECT_EQ(parsed.value("podmon_detection_latency_seconds_count"), 1);
}

TEST_F(StatusServerTest, HealthzAndReadyz) {
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  health_.setCheck("mysql", false, "unreachable: connection refused");
  auto r = call("GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("connection refused"), std::string::npos);
  EXPECT_EQ(call("GET", "/healthz").status, 200);  // MySQL never fails liveness
  EXPECT_EQ(call("HEAD", "/readyz").status, 503);
  health_.setCheck("mysql", true, "reachable");
  EXPECT_EQ(call("GET", "/readyz").status, 200);
}

TEST_F(StatusServerTest, ApiNeedsTokenAndIsRateLimited) {
  EXPECT_EQ(call("GET", "/api/v1/crashes", "Bearer t").status, 404);  // no API attached: off
  auto states = std::make_shared<podmon::testing::FakeContainerStateStore>();
  states->saveBaseline("c1", {"shop", "web-6d4cf56db6-h7x2k", "web", "uid", 0, ""});  // a known workload
  auto store = std::make_shared<podmon::testing::FakeCrashRepository>(SystemClock::instance(), states);
  HealthApiOptions options;
  options.clusterName = "c1";
  options.token = "t0ken";
  options.ratePerHour = 4;
  server_->attachApi(std::make_shared<HealthApi>(options, store));
  EXPECT_EQ(call("GET", "/api/v1/crashes").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/crashes", "Bearer t0ken").status, 200);
  EXPECT_EQ(call("HEAD", "/api/v1/healthz/shop/deployment/web?token=t0ken").status, 200);
  auto r = call("GET", "/api/v1/healthz/shop/deployment/web", "Basic dTp0MGtlbg==");  // u:t0ken
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"healthy\""), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/crashes", "Bearer t0ken").status, 200);  // the 401 took none of the 4
  auto limited = call("GET", "/api/v1/crashes", "Bearer t0ken");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.retryAfter, "900");
  EXPECT_EQ(call("GET", "/metrics").status, 200);  // open endpoints are never limited
}

}  // namespace
}  // namespace podmon::status
