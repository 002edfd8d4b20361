// In-process tests of kube-sim: the server runs on port 0 and is driven with Poco's HTTP client,
// the way podmon's Kubernetes client will talk to it.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "kube_sim_server.h"
#include "pod_log_api.h"

namespace podmon::kubesim {
namespace {

using Poco::JSON::Object;

struct Reply {
  int status = 0;
  std::string body;
  std::string contentType;
  Object::Ptr json() const { return Poco::JSON::Parser().parse(body).extract<Object::Ptr>(); }
};

SimPod makePod(const std::string& ns, const std::string& name, std::vector<std::string> containers = {"app"},
               std::map<std::string, std::string> labels = {}) {
  SimPod pod;
  pod.ns = ns;
  pod.name = name;
  pod.labels = std::move(labels);
  pod.ownerKind = "Deployment";
  pod.ownerName = "web";
  for (const auto& c : containers) {
    SimContainer sc;
    sc.name = c;
    sc.image = "registry.example.com/" + c + ":1.0";
    sc.startupLog = c + " line 1\n" + c + " line 2\n";
    pod.containers.push_back(sc);
  }
  return pod;
}

class KubeSimServerTest : public ::testing::Test {
 protected:
  void startServer(KubeSimServer::Options options = {}) {
    options.restartDelay = std::chrono::milliseconds(0);
    server_ = std::make_unique<KubeSimServer>(options);
    server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  Reply request(const std::string& method, const std::string& uri, const std::string& body = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!body.empty()) {
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(req) << body;
    } else {
      session.sendRequest(req);
    }
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Reply r;
    r.status = resp.getStatus();
    r.contentType = resp.getContentType();
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
  }

