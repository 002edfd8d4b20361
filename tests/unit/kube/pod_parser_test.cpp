#include "kube/pod_parser.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "support/testdata.h"

namespace podmon::kube {
namespace {

using podmon::testing::readTestdata;

TEST(PodParser, ParsesDeploymentPodWithManagedFieldsAndInitContainers) {
  PodParser parser;
  PodSnapshot pod = parser.parsePod(readTestdata("pods/deployment-oomkilled.json"));
  EXPECT_EQ(pod.uid, "9a4e1c2b-1111-4c1e-9d7a-0c1b2a3d4e5f");
  EXPECT_EQ(pod.namespace_, "shop");
  EXPECT_EQ(pod.name, "checkout-7d9f8c6b5-x2x9q");
  EXPECT_EQ(pod.nodeName, "node-a-1");
  EXPECT_EQ(pod.restartPolicy, "Always");
  EXPECT_EQ(pod.resourceVersion, "48213");
  ASSERT_TRUE(pod.owner.has_value());
  EXPECT_EQ(pod.owner->kind, "ReplicaSet");
  EXPECT_EQ(pod.owner->name, "checkout-7d9f8c6b5");
  EXPECT_EQ(pod.labels.at("app.kubernetes.io/name"), "checkout");
  ASSERT_EQ(pod.containers.size(), 3u);
  EXPECT_EQ(pod.containers[0].name, "migrate");
  EXPECT_EQ(pod.containers[0].kind, ContainerKind::kInit);
  const ContainerSnapshot* app = pod.findContainer("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->kind, ContainerKind::kRegular);
  EXPECT_EQ(app->restartCount, 3);
  EXPECT_EQ(app->image, "registry.example.com/checkout:1.4.2");
  EXPECT_EQ(app->state.phase, ContainerState::Phase::kWaiting);
  EXPECT_EQ(app->state.reason, "CrashLoopBackOff");
  EXPECT_EQ(app->lastState.phase, ContainerState::Phase::kTerminated);
  EXPECT_EQ(app->lastState.reason, "OOMKilled");
  EXPECT_EQ(app->lastState.exitCode, 137);
  EXPECT_FALSE(app->lastState.signal.has_value());
  EXPECT_EQ(effectiveSignal(app->lastState), 9);
  EXPECT_EQ(app->lastState.containerId, "containerd://aaa111");
  EXPECT_EQ(app->lastState.finishedAt, "2026-11-20T10:04:58Z");
  EXPECT_EQ(pod.findContainer("proxy")->state.phase, ContainerState::Phase::kRunning);
}

TEST(PodParser, ToleratesMissingStatusAndOwner) {
  PodParser parser;
  PodSnapshot pod = parser.parsePod(readTestdata("pods/pending-no-status.json"));
  EXPECT_EQ(pod.name, "web-0");
  EXPECT_FALSE(pod.owner.has_value());
  EXPECT_TRUE(pod.containers.empty());
  EXPECT_EQ(pod.restartPolicy, "");
}

TEST(PodParser, ParsesWatchEventsOfEveryType) {
  PodParser parser;
  std::string pod = readTestdata("pods/job-failed-minimal.json");
  WatchEvent added = parser.parseWatchEvent("{\"type\":\"ADDED\",\"object\":" + pod + "}");
  EXPECT_EQ(added.type, WatchEvent::Type::kAdded);
  EXPECT_EQ(added.pod.name, "report-29345678-abcde");
  EXPECT_EQ(added.resourceVersion, "900");
  EXPECT_EQ(added.pod.containers.at(0).state.exitCode, 42);
  EXPECT_EQ(parser.parseWatchEvent("{\"type\":\"MODIFIED\",\"object\":" + pod + "}").type, WatchEvent::Type::kModified);
  EXPECT_EQ(parser.parseWatchEvent("{\"type\":\"DELETED\",\"object\":" + pod + "}").type, WatchEvent::Type::kDeleted);

  WatchEvent bookmark = parser.parseWatchEvent(
      R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12345","annotations":{"k8s.io/initial-events-end":"true"}}}})");
  EXPECT_EQ(bookmark.type, WatchEvent::Type::kBookmark);
  EXPECT_EQ(bookmark.resourceVersion, "12345");

  WatchEvent error = parser.parseWatchEvent(
      R"J({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (50)","reason":"Expired","code":410}})J");
  EXPECT_EQ(error.type, WatchEvent::Type::kError);
  EXPECT_EQ(error.errorCode, 410);
  EXPECT_EQ(error.errorMessage, "too old resource version: 1 (50)");
}

TEST(PodParser, RejectsMalformedInputWithKubeException) {
  PodParser parser;
  EXPECT_THROW(parser.parseWatchEvent("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent("not json"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent("[1,2]"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"SURPRISE","object":{}})"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"MODIFIED"})"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"MODIFIED","object":{"metadata":{"name":"x"}}})"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"BOOKMARK","object":{"metadata":{}}})"), KubeException);
  EXPECT_THROW(
      parser.parseWatchEvent(
          R"({"type":"ADDED","object":{"metadata":{"name":"a","namespace":"b","uid":"c"},"status":{"containerStatuses":[{"restartCount":1}]}}})"),
      KubeException);
  // The parser is reusable after an error.
  EXPECT_EQ(parser.parsePod(readTestdata("pods/pending-no-status.json")).name, "web-0");
}

