// The status server over real HTTP on port 0: open endpoints, HEAD, token auth, the rate limit,
// /metrics read back through the Prometheus text checker, and probes that idle, half-sent or
// too many connections cannot starve.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "fakes/fake_crash_repository.h"
#include "status/status_server.h"
#include "unit/status/log_capture.h"
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
    StatusServer::Options options{"127.0.0.1", 0, 4};
    options.maxConnections = 80;
    options.headerTimeout = std::chrono::milliseconds(1500);
    server_ = std::make_unique<StatusServer>(options, metrics_, health_);
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

  Poco::Net::StreamSocket connect() {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress("127.0.0.1", server_->port()), Poco::Timespan(2, 0));
    return s;
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
  health_.setCheck("mysql", false, "unreachable: Access denied for user 'podmon'@'db.internal:3306' (crashes)");
  auto r = call("GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  // Open to anyone: components and states only, never the user, host, port, database or error.
  EXPECT_EQ(r.body, R"({"components":{"mysql":"down"},"status":"failing"})");
  EXPECT_EQ(call("GET", "/healthz").status, 200);  // MySQL never fails liveness
  EXPECT_EQ(call("HEAD", "/readyz").status, 503);
  health_.setCheck("mysql", true, "reachable");
  EXPECT_EQ(call("GET", "/readyz").status, 200);
}

// Issue 20: GET /health answers like the original kubernetes-pod-monitor's: 200 {"status":"up"},
// else 500 with nothing that names a host or an error.
TEST_F(StatusServerTest, HealthLikeTheOriginal) {
  auto starting = call("GET", "/health");
  EXPECT_EQ(starting.status, 500);  // nothing checked yet
  EXPECT_EQ(starting.body, R"({"status":"down"})");
  health_.requireForHealth("mysql");
  health_.setCheck("mysql", true, "reachable");
  health_.setDependency("kubernetes", true, "reachable", std::chrono::seconds(60));
  health_.setDependency("elasticsearch", true, "reachable", std::chrono::seconds(60));
  auto up = call("GET", "/health");
  EXPECT_EQ(up.status, 200);
  EXPECT_EQ(up.body, R"({"status":"up"})");
  EXPECT_EQ(up.contentType.rfind("application/json", 0), 0U) << up.contentType;
  EXPECT_EQ(call("HEAD", "/health").status, 200);
  health_.setDependency("elasticsearch", false, "Elasticsearch at http://es.internal:9200 answered HTTP 401",
                        std::chrono::seconds(60));
  auto down = call("GET", "/health");
  EXPECT_EQ(down.status, 500);
  EXPECT_EQ(down.body, R"({"status":"down"})");
  EXPECT_EQ(call("GET", "/readyz").status, 200);  // Elasticsearch never fails readiness
  EXPECT_EQ(call("POST", "/health").status, 405);
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

namespace podmon::status {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Issue 18: 8 idle connections used to take all 8 handler threads, and /healthz timed out.
TEST_F(StatusServerTest, IdleAndHalfSentConnectionsDoNotStarveTheProbes) {
  health_.setDependency("kubernetes", true, "reachable", std::chrono::seconds(60));  // /health: 200
  std::vector<Poco::Net::StreamSocket> held;
  for (int i = 0; i < 32; ++i) held.push_back(connect());  // idle
  for (int i = 0; i < 32; ++i) {
    held.push_back(connect());
    held.back().sendBytes("GET /metrics HTTP/1.1\r\nHost: x\r\n", 33);  // half-sent: no blank line
  }
  double worst = 0;
  for (int i = 0; i < 10; ++i) {
    for (const char* path : {"/healthz", "/readyz", "/health"}) {
      auto start = Clock::now();
      EXPECT_EQ(call("GET", path).status, 200) << path;
      worst = std::max(worst, secondsSince(start));
    }
  }
  EXPECT_LT(worst, 1.0);
  // The API and /metrics still answer too: the half-sent heads hold no worker.
  EXPECT_EQ(call("GET", "/metrics").status, 200);
}

TEST_F(StatusServerTest, BeyondTheCapAConnectionGetsAnImmediate503) {
  std::vector<Poco::Net::StreamSocket> held;
  for (int i = 0; i < 80; ++i) held.push_back(connect());
  auto start = Clock::now();
  auto extra = connect();
  extra.setReceiveTimeout(Poco::Timespan(2, 0));
  char buffer[512] = {};
  int n = extra.receiveBytes(buffer, sizeof buffer - 1);
  EXPECT_LT(secondsSince(start), 1.0);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(std::max(n, 0))).rfind("HTTP/1.1 503", 0), 0U) << buffer;
  held.clear();
}