  // Opens a watch and collects its lines until the server ends the stream.
  std::vector<std::string> watchLines(const std::string& uri, size_t stopAfter = 1000) {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setTimeout(Poco::Timespan(15, 0));
    Poco::Net::HTTPRequest req("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    EXPECT_EQ(resp.getStatus(), 200);
    std::vector<std::string> lines;
    std::string line;
    while (lines.size() < stopAfter && std::getline(in, line)) lines.push_back(line);
    return lines;
  }

  static std::string typeOf(const std::string& line) {
    return Poco::JSON::Parser().parse(line).extract<Object::Ptr>()->getValue<std::string>("type");
  }

  std::unique_ptr<KubeSimServer> server_;
};

TEST_F(KubeSimServerTest, DiscoveryNamesPodsAndLeases) {
  startServer();
  auto core = request("GET", "/api/v1");
  ASSERT_EQ(core.status, 200);
  EXPECT_NE(core.body.find(R"("name":"pods")"), std::string::npos);
  EXPECT_NE(core.body.find(R"("name":"pods/log")"), std::string::npos);
  auto groups = request("GET", "/apis");
  EXPECT_NE(groups.body.find("coordination.k8s.io/v1"), std::string::npos);
  EXPECT_EQ(request("GET", "/apis/coordination.k8s.io/v1").status, 200);
  EXPECT_EQ(request("GET", "/version").json()->getValue<std::string>("major"), "1");
  EXPECT_EQ(request("GET", "/api/v1/nothing-here").status, 404);
}

TEST_F(KubeSimServerTest, PaginationServesOneSnapshot) {
  startServer();
  for (int i = 0; i < 7; ++i) server_->addPod(makePod("ns1", "pod-" + std::to_string(i)));
  auto first = request("GET", "/api/v1/pods?limit=3");
  ASSERT_EQ(first.status, 200);
  auto meta = first.json()->getObject("metadata");
  std::string rv = meta->getValue<std::string>("resourceVersion");
  std::string token = meta->getValue<std::string>("continue");
  EXPECT_EQ(meta->getValue<int>("remainingItemCount"), 4);
  EXPECT_EQ(first.json()->getArray("items")->size(), 3u);

  server_->addPod(makePod("ns1", "pod-late"));  // must not show up in later pages

  std::set<std::string> names;
  auto firstItems = first.json()->getArray("items");
  for (auto item : *firstItems)
    names.insert(item.extract<Object::Ptr>()->getObject("metadata")->getValue<std::string>("name"));
  while (!token.empty()) {
    auto page = request("GET", "/api/v1/pods?limit=3&continue=" + token);
    ASSERT_EQ(page.status, 200) << page.body;
    auto pageMeta = page.json()->getObject("metadata");
    EXPECT_EQ(pageMeta->getValue<std::string>("resourceVersion"), rv);
    token = pageMeta->optValue<std::string>("continue", "");
    auto pageItems = page.json()->getArray("items");
    for (auto item : *pageItems)
      names.insert(item.extract<Object::Ptr>()->getObject("metadata")->getValue<std::string>("name"));
  }
  EXPECT_EQ(names.size(), 7u);
  EXPECT_FALSE(names.count("pod-late"));
  EXPECT_EQ(request("GET", "/api/v1/pods?limit=3&continue=garbage").status, 400);
}

TEST_F(KubeSimServerTest, SelectorsFilterListsAndRejectUnknownFields) {
  startServer();
  server_->addPod(makePod("a", "web-1", {"app"}, {{"app", "web"}}));
  server_->addPod(makePod("a", "db-1", {"app"}, {{"app", "db"}, {"tier", "data"}}));
  server_->addPod(makePod("b", "web-2", {"app"}, {{"app", "web"}}));
  auto count = [&](const std::string& uri) { return request("GET", uri).json()->getArray("items")->size(); };
  EXPECT_EQ(count("/api/v1/pods?labelSelector=app%3Dweb"), 2u);
  EXPECT_EQ(count("/api/v1/pods?labelSelector=app!%3Dweb"), 1u);
  EXPECT_EQ(count("/api/v1/pods?labelSelector=tier"), 1u);
  EXPECT_EQ(count("/api/v1/namespaces/a/pods?labelSelector=app%3Dweb"), 1u);
  EXPECT_EQ(count("/api/v1/pods?fieldSelector=metadata.name%3Dweb-2"), 1u);
  EXPECT_EQ(count("/api/v1/pods?fieldSelector=metadata.namespace%3Da"), 2u);
  auto bad = request("GET", "/api/v1/pods?fieldSelector=spec.bogus%3Dx");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("field label not supported: spec.bogus"), std::string::npos);
}

TEST_F(KubeSimServerTest, GetMissingPodIsNotFoundStatus) {
  startServer();
  auto r = request("GET", "/api/v1/namespaces/x/pods/nope");
  EXPECT_EQ(r.status, 404);
  auto status = r.json();
  EXPECT_EQ(status->getValue<std::string>("kind"), "Status");
  EXPECT_EQ(status->getValue<std::string>("reason"), "NotFound");
  EXPECT_EQ(status->getValue<std::string>("message"), "pods \"nope\" not found");
  EXPECT_EQ(status->getValue<int>("code"), 404);
}

TEST_F(KubeSimServerTest, WatchSendsChangesBookmarksAndEndsAtTimeout) {
  KubeSimServer::Options opts;
  opts.bookmarkInterval = std::chrono::milliseconds(200);
  startServer(opts);
  server_->addPod(makePod("ns", "crashy"));
  uint64_t rv = server_->state().currentResourceVersion();
  auto crasher = std::async(std::launch::async, [&] {
    // The watch is open once the server counts it.
    for (int i = 0; i < 200 && server_->stats().openWatches == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server_->crashContainer("ns", "crashy", "app", "OOMKilled", 137, "killed\n");
  });
  auto started = std::chrono::steady_clock::now();
  auto lines = watchLines("/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=" +
                          std::to_string(rv));
  crasher.get();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  int modified = 0, bookmarks = 0;
  bool sawCrash = false;
  for (const auto& line : lines) {
    auto ev = Poco::JSON::Parser().parse(line).extract<Object::Ptr>();
    auto type = ev->getValue<std::string>("type");
    auto obj = ev->getObject("object");
    if (type == "BOOKMARK") {
      ++bookmarks;
      EXPECT_FALSE(obj->getObject("metadata")->getValue<std::string>("resourceVersion").empty());
      EXPECT_FALSE(obj->has("spec"));
    } else if (type == "MODIFIED") {
      ++modified;
      auto status = obj->getObject("status")->getArray("containerStatuses")->getObject(0);
      if (status->getObject("lastState")->has("terminated")) {
        sawCrash = true;
        EXPECT_EQ(status->getObject("lastState")->getObject("terminated")->getValue<int>("exitCode"), 137);
        EXPECT_EQ(status->getValue<int>("restartCount"), 1);
      }
    }
  }
  EXPECT_EQ(modified, 2) << "a crash is two MODIFIED events (CrashLoopBackOff, then running)";
  EXPECT_TRUE(sawCrash);
  EXPECT_GE(bookmarks, 1);
}

TEST_F(KubeSimServerTest, WatchWithoutResourceVersionStartsWithAdded) {
  startServer();
  server_->addPod(makePod("ns", "a"));
  server_->addPod(makePod("ns", "b"));
  auto lines = watchLines("/api/v1/namespaces/ns/pods?watch=true&timeoutSeconds=1");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(typeOf(lines[0]), "ADDED");
  EXPECT_EQ(typeOf(lines[1]), "ADDED");
}

TEST_F(KubeSimServerTest, WatchFromCompactedResourceVersionGets410) {
  KubeSimServer::Options opts;
  opts.historyLimit = 3;
  startServer(opts);
  server_->addPod(makePod("ns", "p"));
  for (int i = 0; i < 6; ++i) {
    SimAction update;
    update.kind = SimAction::Kind::Update;
    update.ns = "ns";
    update.pod = "p";
    update.labels["n"] = std::to_string(i);
    server_->updatePod(update);
  }
  auto lines = watchLines("/api/v1/pods?watch=1&resourceVersion=1&timeoutSeconds=5");
  ASSERT_EQ(lines.size(), 1u);
  auto ev = Poco::JSON::Parser().parse(lines[0]).extract<Object::Ptr>();
  EXPECT_EQ(ev->getValue<std::string>("type"), "ERROR");
  auto status = ev->getObject("object");
  EXPECT_EQ(status->getValue<int>("code"), 410);
  EXPECT_EQ(status->getValue<std::string>("reason"), "Expired");
  EXPECT_EQ(status->getValue<std::string>("message").rfind("too old resource version: 1 (", 0), 0u);
}

TEST_F(KubeSimServerTest, ExpireWatchesSends410ToOpenWatches) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  server_->addPod(makePod("ns", "q"));
  uint64_t rv = server_->state().currentResourceVersion();
  auto expirer = std::async(std::launch::async, [&] {
    for (int i = 0; i < 200 && server_->stats().openWatches == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server_->expireWatches();
  });
  auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" + std::to_string(rv));
  expirer.get();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("code":410)"), std::string::npos);
  // The old RV is gone for new watches too.
  auto again = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" + std::to_string(rv - 1));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(typeOf(again[0]), "ERROR");
}

TEST_F(KubeSimServerTest, LogsFollowTheKubeletRules) {
  startServer();
  server_->addPod(makePod("ns", "single"));
  server_->addPod(makePod("ns", "multi", {"a", "b"}));
  auto prev = request("GET", "/api/v1/namespaces/ns/pods/single/log?previous=true");
  EXPECT_EQ(prev.status, 400);
  EXPECT_EQ(prev.json()->getValue<std::string>("message"),
            "previous terminated container \"app\" in pod \"single\" not found");
  auto unnamed = request("GET", "/api/v1/namespaces/ns/pods/multi/log");
  EXPECT_EQ(unnamed.status, 400);
  EXPECT_EQ(unnamed.json()->getValue<std::string>("message"),
            "a container name must be specified for pod multi, choose one of: [a b]");
  auto invalid = request("GET", "/api/v1/namespaces/ns/pods/multi/log?container=zzz");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.json()->getValue<std::string>("message"), "container zzz is not valid for pod multi");
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/gone/log").status, 404);

  server_->crashContainer("ns", "single", "app", "Error", 1, "panic: boom\nexit 1\n");
  auto previous = request("GET", "/api/v1/namespaces/ns/pods/single/log?container=app&previous=true");
  EXPECT_EQ(previous.status, 200);
  EXPECT_EQ(previous.contentType.rfind("text/plain", 0), 0u);
  EXPECT_EQ(previous.body, "app line 1\napp line 2\npanic: boom\nexit 1\n");
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/single/log?previous=true&tailLines=2").body,
            "panic: boom\nexit 1\n");
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/single/log?previous=true&tailLines=2&limitBytes=5").body,
            "panic");
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/single/log").body, "app line 1\napp line 2\n");
}

