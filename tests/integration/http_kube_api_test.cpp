// HttpKubeApi against kube-sim: reading one pod (the enricher's check that a log is the crash's),
// per-request timeouts, and the client-side rate limit (every request but the watch stream).
#include "kube/http_kube_api.h"

#include <gtest/gtest.h>

#include <future>

#include "core/errors.h"
#include "fakes/manual_clock.h"
#include "kube/poco_kube_transport.h"
#include "kube_sim_server.h"

namespace podmon::kube {
namespace {

using namespace std::chrono_literals;

kubesim::SimPod simPod(const std::string& ns, const std::string& name) {
  kubesim::SimPod pod;
  pod.ns = ns;
  pod.name = name;
  kubesim::SimContainer c;
  c.name = "app";
  c.image = "registry.example.com/app:1.0";
  c.startupLog = "app starting\n";
  pod.containers.push_back(c);
  return pod;
}

class HttpKubeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kubesim::KubeSimServer::Options options;
    options.restartDelay = 0ms;
    sim_ = std::make_unique<kubesim::KubeSimServer>(options);
    sim_->start();
  }
  void TearDown() override { sim_->stop(); }
  std::shared_ptr<HttpKubeApi> api(RequestRateLimiter::Ptr limiter = nullptr) {
    KubeConnection connection;
    connection.server = sim_->baseUrl();
    return std::make_shared<HttpKubeApi>(std::make_shared<PocoKubeTransport>(connection), std::move(limiter));
  }
  std::unique_ptr<kubesim::KubeSimServer> sim_;
};

TEST_F(HttpKubeApiTest, GetPodShowsAReplacedPodAndAContainerThatCrashedAgain) {
  sim_->addPod(simPod("ns", "db-0"));
  sim_->crashContainer("ns", "db-0", "app", "Error", 1, "first crash\n");
  auto first = api()->getPod("ns", "db-0", 5s);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->containers.size(), 1u);
  const std::string crashedId = first->containers[0].lastState.containerId;
  EXPECT_FALSE(crashedId.empty());
  EXPECT_FALSE(first->uid.empty());
  sim_->crashContainer("ns", "db-0", "app", "Error", 1, "second crash\n");
  auto again = api()->getPod("ns", "db-0", 5s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->uid, first->uid);
  EXPECT_NE(again->containers[0].lastState.containerId, crashedId);
  sim_->recreatePod("ns", "db-0");
  auto replaced = api()->getPod("ns", "db-0", 5s);
  ASSERT_TRUE(replaced);
  EXPECT_NE(replaced->uid, first->uid);
  EXPECT_FALSE(api()->getPod("ns", "nobody", 5s)) << "404 is no pod, not an error";
}

TEST_F(HttpKubeApiTest, ALogRequestGivesUpAtItsOwnTimeout) {
  sim_->addPod(simPod("ns", "slow"));
  sim_->logFaults().setPodDelay("ns", "slow", 5000);
  LogRequest request;
  request.namespace_ = "ns";
  request.pod = "slow";
  request.container = "app";
  request.previous = false;
  request.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(api()->podLog(request), KubeException);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  sim_->logFaults().setPodDelay("ns", "slow", 0);
}

TEST_F(HttpKubeApiTest, EveryRequestButTheWatchStreamTakesAToken) {
  sim_->addPod(simPod("ns", "p"));
  auto clock = std::make_shared<testing::ManualClock>();  // no token comes back unless moved
  auto limiter = std::make_shared<RequestRateLimiter>(1, 3, clock);
  auto client = api(limiter);
  PodQuery query;
  query.namespace_ = "ns";
  const std::string rv = client->listPods(query, [](PodSnapshot&&) {});  // token 1
  client->watchPods(query, rv, 1, [](std::string_view) {});              // no token
  ASSERT_TRUE(client->getPod("ns", "p", 5s));                            // token 2
  client->podEvents("ns", "uid", 5s);                                    // token 3
  EXPECT_EQ(limiter->throttled(), 0u);
  // The burst is spent: the next request waits until the clock gives a token back.
  auto fourth = std::async(std::launch::async, [&] { return client->getPod("ns", "p", 5s).has_value(); });
  EXPECT_EQ(fourth.wait_for(200ms), std::future_status::timeout);
  clock->advance(1s);
  EXPECT_TRUE(fourth.get());
  EXPECT_EQ(limiter->throttled(), 1u);
}

}  // namespace
}  // namespace podmon::kube
