#include "pipeline/namespace_event_lists.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "fakes/fake_kube_api.h"
#include "fakes/manual_clock.h"

namespace podmon::pipeline {
namespace {

using namespace std::chrono_literals;
using podmon::testing::FakeKubeApi;
using podmon::testing::ManualClock;

kube::PodEventInfo event(const std::string& uid, const std::string& reason, const std::string& type = "Warning") {
  kube::PodEventInfo e;
  e.involvedUid = uid;
  e.reason = reason;
  e.type = type;
  return e;
}

std::vector<std::string> reasons(const std::vector<kube::PodEventInfo>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.reason);
  return out;
}

struct Storm {
  std::shared_ptr<FakeKubeApi> api = std::make_shared<FakeKubeApi>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  NamespaceEventLists lists{api, NamespaceEventLists::Options{3, 2000ms, 500, 10, 30000ms}, clock};

  crash::CrashEvent crash(const std::string& uid, const std::string& ns = "shop") {
    crash::CrashEvent c;
    c.namespace_ = ns;
    c.podName = "pod-" + uid;
    c.podUid = uid;
    c.detectedAt = clock->now();
    return c;
  }
};

TEST(EventsByPod, GroupsByUidInTheListsOrderAndDropsEventsWithoutOne) {
  auto byPod = eventsByPod({event("a", "BackOff"), event("b", "Unhealthy"), event("a", "Killing"), event("", "X")});
  ASSERT_EQ(byPod.size(), 2u);
  EXPECT_EQ(reasons(byPod["a"]), (std::vector<std::string>{"BackOff", "Killing"}));
  EXPECT_EQ(reasons(byPod["b"]), (std::vector<std::string>{"Unhealthy"}));
}

TEST(NamespaceEventLists, QuietTimesReadEachPodsOwnEvents) {
  Storm s;
  s.api->events = {event("u1", "BackOff")};
  EXPECT_EQ(reasons(s.lists.podEvents(s.crash("u1"), 1s)), (std::vector<std::string>{"BackOff"}));
  s.clock->advance(3s);  // outside the storm window: still quiet
  EXPECT_EQ(reasons(s.lists.podEvents(s.crash("u2"), 1s)), (std::vector<std::string>{"BackOff"}));
  s.clock->advance(3s);
  s.lists.podEvents(s.crash("u3"), 1s);
  EXPECT_EQ(s.api->podEventReads, 3);
  EXPECT_EQ(s.api->eventListPages, 0);
}

TEST(NamespaceEventLists, OneCrashsRetriesAreNoStorm) {
  Storm s;
  auto c = s.crash("u1");
  for (int i = 0; i < 5; ++i) s.lists.podEvents(c, 1s);
  EXPECT_EQ(s.api->podEventReads, 5);
  EXPECT_EQ(s.api->eventListPages, 0);
}

TEST(NamespaceEventLists, AStormIsServedByOneListWithEachPodsOwnEvents) {
  Storm s;
  s.api->namespaceEvents["shop"] = {event("u3", "BackOff"), event("u4", "Unhealthy"), event("u3", "Killing"),
                                    event("other", "Evicted")};
  std::vector<crash::CrashEvent> crashes;
  for (const char* uid : {"u1", "u2", "u3", "u4", "u5"}) crashes.push_back(s.crash(uid));
  s.clock->advance(10ms);
  for (int i = 0; i < 2; ++i) s.lists.podEvents(crashes[i], 1s);  // below the threshold: their own reads
  EXPECT_EQ(s.api->podEventReads, 2);
  EXPECT_EQ(reasons(s.lists.podEvents(crashes[2], 1s)), (std::vector<std::string>{"BackOff", "Killing"}));
  EXPECT_EQ(reasons(s.lists.podEvents(crashes[3], 1s)), (std::vector<std::string>{"Unhealthy"}));
  EXPECT_TRUE(s.lists.podEvents(crashes[4], 1s).empty());
  EXPECT_EQ(s.api->podEventReads, 2);
  EXPECT_EQ(s.api->eventListPages, 1);
  EXPECT_EQ(s.lists.listsFetched(), 1u);
}

TEST(NamespaceEventLists, ACrashDetectedAfterTheListStartedGetsANewerList) {
  Storm s;
  s.api->namespaceEvents["shop"] = {event("u1", "BackOff")};
  for (const char* uid : {"a", "b", "c"}) s.lists.podEvents(s.crash(uid), 1s);  // the third starts a list
  EXPECT_EQ(s.api->eventListPages, 1);
  s.clock->advance(100ms);
  auto late = s.crash("u1");  // detected after that list started: it may miss this crash's events
  s.api->namespaceEvents["shop"].push_back(event("u1", "Killing"));
  EXPECT_EQ(reasons(s.lists.podEvents(late, 1s)), (std::vector<std::string>{"BackOff", "Killing"}));
  EXPECT_EQ(s.api->eventListPages, 2);
  // Namespaces are separate: another namespace's storm starts its own list.
  for (const char* uid : {"x", "y", "z"}) s.lists.podEvents(s.crash(uid, "batch"), 1s);
  EXPECT_EQ(s.api->eventListPages, 3);
}

TEST(NamespaceEventLists, PagesAreFollowedAndATooLongListFallsBackToThePodsOwnRead) {
  auto api = std::make_shared<FakeKubeApi>();
  auto clock = std::make_shared<ManualClock>();
  NamespaceEventLists lists{api, NamespaceEventLists::Options{1, 2000ms, 2, 2, 30000ms}, clock};
  api->namespaceEvents["shop"] = {event("u1", "A"), event("u2", "B"), event("u1", "C")};
  crash::CrashEvent c;
  c.namespace_ = "shop";
  c.podUid = "u1";
  c.detectedAt = clock->now();
  EXPECT_EQ(reasons(lists.podEvents(c, 1s)), (std::vector<std::string>{"A", "C"}));  // two pages of two
  EXPECT_EQ(api->eventListPages, 2);
  EXPECT_EQ(api->podEventReads, 0);
  api->namespaceEvents["shop"].push_back(event("u2", "D"));
  api->namespaceEvents["shop"].push_back(event("u2", "E"));  // now three pages: too long
  api->events = {event("u1", "own")};
  clock->advance(10ms);
  c.detectedAt = clock->now();
  EXPECT_EQ(reasons(lists.podEvents(c, 1s)), (std::vector<std::string>{"own"}));
  EXPECT_EQ(api->podEventReads, 1);
}

TEST(NamespaceEventLists, AFailedListFallsBackAndCrashesWithoutADetectionTimeReadTheirOwn) {
  Storm s;
  s.api->eventListThrows = true;
  s.api->events = {event("u1", "own")};
  for (const char* uid : {"a", "b", "c"})
    EXPECT_EQ(reasons(s.lists.podEvents(s.crash(uid), 1s)), (std::vector<std::string>{"own"}));
  EXPECT_EQ(s.api->eventListPages, 1);
  EXPECT_EQ(s.api->podEventReads, 3);
  s.api->eventListThrows = false;
  auto undated = s.crash("u1");
  undated.detectedAt = {};
  s.lists.podEvents(undated, 1s);
  EXPECT_EQ(s.api->eventListPages, 1);
  EXPECT_EQ(s.api->podEventReads, 4);
}

TEST(NamespaceEventLists, ConcurrentCrashesWaitForTheListInFlight) {
  Storm s;
  s.api->namespaceEvents["shop"] = {event("u3", "BackOff"), event("u4", "Unhealthy")};
  std::vector<crash::CrashEvent> crashes;
  for (const char* uid : {"u1", "u2", "u3", "u4"}) crashes.push_back(s.crash(uid));
  s.clock->advance(10ms);
  s.lists.podEvents(crashes[0], 1s);
  s.lists.podEvents(crashes[1], 1s);
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  s.api->beforeEventList = [&] {
    entered.set_value();
    released.wait();
  };
  auto leader = std::async(std::launch::async, [&] { return s.lists.podEvents(crashes[2], 5s); });
  entered.get_future().wait();
  auto waiter = std::async(std::launch::async, [&] { return s.lists.podEvents(crashes[3], 5s); });
  EXPECT_EQ(waiter.wait_for(50ms), std::future_status::timeout);  // held by the list in flight
  release.set_value();
  EXPECT_EQ(reasons(leader.get()), (std::vector<std::string>{"BackOff"}));
  EXPECT_EQ(reasons(waiter.get()), (std::vector<std::string>{"Unhealthy"}));
  EXPECT_EQ(s.api->eventListPages, 1);
  EXPECT_EQ(s.api->podEventReads, 2);
}

}  // namespace
}  // namespace podmon::pipeline