TEST_F(KubeSimServerTest, LogFaultsFailThenRecover) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  server_->setLogFaults({0, 503, 2});
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/p/log").status, 503);
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/p/log").status, 503);
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/p/log").status, 200);
}

TEST_F(KubeSimServerTest, LogFaultsDelayOnlyTheNextRequests) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  auto r = request("POST", "/_sim/faults/logs", R"({"delayMs":3000,"delayCount":1})");
  ASSERT_EQ(r.status, 200) << r.body;
  // A client with a shorter timeout gives up on the first request; the next one answers at once.
  Poco::Net::HTTPClientSession slow("127.0.0.1", server_->port());
  slow.setTimeout(Poco::Timespan(0, 200000));
  Poco::Net::HTTPRequest req("GET", "/api/v1/namespaces/ns/pods/p/log", Poco::Net::HTTPMessage::HTTP_1_1);
  slow.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  EXPECT_THROW(slow.receiveResponse(resp), Poco::TimeoutException);
  // The held request took the one delay (polled: a loaded machine may start its handler late).
  for (int i = 0; i < 500 && server_->logFaults().get().delayCount != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(server_->logFaults().get().delayCount, 0);
  auto start = std::chrono::steady_clock::now();
  auto next = request("GET", "/api/v1/namespaces/ns/pods/p/log");
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "app line 1\napp line 2\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
}

