#include "status/web_ui.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "fakes/fake_crash_repository.h"
#include "status/api_params.h"
#include "status/health_api.h"
#include "status/ui_sessions.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::status {
namespace {

using notify::fakes::ManualClock;
using Poco::JSON::Object;

Object::Ptr json(const ApiResponse& r) { return Poco::JSON::Parser().parse(r.body).extract<Object::Ptr>(); }

class WebUiTest : public ::testing::Test {
 protected:
  WebUiTest()
      : clock_(std::make_shared<ManualClock>()),
        store_(std::make_shared<podmon::testing::FakeCrashRepository>(clock_)) {}

  std::unique_ptr<HealthApi> api(std::string token, bool open = false, int failedPerHour = 0) {
    HealthApiOptions o;
    o.clusterName = "c1";
    o.token = std::move(token);
    o.openWithoutToken = open;
    o.failedAuthPerHour = failedPerHour;
    return std::make_unique<HealthApi>(o, store_, clock_);
  }
  static ApiRequest request(const std::string& method, const std::string& path, std::string cookie = "") {
    ApiRequest r;
    r.method = method;
    r.path = path;
    r.cookie = std::move(cookie);
    r.host = "podmon.example:8080";
    r.client = "10.0.0.9";
    return r;
  }
  static ApiRequest loginWith(const std::string& token, const std::string& origin = "http://podmon.example:8080") {
    auto r = request("POST", "/ui/login");
    r.origin = origin;
    r.body = "token=" + token;
    return r;
  }
  // The session cookie's "name=value" from a login's Set-Cookie.
  static std::string sessionCookie(const ApiResponse& login) {
    const auto& set = login.headers.at("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
  void crash(const std::string& ns, const std::string& pod, const std::string& reason, std::chrono::minutes ago) {
    store::CrashRecord r;
    r.event.clusterName = "c1";
    r.event.namespace_ = ns;
    r.event.podName = pod;
    r.event.containerName = "app";
    r.event.reason = reason;
    r.event.restartCount = ++restarts_;
    r.event.detectedAt = clock_->now() - ago;
    r.logs = "<script>window.pwned = 1</script>";
    r.eventsJson = R"([{"reason":"BackOff","message":"<img src=x onerror=1>"}])";
    store_->recordCrash(r);
  }

  std::shared_ptr<ManualClock> clock_;
  std::shared_ptr<podmon::testing::FakeCrashRepository> store_;
  int restarts_ = 0;
};

TEST_F(WebUiTest, WithATokenTheViewAsksForItAndTheRightOneMakesASession) {
  auto a = api("s3cret");
  auto page = a->handle(request("GET", "/ui/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("name=\"token\""), std::string::npos);
  EXPECT_EQ(page.body.find("app.js"), std::string::npos) << "the login page loads no script";

  auto wrong = a->handle(loginWith("nope"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.headers.count("Set-Cookie"), 0u);
  EXPECT_NE(wrong.body.find("Wrong token."), std::string::npos);

  auto right = a->handle(loginWith("s3cret"));
  EXPECT_EQ(right.status, 303);
  EXPECT_EQ(right.headers.at("Location"), "/ui/");
  const auto& set = right.headers.at("Set-Cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set.find("Path=/"), std::string::npos);
  const auto cookie = sessionCookie(right);
  EXPECT_EQ(cookie.size(), std::string("podmon_session=").size() + 64);

  auto view = a->handle(request("GET", "/ui/", cookie));
  EXPECT_NE(view.body.find("/ui/app.js"), std::string::npos);
  EXPECT_EQ(a->handle(request("GET", "/api/v1/crashes", cookie)).status, 200);
  EXPECT_EQ(a->handle(request("GET", "/api/v1/crashes")).status, 401);
  EXPECT_EQ(a->handle(request("GET", "/api/v1/crashes", "podmon_session=" + std::string(64, 'a'))).status, 401);
}

TEST_F(WebUiTest, SessionsExpire) {
  auto a = api("s3cret");
  const auto cookie = sessionCookie(a->handle(loginWith("s3cret")));
  EXPECT_EQ(a->handle(request("GET", "/api/v1/timeline", cookie)).status, 200);
  clock_->advance(UiSessions::kDefaultLifetime + std::chrono::seconds(1));
  EXPECT_EQ(a->handle(request("GET", "/api/v1/timeline", cookie)).status, 401);
}

TEST_F(WebUiTest, LoginRefusesAnotherOriginAndFailedAttemptsAreRateLimited) {
  auto a = api("s3cret", false, 2);
  EXPECT_EQ(a->handle(loginWith("s3cret", "https://evil.example")).status, 403);
  auto referred = loginWith("s3cret", "");
  referred.referer = "http://evil.example/page";
  EXPECT_EQ(a->handle(referred).status, 403);
  EXPECT_EQ(a->handle(loginWith("x")).status, 401);
  EXPECT_EQ(a->handle(loginWith("y")).status, 401);
  auto limited = a->handle(loginWith("z"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.headers.count("Retry-After"));
}

TEST_F(WebUiTest, WithoutATokenTheViewIsOffUnlessUiAuthIsNone) {
  auto off = api("");
  EXPECT_EQ(off->handle(request("GET", "/ui/")).status, 404);
  EXPECT_EQ(off->handle(request("GET", "/ui/app.js")).status, 404);
  EXPECT_EQ(off->handle(request("GET", "/api/v1/crashes")).status, 404);
  auto open = api("", true);
  auto view = open->handle(request("GET", "/ui/"));
  EXPECT_EQ(view.status, 200);
  EXPECT_NE(view.body.find("/ui/app.js"), std::string::npos);
  EXPECT_EQ(open->handle(request("GET", "/api/v1/crashes")).status, 200);
  // A token, when set, is needed whatever UI_AUTH says.
  EXPECT_EQ(api("s3cret", true)->handle(request("GET", "/api/v1/crashes")).status, 401);
}

TEST_F(WebUiTest, EveryAnswerCarriesTheStrictHeadersAndAssetsTheirTypes) {
  auto a = api("", true);
  for (const std::string path : {"/ui/", "/ui/app.js", "/ui/app.css", "/ui/nothing", "/ui"}) {
    auto r = a->handle(request("GET", path));
    EXPECT_EQ(r.headers["Content-Security-Policy"].rfind("default-src 'self';", 0), 0u) << path;
    EXPECT_NE(r.headers["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff") << path;
  }
  EXPECT_EQ(a->handle(request("GET", "/ui/app.js")).contentType, "text/javascript; charset=utf-8");
  EXPECT_EQ(a->handle(request("GET", "/ui/app.css")).contentType, "text/css; charset=utf-8");
  EXPECT_EQ(a->handle(request("GET", "/ui/nothing")).status, 404);
  EXPECT_EQ(a->handle(request("GET", "/ui")).status, 303);
  EXPECT_EQ(a->handle(request("DELETE", "/ui/")).status, 405);
  // No inline script or style in the pages: CSP would block them.
  auto page = a->handle(request("GET", "/ui/")).body;
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_EQ(page.find("style="), std::string::npos);
  EXPECT_EQ(page.find("<style"), std::string::npos);
  EXPECT_EQ(page.find(" on"), std::string::npos) << "no inline event handler";
}

TEST_F(WebUiTest, CookiesFormsAndOrigins) {
  EXPECT_EQ(WebUi::cookieValue("a=1; podmon_session=abc; b=2", "podmon_session"), "abc");
  EXPECT_EQ(WebUi::cookieValue("xpodmon_session=abc", "podmon_session"), "");
  EXPECT_EQ(WebUi::cookieValue("", "podmon_session"), "");
  EXPECT_EQ(WebUi::formField("a=1&token=t%2Bo+k%26&b=2", "token"), "t+o k&");
  EXPECT_EQ(WebUi::formField("token=%zz", "token"), "");
  EXPECT_EQ(WebUi::formField("tokens=1", "token"), "");
  ApiRequest r;
  r.host = "Podmon:8080";
  r.origin = "http://podmon:8080";
  EXPECT_TRUE(WebUi::sameOrigin(r));
  r.origin = "http://podmon:8081";
  EXPECT_FALSE(WebUi::sameOrigin(r));
  r.origin = "null";
  EXPECT_FALSE(WebUi::sameOrigin(r));
  r.host.clear();
  r.origin = "http://podmon:8080";
  EXPECT_FALSE(WebUi::sameOrigin(r));
}

TEST_F(WebUiTest, SessionTableIsBoundedAndIdsAreRandom) {
  UiSessions sessions(clock_, 3);
  const auto first = sessions.create();
  const auto second = sessions.create();
  EXPECT_NE(first, second);
  sessions.create();
  sessions.create();  // full: the oldest goes
  EXPECT_EQ(sessions.size(), 3u);
  EXPECT_FALSE(sessions.valid(first));
  EXPECT_TRUE(sessions.valid(second));
  sessions.remove(second);
  EXPECT_FALSE(sessions.valid(second));
  EXPECT_FALSE(sessions.valid(""));
}

TEST_F(WebUiTest, CrashListSearchesAndPagesWithACursor) {
  auto a = api("", true);
  crash("shop", "checkout-1", "OOMKilled", std::chrono::minutes(3));
  crash("shop", "payments-1", "Error", std::chrono::minutes(2));
  crash("batch", "report-1", "Error", std::chrono::minutes(1));
  auto r = request("GET", "/api/v1/crashes");
  r.query = {{"q", "PAYMENTS"}};
  auto found = json(a->handle(r));
  ASSERT_EQ(found->getValue<int>("count"), 1);
  EXPECT_EQ(found->getArray("items")->getObject(0)->getValue<std::string>("pod"), "payments-1");

  r.query = {{"limit", "2"}};
  auto first = json(a->handle(r));
  ASSERT_TRUE(first->has("nextCursor"));
  EXPECT_EQ(first->getArray("items")->getObject(0)->getValue<std::string>("pod"), "report-1");
  r.query = {{"limit", "2"}, {"cursor", first->getValue<std::string>("nextCursor")}};
  auto second = json(a->handle(r));
  ASSERT_EQ(second->getValue<int>("count"), 1);
  EXPECT_EQ(second->getArray("items")->getObject(0)->getValue<std::string>("pod"), "checkout-1");
  EXPECT_FALSE(second->has("nextCursor"));

  r.query = {{"cursor", "x_1"}};
  EXPECT_EQ(a->handle(r).status, 400);
  r.query = {{"q", std::string(200, 'a')}};
  EXPECT_EQ(a->handle(r).status, 400);
}

TEST_F(WebUiTest, DetailTimelineFailuresAndNamespaces) {
  auto a = api("", true);
  crash("shop", "checkout-1", "OOMKilled", std::chrono::minutes(90));
  crash("batch", "report-1", "Error", std::chrono::minutes(1));
  auto detail = json(a->handle(request("GET", "/api/v1/crashes/1")));
  EXPECT_EQ(detail->getValue<std::string>("logs"), "<script>window.pwned = 1</script>");
  EXPECT_EQ(detail->getArray("events")->getObject(0)->getValue<std::string>("message"), "<img src=x onerror=1>");
  EXPECT_EQ(a->handle(request("GET", "/api/v1/crashes/99")).status, 404);
  EXPECT_EQ(a->handle(request("GET", "/api/v1/crashes/abc")).status, 404);

  auto timeline = json(a->handle(request("GET", "/api/v1/timeline")));
  EXPECT_EQ(timeline->getValue<int>("hours"), 24);
  auto buckets = timeline->getArray("buckets");
  ASSERT_EQ(buckets->size(), 2u);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < buckets->size(); ++i) total += buckets->getObject(i)->getValue<std::int64_t>("crashes");
  EXPECT_EQ(total, 2);
  auto bad = request("GET", "/api/v1/timeline");
  bad.query = {{"hours", "0"}};
  EXPECT_EQ(a->handle(bad).status, 400);

  auto names = json(a->handle(request("GET", "/api/v1/namespaces")))->getArray("items");
  ASSERT_EQ(names->size(), 2u);
  EXPECT_EQ(names->getElement<std::string>(0), "batch");
  EXPECT_EQ(a->handle(request("GET", "/api/v1/fingerprints")).status, 200);
  ASSERT_EQ(store_->fingerprintQueries.size(), 1u);
  EXPECT_EQ(store_->fingerprintQueries.back().cluster, "c1");
}

TEST(ApiParamsCursor, RoundTripsAndRefusesJunk) {
  store::CrashCursor c{std::chrono::system_clock::time_point(std::chrono::microseconds(1764892800123456)), 42};
  EXPECT_EQ(api_params::parseCursor(api_params::formatCursor(c)), c);
  store::CrashCursor untimed{std::nullopt, 7};
  EXPECT_EQ(api_params::formatCursor(untimed), "-_7");
  EXPECT_EQ(api_params::parseCursor("-_7"), untimed);
  for (const std::string& junk :
       std::vector<std::string>{"", "_", "1_", "_1", "1-2", "a_1", "1_1_1", std::string(70, '1') + "_1"})
    EXPECT_THROW(api_params::parseCursor(junk), ApiParamError) << junk;
}

}  // namespace
}  // namespace podmon::status