TEST_F(StatusServerTest, AHeadThatDoesNotArriveInTimeIsClosed) {
  auto slow = connect();
  slow.sendBytes("GET /healthz HTTP/1.1\r\n", 23);
  slow.setReceiveTimeout(Poco::Timespan(5, 0));
  auto start = Clock::now();
  char buffer[512] = {};
  int n = slow.receiveBytes(buffer, sizeof buffer - 1);
  double waited = secondsSince(start);
  EXPECT_GT(waited, 1.0);  // headerTimeout is 1.5 s
  EXPECT_LT(waited, 3.0);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(std::max(n, 0))).rfind("HTTP/1.1 408", 0), 0U) << buffer;
}

TEST_F(StatusServerTest, BadHeadsGetClearErrors) {
  auto tooLarge = connect();
  std::string head = "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(9000, 'a');
  tooLarge.sendBytes(head.data(), static_cast<int>(head.size()));
  char buffer[512] = {};
  int n = tooLarge.receiveBytes(buffer, sizeof buffer - 1);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(std::max(n, 0))).rfind("HTTP/1.1 431", 0), 0U) << buffer;
  auto bad = connect();
  bad.sendBytes("BLAH\r\n\r\n", 8);
  n = bad.receiveBytes(buffer, sizeof buffer - 1);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(std::max(n, 0))).rfind("HTTP/1.1 400", 0), 0U) << buffer;
}

// Issue 19: a token in the query string, or in a header, never reaches the log at any level.
TEST_F(StatusServerTest, NeitherQueryNorHeadersAreLogged) {
  auto store = std::make_shared<podmon::testing::FakeCrashRepository>();
  HealthApiOptions options;
  options.token = "Qu3ryT0ken";
  server_->attachApi(std::make_shared<HealthApi>(options, store));
  podmon::testing::LogCapture log;
  EXPECT_EQ(call("GET", "/api/v1/crashes?token=Qu3ryT0ken&limit=1").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/crashes?token=Wr0ngT0ken").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/crashes", "Bearer H3aderT0ken").status, 401);
  EXPECT_EQ(call("GET", "/readyz?token=Qu3ryT0ken%zz").status, 400);  // a malformed escape
  EXPECT_EQ(call("GET", "/api/v1/crashes?token=%zzQu3ryT0ken").status, 400);
  auto text = log.text();
  EXPECT_NE(text.find("/api/v1/crashes"), std::string::npos) << "the access log is at debug level: " << text;
  for (const char* secret : {"Qu3ryT0ken", "Wr0ngT0ken", "H3aderT0ken", "token=", "limit="})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " logged: " << text;
}

}  // namespace
}  // namespace podmon::status

namespace podmon::status {
namespace {

TEST(StatusServerStart, ABadBindAddressNamesTheSetting) {
  MetricsRegistry metrics;
  HealthState health;
  StatusServer server({"999.1.1.1", 0, 1}, metrics, health);
  try {
    server.start();
    FAIL() << "started on 999.1.1.1";
  } catch (const Poco::Net::NetException& e) {
    EXPECT_NE(e.message().find("STATUS_BIND_ADDRESS"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("999.1.1.1"), std::string::npos) << e.message();
  }
  server.stop();  // nothing started: a no-op
}

}  // namespace
}  // namespace podmon::status