TEST_F(KubeSimServerTest, APodLogDelayHoldsOnlyThatPodUntilCleared) {
  startServer();
  server_->addPod(makePod("ns", "slow"));
  server_->addPod(makePod("ns", "fast"));
  auto set = request("POST", "/_sim/faults/logs/pod", R"({"namespace":"ns","pod":"slow","delayMs":3000})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(server_->logFaults().podDelays(), 1u);
  // The slow pod's log holds a client with a shorter timeout...
  Poco::Net::HTTPClientSession held("127.0.0.1", server_->port());
  held.setTimeout(Poco::Timespan(0, 300000));
  Poco::Net::HTTPRequest req("GET", "/api/v1/namespaces/ns/pods/slow/log", Poco::Net::HTTPMessage::HTTP_1_1);
  held.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  EXPECT_THROW(held.receiveResponse(resp), Poco::TimeoutException);
  // ...while another pod's log answers at once, and every time (the delay is not used up).
  auto start = std::chrono::steady_clock::now();
  auto fast = request("GET", "/api/v1/namespaces/ns/pods/fast/log");
  EXPECT_EQ(fast.status, 200);
  EXPECT_EQ(fast.body, "app line 1\napp line 2\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(server_->logFaults().takeDelayMs("ns", "slow"), 3000);
  EXPECT_EQ(server_->logFaults().takeDelayMs("ns", "slow"), 3000);
  // delayMs 0 clears it; so does a general faults/logs body.
  ASSERT_EQ(request("POST", "/_sim/faults/logs/pod", R"({"namespace":"ns","pod":"slow","delayMs":0})").status, 200);
  EXPECT_EQ(server_->logFaults().podDelays(), 0u);
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/slow/log").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  ASSERT_EQ(request("POST", "/_sim/faults/logs/pod", R"({"namespace":"ns","pod":"slow","delayMs":100})").status, 200);
  ASSERT_EQ(request("POST", "/_sim/faults/logs", "{}").status, 200);
  EXPECT_EQ(server_->logFaults().podDelays(), 0u);
}

TEST_F(KubeSimServerTest, APodLogDelayRejectsBadBodies) {
  startServer();
  for (const char* body :
       {R"({"pod":"p","delayMs":10})", R"({"namespace":"ns","delayMs":10})",
        R"({"namespace":"ns","pod":"p","delayMs":-1})", R"({"namespace":"ns","pod":"p","delayMs":"x"})", "[1]"}) {
    auto r = request("POST", "/_sim/faults/logs/pod", body);
    EXPECT_EQ(r.status, 400) << body;
  }
  EXPECT_EQ(server_->logFaults().podDelays(), 0u);
}

TEST_F(KubeSimServerTest, LogFaultsControlRejectsBadValues) {
  startServer();
  for (const char* body : {R"({"failCount":-1})", R"({"failStatus":200,"failCount":1})", R"({"failStatus":700})",
                           R"({"delayMs":"slow"})", R"({"delayCount":-2})", "[1]"}) {
    auto r = request("POST", "/_sim/faults/logs", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.json()->getValue<std::string>("kind"), "Status") << body;
  }
  auto fail = request("POST", "/_sim/faults/logs", R"({"failStatus":504,"failCount":1})");
  ASSERT_EQ(fail.status, 200) << fail.body;
  server_->addPod(makePod("ns", "p"));
  auto r = request("GET", "/api/v1/namespaces/ns/pods/p/log");
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(r.json()->getValue<std::string>("reason"), "InternalError");
  EXPECT_EQ(request("GET", "/api/v1/namespaces/ns/pods/p/log").status, 200);
}

TEST_F(KubeSimServerTest, PeriodicDropsCutEveryNewWatchUntilStopped) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  auto r = request("POST", "/_sim/faults/watches", R"({"dropEveryMs":100})");
  ASSERT_EQ(r.status, 200) << r.body;
  // Two watches in a row are cut: each ends (abruptly) long before its 10 s timeout.
  for (int i = 0; i < 2; ++i) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> lines;
    try {
      lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10");
    } catch (const Poco::Exception&) {
      // An abrupt close may also surface as an error from the chunked stream.
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  }
  EXPECT_GE(request("GET", "/_sim/stats").json()->getObject("watchFaults")->getValue<int>("drops"), 2);
  ASSERT_EQ(request("POST", "/_sim/faults/watches", "{}").status, 200);
  auto dropsAfterStop = server_->stats().watchFaults.drops;
  // Stopped: a watch now runs to its own timeout, and no further drop is counted.
  auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=1");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(typeOf(lines[0]), "ADDED");
  EXPECT_EQ(server_->stats().watchFaults.drops, dropsAfterStop);
}

TEST_F(KubeSimServerTest, ExpiryStormSends410StatusToEveryWatch) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  ASSERT_EQ(request("POST", "/_sim/faults/watches", R"({"expireEveryMs":100})").status, 200);
  // Every watch opened at the current RV ends with one ERROR event carrying a Status 410 Expired,
  // as the API server sends it (docs: watch ERROR event, then the stream closes).
  for (int i = 0; i < 3; ++i) {
    uint64_t rv = server_->state().currentResourceVersion();
    auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" + std::to_string(rv));
    ASSERT_EQ(lines.size(), 1u);
    auto ev = Poco::JSON::Parser().parse(lines[0]).extract<Object::Ptr>();
    EXPECT_EQ(ev->getValue<std::string>("type"), "ERROR");
    auto status = ev->getObject("object");
    EXPECT_EQ(status->getValue<std::string>("kind"), "Status");
    EXPECT_EQ(status->getValue<std::string>("status"), "Failure");
    EXPECT_EQ(status->getValue<int>("code"), 410);
    EXPECT_EQ(status->getValue<std::string>("reason"), "Expired");
  }
  EXPECT_GE(server_->stats().watchFaults.expiries, 3u);
  // A list still works in a storm: that is how a client recovers.
  auto list = request("GET", "/api/v1/pods");
  EXPECT_EQ(list.status, 200);
  ASSERT_EQ(request("POST", "/_sim/faults/watches", "{}").status, 200);
}