TEST(PodParser, ParsesListPages) {
  PodParser parser;
  std::string pod = readTestdata("pods/pending-no-status.json");
  auto page = parser.parsePodList(
      R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"77","continue":"tok"},"items":[)" + pod +
      "," + readTestdata("pods/job-failed-minimal.json") + "]}");
  EXPECT_EQ(page.resourceVersion, "77");
  EXPECT_EQ(page.continueToken, "tok");
  ASSERT_EQ(page.pods.size(), 2u);
  auto empty = parser.parsePodList(R"({"kind":"PodList","metadata":{"resourceVersion":"78"},"items":null})");
  EXPECT_TRUE(empty.pods.empty());
  EXPECT_EQ(empty.continueToken, "");
}

TEST(PodParser, ParsesAgainAfterReleasingItsMemory) {
  PodParser parser;
  std::string pod = readTestdata("pods/deployment-oomkilled.json");
  PodSnapshot before = parser.parsePod(pod);
  parser.releaseMemory();
  EXPECT_EQ(parser.parsePod(pod), before);
  parser.releaseMemory();
  parser.releaseMemory();
  EXPECT_EQ(parser.parseWatchEvent("{\"type\":\"MODIFIED\",\"object\":" + pod + "}").pod, before);
}

TEST(PodParser, ReadsFieldsInAnyOrder) {
  PodParser parser;
  const std::string pod =
      R"({"status":{"ephemeralContainerStatuses":[{"name":"dbg","restartCount":0}],)"
      R"("containerStatuses":[{"lastState":{"terminated":{"exitCode":137,"containerID":"containerd://c1"}},)"
      R"("state":{"running":{"startedAt":"2026-11-20T10:00:00Z"},"waiting":{"reason":"CrashLoopBackOff"}},)"
      R"("restartCount":2,"name":"app"}],"initContainerStatuses":[{"name":"init","restartCount":0}]},)"
      R"("spec":{"restartPolicy":"Never","nodeName":"n1"},)"
      R"("metadata":{"ownerReferences":[{"kind":"X","name":"x"},{"controller":true,"name":"rs","kind":"ReplicaSet"}],)"
      R"("labels":{"b":"2","a":"1","n":3},"uid":"u1","namespace":"ns","name":"p1","resourceVersion":"9"}})";
  // The object before the type, as a proxy might write it.
  WatchEvent event = parser.parseWatchEvent(R"({"object":)" + pod + R"(,"type":"MODIFIED"})");
  EXPECT_EQ(event.type, WatchEvent::Type::kModified);
  EXPECT_EQ(event.resourceVersion, "9");
  const PodSnapshot& p = event.pod;
  EXPECT_EQ(p.name, "p1");
  EXPECT_EQ(p.restartPolicy, "Never");
  EXPECT_EQ(p.nodeName, "n1");
  ASSERT_TRUE(p.owner.has_value());
  EXPECT_EQ(p.owner->name, "rs");
  EXPECT_EQ(p.labels, (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
  // Init, then regular, then ephemeral, whatever the text's order.
  ASSERT_EQ(p.containers.size(), 3u);
  EXPECT_EQ(p.containers[0].name, "init");
  EXPECT_EQ(p.containers[1].name, "app");
  EXPECT_EQ(p.containers[2].name, "dbg");
  EXPECT_EQ(p.containers[2].kind, ContainerKind::kEphemeral);
  // waiting wins over running, as in the DOM reading; lastState keeps its terminated details.
  EXPECT_EQ(p.containers[1].state.phase, ContainerState::Phase::kWaiting);
  EXPECT_EQ(p.containers[1].state.reason, "CrashLoopBackOff");
  EXPECT_EQ(p.containers[1].state.startedAt, "");
  EXPECT_EQ(p.containers[1].lastState.exitCode, 137);
  EXPECT_EQ(p.containers[1].lastState.containerId, "containerd://c1");
  EXPECT_EQ(parser.parseWatchEvent(R"({"type":"MODIFIED","object":)" + pod + "}").pod, p);
}

TEST(PodParser, RejectsTrailingContentAndTruncatedEvents) {
  PodParser parser;
  std::string pod = readTestdata("pods/job-failed-minimal.json");
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"ADDED","object":)" + pod + "} {}"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"ADDED","object":)" + pod), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"type":"MODIFIED","object":{"kind":"Pod","apiVer)"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"object":[],"type":"ADDED"})"), KubeException);
  EXPECT_THROW(parser.parseWatchEvent(R"({"object":{}})"), KubeException);
  EXPECT_THROW(parser.parsePod(pod + "x"), KubeException);
  EXPECT_EQ(parser.parseWatchEvent(R"({"type":"ADDED","object":)" + pod + "}").pod.name, "report-29345678-abcde");
}

