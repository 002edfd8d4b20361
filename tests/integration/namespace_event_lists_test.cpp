// A crash storm's events against kube-sim: one namespace-wide list serves the crashes of a namespace
// and gives each crash exactly the events its own fieldSelector read gives (the quiet-time path).
#include "pipeline/namespace_event_lists.h"

#include <gtest/gtest.h>

#include "kube/http_kube_api.h"
#include "kube/poco_kube_transport.h"
#include "kube_sim_server.h"
#include "pipeline/crash_enricher.h"

namespace podmon::pipeline {
namespace {

using namespace std::chrono_literals;

class NamespaceEventListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kubesim::KubeSimServer::Options options;
    options.restartDelay = 0ms;
    sim_ = std::make_unique<kubesim::KubeSimServer>(options);
    sim_->start();
    kube::KubeConnection connection;
    connection.server = sim_->baseUrl();
    api_ = std::make_shared<kube::HttpKubeApi>(std::make_shared<kube::PocoKubeTransport>(connection));
  }
  void TearDown() override { sim_->stop(); }

  // Crashes `count` pods of `ns` (every other one with a failed liveness probe: more events).
  std::vector<crash::CrashEvent> storm(const std::string& ns, int count) {
    std::vector<crash::CrashEvent> crashes;
    for (int i = 0; i < count; ++i) {
      kubesim::SimPod pod;
      pod.ns = ns;
      pod.name = "web-" + std::to_string(i);
      kubesim::SimContainer c;
      c.name = "app";
      c.startupLog = "up\n";
      pod.containers.push_back(c);
      sim_->addPod(pod);
      kubesim::SimAction crash;
      crash.ns = ns;
      crash.pod = pod.name;
      crash.log = "boom\n";
      crash.unhealthy = i % 2 == 0;
      auto crashed = sim_->crashContainer(crash);
      crash::CrashEvent e;
      e.namespace_ = ns;
      e.podName = crashed->name;
      e.podUid = crashed->uid;
      e.containerName = "app";
      e.restartCount = 1;
      crashes.push_back(e);
    }
    for (auto& e : crashes) e.detectedAt = std::chrono::system_clock::now();
    return crashes;
  }
  uint64_t eventRequests() { return sim_->stats().requests["events"]; }

  std::unique_ptr<kubesim::KubeSimServer> sim_;
  std::shared_ptr<kube::HttpKubeApi> api_;
};

std::vector<std::string> describe(const std::vector<kube::PodEventInfo>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.involvedUid + " " + e.type + " " + e.reason + " " + e.message);
  return out;
}

TEST_F(NamespaceEventListsTest, OneListServesTheStormWithEachPodsOwnEvents) {
  auto crashes = storm("shop", 12);
  storm("other", 3);  // events of another namespace stay out
  std::vector<std::vector<std::string>> own;
  for (const auto& c : crashes) own.push_back(describe(api_->podEvents(c.namespace_, c.podUid, 5s)));
  ASSERT_FALSE(own[0].empty()) << "kube-sim records events for a crash";
  const uint64_t before = eventRequests();
  NamespaceEventLists lists(api_, NamespaceEventLists::Options{});
  for (std::size_t i = 0; i < crashes.size(); ++i) {
    EXPECT_EQ(describe(lists.podEvents(crashes[i], 5s)), own[i]) << crashes[i].podName;
  }
  // Two reads below the storm threshold, then one list for the other ten.
  EXPECT_EQ(eventRequests() - before, 3u);
  EXPECT_EQ(lists.listsFetched(), 1u);
}

TEST_F(NamespaceEventListsTest, TheEnricherStoresTheSameEventsInAStormAsInQuietTimes) {
  auto crashes = storm("shop", 6);
  EnrichOptions quiet;
  quiet.eventLists.stormThreshold = 1000;  // never a storm: every crash reads its own
  EnrichOptions storming;
  storming.eventLists.stormThreshold = 1;
  CrashEnricher perPod(api_, quiet);
  CrashEnricher shared(api_, storming);
  const uint64_t before = eventRequests();
  std::vector<std::string> expected;
  for (const auto& c : crashes) expected.push_back(perPod.enrich(c).eventsJson);
  EXPECT_EQ(eventRequests() - before, crashes.size());
  const uint64_t mid = eventRequests();
  for (std::size_t i = 0; i < crashes.size(); ++i) {
    auto record = shared.enrich(crashes[i]);
    EXPECT_EQ(record.eventsJson, expected[i]) << crashes[i].podName;
    EXPECT_EQ(record.logsStatus, "captured") << "the right log, checked as before";
  }
  EXPECT_EQ(eventRequests() - mid, 1u);
}

}  // namespace
}  // namespace podmon::pipeline