TEST_F(KubeSimServerTest, PeriodicMalformedLinesKeepTheWatchOpen) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  uint64_t rv = server_->state().currentResourceVersion();
  ASSERT_EQ(request("POST", "/_sim/faults/watches", R"({"malformedEveryMs":50})").status, 200);
  // Two malformed lines arrive on one watch, which stays open between them.
  auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" + std::to_string(rv), 2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) EXPECT_THROW(Poco::JSON::Parser().parse(line), Poco::Exception) << line;
  ASSERT_EQ(request("POST", "/_sim/faults/watches", "{}").status, 200);
  EXPECT_GE(server_->stats().watchFaults.malformed, 2u);
}

TEST_F(KubeSimServerTest, WatchFaultsControlRejectsBadPeriods) {
  startServer();
  for (const char* body : {R"({"dropEveryMs":-1})", R"({"expireEveryMs":5})", R"({"malformedEveryMs":"often"})", "7"}) {
    auto r = request("POST", "/_sim/faults/watches", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_NE(r.json()->getValue<std::string>("message").find("kube-sim control"), std::string::npos) << body;
  }
  EXPECT_EQ(server_->stats().watchFaults.drops + server_->stats().watchFaults.expiries, 0u);
}

TEST_F(KubeSimServerTest, ScriptedGoneStatusAnswersTheNextWatchesWithHttp410) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  auto set = request("POST", "/_sim/faults/watch-answers", R"({"answer":"gone-status","count":2})");
  ASSERT_EQ(set.status, 200) << set.body;
  for (int i = 0; i < 2; ++i) {
    auto r = request("GET", "/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=1");
    ASSERT_EQ(r.status, 410) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("kind"), "Status");
    EXPECT_EQ(r.json()->getValue<std::string>("reason"), "Expired");
    EXPECT_EQ(r.json()->getValue<int>("code"), 410);
    EXPECT_NE(r.json()->getValue<std::string>("message").find("too old resource version: 1"), std::string::npos);
  }
  // The script is used up: the third watch is a normal one, and lists were never touched.
  auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=1");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(typeOf(lines[0]), "ADDED");
  EXPECT_EQ(request("GET", "/api/v1/pods").status, 200);
  auto stats = request("GET", "/_sim/stats").json();
  EXPECT_EQ(stats->getObject("watchFaults")->getValue<int>("scripted"), 2);
  EXPECT_EQ(stats->getObject("requests")->getValue<int>("watch"), 3);
}