TEST(PodParser, HandsListItemsOverOneByOne) {
  PodParser parser;
  const std::string a = readTestdata("pods/pending-no-status.json");
  const std::string b = readTestdata("pods/job-failed-minimal.json");
  std::vector<std::string> names;
  auto info =
      parser.parsePodList(R"({"items":[)" + a + "," + b + R"(],"metadata":{"continue":"t","resourceVersion":"5"}})",
                          [&](PodSnapshot&& pod) { names.push_back(pod.name); });
  EXPECT_EQ(names, (std::vector<std::string>{"web-0", "report-29345678-abcde"}));
  EXPECT_EQ(info.items, 2u);
  EXPECT_EQ(info.resourceVersion, "5");
  EXPECT_EQ(info.continueToken, "t");
  // A bad item fails the page after the items before it were handed over.
  names.clear();
  EXPECT_THROW(parser.parsePodList(R"({"metadata":{},"items":[)" + a + R"(,7]})",
                                   [&](PodSnapshot&& pod) { names.push_back(pod.name); }),
               KubeException);
  EXPECT_EQ(names, (std::vector<std::string>{"web-0"}));
  EXPECT_THROW(parser.parsePodList(R"({"metadata":{"resourceVersion":"1"}})"), KubeException);
  EXPECT_THROW(parser.parsePodList(R"({"metadata":{},"items":{}})"), KubeException);
  EXPECT_THROW(parser.parsePodList(R"({"metadata":{},"items":[)" + a + "]"), KubeException);
}

TEST(PodParser, SignalFromKubeletWinsOverExitCode) {
  ContainerState s;
  s.phase = ContainerState::Phase::kTerminated;
  s.exitCode = 143;
  EXPECT_EQ(effectiveSignal(s), 15);
  s.signal = 6;
  EXPECT_EQ(effectiveSignal(s), 6);
  s.signal.reset();
  s.exitCode = 1;
  EXPECT_FALSE(effectiveSignal(s).has_value());
}

}  // namespace
}  // namespace podmon::kube