TEST_F(KubeSimServerTest, ScriptedGoneEventAnswersEveryWatchUntilCleared) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  ASSERT_EQ(request("POST", "/_sim/faults/watch-answers", R"({"answer":"gone-event"})").status, 200);
  for (int i = 0; i < 5; ++i) {
    auto started = std::chrono::steady_clock::now();
    auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" +
                            std::to_string(server_->state().currentResourceVersion()));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "the stream ends after the ERROR";
    ASSERT_EQ(lines.size(), 1u);
    auto ev = Poco::JSON::Parser().parse(lines[0]).extract<Object::Ptr>();
    EXPECT_EQ(ev->getValue<std::string>("type"), "ERROR");
    EXPECT_EQ(ev->getObject("object")->getValue<std::string>("kind"), "Status");
    EXPECT_EQ(ev->getObject("object")->getValue<std::string>("reason"), "Expired");
    EXPECT_EQ(ev->getObject("object")->getValue<int>("code"), 410);
  }
  EXPECT_EQ(server_->stats().watchFaults.scripted, 5u);
  ASSERT_EQ(request("POST", "/_sim/faults/watch-answers", "{}").status, 200);
  auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=1");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(typeOf(lines[0]), "ADDED");
  EXPECT_EQ(server_->stats().watchFaults.scripted, 5u);
}

TEST_F(KubeSimServerTest, ScriptedMalformedAnswerIsOneBadLineThenTheEnd) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  uint64_t rv = server_->state().currentResourceVersion();
  ASSERT_EQ(request("POST", "/_sim/faults/watch-answers", R"({"answer":"malformed","count":1})").status, 200);
  auto lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" + std::to_string(rv));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THROW(Poco::JSON::Parser().parse(lines[0]), Poco::Exception) << lines[0];
  // Resuming from the same resourceVersion works once the script is used up.
  server_->crashContainer("ns", "p", "app", "Error", 1, "x\n");
  lines = watchLines("/api/v1/pods?watch=1&timeoutSeconds=10&resourceVersion=" + std::to_string(rv), 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(typeOf(lines[0]), "MODIFIED");
}

TEST_F(KubeSimServerTest, WatchAnswersControlRejectsBadBodies) {
  startServer();
  for (const char* body : {R"({"answer":"sometimes"})", R"({"answer":"malformed","count":-2})",
                           R"({"answer":"gone-event","count":"many"})", "[1]"}) {
    auto r = request("POST", "/_sim/faults/watch-answers", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_NE(r.json()->getValue<std::string>("message").find("kube-sim control"), std::string::npos) << body;
  }
  EXPECT_EQ(server_->watchScript().get().answer, WatchScript::Answer::kNormal);
}

TEST_F(KubeSimServerTest, CrashRecordsBackOffEvent) {
  startServer();
  auto pod = server_->addPod(makePod("ns", "p"));
  server_->crashContainer("ns", "p", "app", "Error", 1, "x\n");
  auto r = request("GET", "/api/v1/namespaces/ns/events?fieldSelector=involvedObject.uid%3D" + pod->uid);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getValue<std::string>("kind"), "EventList");
  bool backOff = false;
  auto items = r.json()->getArray("items");
  for (auto item : *items) {
    auto ev = item.extract<Object::Ptr>();
    EXPECT_EQ(ev->getObject("involvedObject")->getValue<std::string>("uid"), pod->uid);
    if (ev->getValue<std::string>("reason") == "BackOff") {
      backOff = true;
      EXPECT_EQ(ev->getValue<std::string>("type"), "Warning");
      EXPECT_EQ(ev->getObject("involvedObject")->getValue<std::string>("fieldPath"), "spec.containers{app}");
    }
  }
  EXPECT_TRUE(backOff);
}

TEST_F(KubeSimServerTest, LeaseCreateConflictAndUpdate) {
  startServer();
  const std::string base = "/apis/coordination.k8s.io/v1/namespaces/podmon/leases";
  EXPECT_EQ(request("GET", base + "/podmon-leader").status, 404);
  const std::string lease =
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"podmon-leader"},)"
      R"("spec":{"holderIdentity":"a","leaseDurationSeconds":15,"renewTime":"2024-05-01T12:00:00.000000Z"}})";
  auto created = request("POST", base, lease);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string rv = created.json()->getObject("metadata")->getValue<std::string>("resourceVersion");
  auto again = request("POST", base, lease);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()->getValue<std::string>("reason"), "AlreadyExists");

  auto body = created.json();
  body->getObject("spec")->set("holderIdentity", "b");
  std::ostringstream fresh;
  body->stringify(fresh);
  auto updated = request("PUT", base + "/podmon-leader", fresh.str());
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_NE(updated.json()->getObject("metadata")->getValue<std::string>("resourceVersion"), rv);

  auto stale = request("PUT", base + "/podmon-leader", fresh.str());  // still carries the old RV
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()->getValue<std::string>("reason"), "Conflict");
  EXPECT_NE(stale.json()->getValue<std::string>("message").find(
                "the object has been modified; please apply your changes to the latest version and try again"),
            std::string::npos);
}

TEST_F(KubeSimServerTest, ReplicaSetPointsToDeployment) {
  startServer();
  auto pod = server_->addPod(makePod("ns", "web-5f6f7cf698-75crd"));
  EXPECT_EQ(pod->ownerKind, "ReplicaSet");
  EXPECT_EQ(pod->ownerName, "web-5f6f7cf698");
  auto rs = request("GET", "/apis/apps/v1/namespaces/ns/replicasets/web-5f6f7cf698");
  ASSERT_EQ(rs.status, 200);
  auto owner = rs.json()->getObject("metadata")->getArray("ownerReferences")->getObject(0);
  EXPECT_EQ(owner->getValue<std::string>("kind"), "Deployment");
  EXPECT_EQ(owner->getValue<std::string>("name"), "web");
}

TEST_F(KubeSimServerTest, ControlEndpointCrashesAndReportsStats) {
  startServer();
  server_->addPod(makePod("ns", "p"));
  auto r = request("POST", "/_sim/crash", R"({"namespace":"ns","pod":"p","reason":"Error","exitCode":2,"log":"bye"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto pod = server_->state().getPod("ns", "p");
  EXPECT_EQ(pod->containers[0].restartCount, 1);
  EXPECT_EQ(request("POST", "/_sim/crash", R"({"namespace":"ns","pod":"nope"})").status, 404);
  EXPECT_EQ(request("POST", "/_sim/crash", "{not json").status, 400);
  auto stats = request("GET", "/_sim/stats").json();
  EXPECT_EQ(stats->getValue<int>("pods"), 1);
  EXPECT_GE(stats->getObject("requests")->getValue<int>("control"), 3);
}

TEST_F(KubeSimServerTest, ApiLatencyDelaysApiRequestsButNotTheControlEndpoints) {
  KubeSimServer::Options options;
  options.apiLatency = std::chrono::milliseconds(300);
  startServer(options);
  server_->addPod(makePod("ns", "p"));
  auto timed = [&](const std::string& method, const std::string& uri, const std::string& body = "") {
    auto start = std::chrono::steady_clock::now();
    auto reply = request(method, uri, body);
    EXPECT_LT(reply.status, 300) << uri << ": " << reply.body;
    return std::chrono::steady_clock::now() - start;
  };
  for (const char* uri : {"/api/v1/namespaces/ns/pods", "/api/v1/namespaces/ns/pods/p",
                          "/api/v1/namespaces/ns/pods/p/log", "/api/v1/namespaces/ns/events", "/api"}) {
    EXPECT_GE(timed("GET", uri), std::chrono::milliseconds(300)) << uri;
  }
  // The control endpoints answer at once (well under the latency even on a loaded machine).
  EXPECT_LT(timed("GET", "/_sim/stats"), std::chrono::milliseconds(300));
  // Changed at run time; 0 stops it.
  ASSERT_EQ(request("POST", "/_sim/faults/api-latency", R"({"delayMs":0})").status, 200);
  EXPECT_EQ(server_->apiLatency(), std::chrono::milliseconds(0));
  ASSERT_EQ(request("POST", "/_sim/faults/api-latency", R"({"delayMs":20})").status, 200);
  EXPECT_EQ(server_->apiLatency(), std::chrono::milliseconds(20));
  EXPECT_EQ(request("POST", "/_sim/faults/api-latency", R"({"delayMs":-1})").status, 400);
  EXPECT_EQ(request("POST", "/_sim/faults/api-latency", R"({"delayMs":"x"})").status, 400);
  EXPECT_EQ(server_->apiLatency(), std::chrono::milliseconds(20));
}

TEST_F(KubeSimServerTest, ActionListCrashesEveryPodOrNoneWhenOneIsBad) {
  startServer();
  server_->addPod(makePod("a", "p1"));
  server_->addPod(makePod("b", "p2"));
  auto r = request(
      "POST", "/_sim/actions",
      R"({"actions":[{"namespace":"a","pod":"p1","log":"x"},{"namespace":"b","pod":"p2","reason":"OOMKilled"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(server_->state().getPod("a", "p1")->containers[0].restartCount, 1);
  EXPECT_EQ(server_->state().getPod("b", "p2")->containers[0].restartCount, 1);
  // Parsed before any is applied: a bad action leaves the cluster as it was.
  r = request("POST", "/_sim/actions", R"({"actions":[{"namespace":"a","pod":"p1"},{"action":"explode","pod":"p2"}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(server_->state().getPod("a", "p1")->containers[0].restartCount, 1);
  EXPECT_EQ(request("POST", "/_sim/actions", R"({"actions":{"pod":"p1"}})").status, 400);
}

TEST(PodLogApiTail, KeepsLastLines) {
  EXPECT_EQ(PodLogApi::tail("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(PodLogApi::tail("a\nb\nc", 1), "c");
  EXPECT_EQ(PodLogApi::tail("a\nb\n", 5), "a\nb\n");
  EXPECT_EQ(PodLogApi::tail("a\nb\n", 0), "");
}

}  // namespace
}  // namespace podmon::kubesim
