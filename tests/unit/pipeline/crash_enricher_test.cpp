#include "pipeline/crash_enricher.h"

#include <gtest/gtest.h>

#include "crash/termination_state_text.h"
#include "fakes/fake_kube_api.h"
#include "fakes/manual_clock.h"

namespace podmon::pipeline {
namespace {

using podmon::testing::FakeKubeApi;

crash::CrashEvent crashOf(const std::string& ownerKind, const std::string& ownerName) {
  crash::CrashEvent c;
  c.namespace_ = "shop";
  c.podName = "checkout-7d9f8c6b5-x2x9q";
  c.podUid = "u1";
  c.containerName = "app";
  c.restartCount = 2;
  c.ownerKind = ownerKind;
  c.ownerName = ownerName;
  c.labels["pod-template-hash"] = "7d9f8c6b5";
  return c;
}

struct Harness {
  // The pod as it was at the crash: the log's check finds the crashed instance.
  std::shared_ptr<FakeKubeApi> api = [] {
    auto api = std::make_shared<FakeKubeApi>();
    api->addPodOf(crashOf("", ""));
    return api;
  }();
  std::vector<std::chrono::milliseconds> sleeps;
  CrashEnricher enricher{api, EnrichOptions{500, 64, 3, std::chrono::milliseconds(100), 2},
                         [this](std::chrono::milliseconds d) { sleeps.push_back(d); }};
};

TEST(ClassifyLogResponse, CapturedTruncatedAndUnavailable) {
  EXPECT_EQ(classifyLogResponse({200, "boom\n"}, 100, 1000).status, "captured");
  EXPECT_EQ(classifyLogResponse({200, "boom\n"}, 100, 1000).text, "boom\n");
  auto big = classifyLogResponse({200, std::string(90, 'a') + "END"}, 10, 1000);
  EXPECT_EQ(big.status, "truncated");
  EXPECT_EQ(big.text, "aaaaaaaEND");
  EXPECT_EQ(classifyLogResponse({200, std::string(50, 'a')}, 100, 50).status, "truncated");
  auto prev = classifyLogResponse({400, "previous terminated container \"app\" in pod \"p\" not found"}, 100, 1000);
  EXPECT_EQ(prev.status, "unavailable: previous container log not found");
  EXPECT_FALSE(prev.retryable);
  EXPECT_EQ(classifyLogResponse({404, "pods \"p\" not found"}, 100, 1000).status,
            "unavailable: pod not found (deleted)");
  auto busy = classifyLogResponse({503, "overloaded"}, 100, 1000);
  EXPECT_TRUE(busy.retryable);
  EXPECT_EQ(busy.status, "unavailable: HTTP 503: overloaded");
}

TEST(ClassifyLogResponse, MakesValidUtf8AndNeverCutsACharacter) {
  std::string bytes = "ok \xff\xfe bad then 🚀🚀";
  auto c = classifyLogResponse({200, bytes}, 1000, 100000);
  EXPECT_EQ(c.text.find('\xff'), std::string::npos);
  EXPECT_NE(c.text.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
  // Cut to 6 bytes: one whole rocket (4 bytes) at most, never half of one.
  auto cut = classifyLogResponse({200, "xx🚀🚀"}, 6, 100000);
  EXPECT_EQ(cut.text, "🚀");
  EXPECT_EQ(cut.status, "truncated");
}

TEST(DeploymentFromReplicaSet, FollowsThePodTemplateHashRule) {
  EXPECT_EQ(deploymentFromReplicaSet("checkout-7d9f8c6b5", "7d9f8c6b5"), "checkout");
  EXPECT_EQ(deploymentFromReplicaSet("checkout-abc", "7d9f8c6b5"), "");
  EXPECT_EQ(deploymentFromReplicaSet("checkout-7d9f8c6b5", ""), "");
  EXPECT_EQ(deploymentFromReplicaSet("-7d9f8c6b5", "7d9f8c6b5"), "");
}

TEST(CrashEnricher, FetchesPreviousLogOwnerAndWarningEvents) {
  Harness h;
  h.api->logResponses.push_back({200, "panic: out of memory\n"});
  h.api->events = {{"Normal", "Pulled", "pulled", 1, "t0", ""},
                   {"Warning", "Unhealthy", "Liveness probe failed", 3, "t1", "spec.containers{app}"},
                   {"Warning", "BackOff", "Back-off restarting failed container", 5, "t2", ""},
                   {"Warning", "BackOff", "again", 6, "t3", ""}};
  auto record = h.enricher.enrich(crashOf("ReplicaSet", "checkout-7d9f8c6b5"));
  ASSERT_EQ(h.api->logRequests.size(), 1u);
  EXPECT_TRUE(h.api->logRequests[0].previous);
  EXPECT_EQ(h.api->logRequests[0].container, "app");
  EXPECT_EQ(h.api->logRequests[0].tailLines, 500);
  EXPECT_EQ(record.logs, "panic: out of memory\n");
  EXPECT_EQ(record.logsStatus, "captured");
  EXPECT_EQ(record.event.ownerKind, "Deployment");
  EXPECT_EQ(record.event.ownerName, "checkout");
  EXPECT_EQ(h.api->ownerLookups, 0);
  // Only Warning events, the most recent two (maxEvents = 2).
  EXPECT_EQ(record.eventsJson.find("Pulled"), std::string::npos);
  EXPECT_EQ(record.eventsJson.find("Liveness"), std::string::npos);
  EXPECT_NE(record.eventsJson.find("Back-off restarting failed container"), std::string::npos);
  EXPECT_NE(record.eventsJson.find("again"), std::string::npos);
}

TEST(CrashEnricher, JobPodReadsCurrentLogAndResolvesCronJob) {
  Harness h;
  auto c = crashOf("Job", "report-29345678");
  c.restarted = false;
  c.labels.clear();
  h.api->owners["jobs/report-29345678"] = {"CronJob", "report", "cj1"};
  h.api->logResponses.push_back({200, "exit 42"});
  auto record = h.enricher.enrich(c);
  EXPECT_FALSE(h.api->logRequests.at(0).previous);
  EXPECT_EQ(record.event.ownerKind, "CronJob");
  EXPECT_EQ(record.event.ownerName, "report");
}

TEST(CrashEnricher, RetriesTimeoutsABoundedNumberOfTimesThenRecordsUnavailable) {
  Harness h;
  h.api->logThrowsFirst = 10;
  h.api->eventsThrow = true;
  auto record = h.enricher.enrich(crashOf("", ""));
  EXPECT_EQ(h.api->logRequests.size(), 3u);
  EXPECT_EQ(record.logsStatus.rfind("unavailable: ", 0), 0u) << record.logsStatus;
  EXPECT_NE(record.logsStatus.find("Timeout"), std::string::npos);
  EXPECT_EQ(record.eventsJson, "");
  EXPECT_FALSE(h.sleeps.empty());
}

TEST(CrashEnricher, RecoversWhenARetrySucceeds) {
  Harness h;
  h.api->logResponses.push_back({500, "etcd timeout"});
  h.api->logResponses.push_back({200, "finally"});
  auto record = h.enricher.enrich(crashOf("", ""));
  EXPECT_EQ(record.logs, "finally");
  EXPECT_EQ(record.logsStatus, "captured");
}

TEST(CrashEnricher, PermanentLogErrorIsNotRetried) {
  Harness h;
  h.api->logResponses.push_back({400, "previous terminated container \"app\" in pod \"p\" not found"});
  auto record = h.enricher.enrich(crashOf("", ""));
  EXPECT_EQ(h.api->logRequests.size(), 1u);
  EXPECT_EQ(record.logsStatus, "unavailable: previous container log not found");
}

TEST(CrashEnricher, RedactsTheLogTheTerminationMessageAndEventMessages) {
  auto api = std::make_shared<FakeKubeApi>();
  EnrichOptions options{500, 1000, 1, std::chrono::milliseconds(1), 20};
  options.redactor = std::make_shared<const Redactor>();
  CrashEnricher enricher{api, options, [](std::chrono::milliseconds) {}};
  api->addPodOf(crashOf("", ""));
  api->logResponses.push_back({200, "start\nAuthorization: Bearer tok-LOG-1234\npassword=pw-LOG\n"});
  api->events = {{"Warning", "Failed", "pull with token=tok-EVENT failed", 1, "t1", ""}};
  auto c = crashOf("", "");
  c.message = "fatal: secret=tok-MESSAGE";
  c.termination.phase = kube::ContainerState::Phase::kTerminated;
  c.termination.exitCode = 1;
  c.termination.reason = "Error";
  c.termination.message = c.message;
  c.terminationState = crash::terminationStateText(c.termination);
  auto record = enricher.enrich(c);
  EXPECT_EQ(record.logs, "start\nAuthorization: Bearer [REDACTED]\npassword=[REDACTED]\n");
  EXPECT_EQ(record.event.message, "fatal: secret=[REDACTED]");
  // The original's termination_state quotes the message: redacted there too, the format kept.
  EXPECT_EQ(record.event.terminationState,
            "&ContainerStateTerminated{ExitCode:1,Signal:0,Reason:Error,Message:fatal: secret=[REDACTED],"
            "StartedAt:0001-01-01 00:00:00 +0000 UTC,FinishedAt:0001-01-01 00:00:00 +0000 UTC,ContainerID:,}");
  EXPECT_EQ(record.event.termination.message, "fatal: secret=[REDACTED]");
  EXPECT_EQ(record.eventsJson.find("tok-EVENT"), std::string::npos) << record.eventsJson;
  EXPECT_NE(record.eventsJson.find("token=[REDACTED]"), std::string::npos) << record.eventsJson;
}

TEST(LogOwnerMismatch, TheSamePodAndInstanceOrWhyNot) {
  auto c = crashOf("", "");
  c.containerId = "containerd://aaa";
  auto pod = FakeKubeApi::podOf(c);
  EXPECT_EQ(logOwnerMismatch(c, pod), "");
  EXPECT_EQ(logOwnerMismatch(c, std::nullopt), "unavailable: pod deleted before its log was checked");
  auto replaced = pod;
  replaced.uid = "u2";
  EXPECT_EQ(logOwnerMismatch(c, replaced), "unavailable: pod replaced");
  auto again = pod;
  again.containers[0].lastState.containerId = "containerd://bbb";
  again.containers[0].restartCount = 3;
  EXPECT_EQ(logOwnerMismatch(c, again), "unavailable: container restarted again");
  auto noContainer = pod;
  noContainer.containers[0].name = "other";
  EXPECT_EQ(logOwnerMismatch(c, noContainer), "unavailable: pod replaced");
  // Without container IDs, the restart count tells.
  c.containerId.clear();
  auto noIds = FakeKubeApi::podOf(c);
  EXPECT_EQ(logOwnerMismatch(c, noIds), "");
  noIds.containers[0].restartCount = 3;
  EXPECT_EQ(logOwnerMismatch(c, noIds), "unavailable: container restarted again");
  // A Job container that did not restart: its current termination is the crashed instance.
  c.restarted = false;
  c.containerId = "containerd://job";
  auto job = FakeKubeApi::podOf(c);
  EXPECT_EQ(logOwnerMismatch(c, job), "");
  job.containers[0].state.containerId = "containerd://other";
  EXPECT_EQ(logOwnerMismatch(c, job), "unavailable: container restarted again");
}

TEST(CrashEnricher, ALogReadFromAReplacedPodIsNotStored) {
  Harness h;
  auto c = crashOf("", "");
  c.containerId = "containerd://old";
  auto newPod = FakeKubeApi::podOf(c);
  newPod.uid = "u-new";
  newPod.containers[0].lastState.containerId = "containerd://new";
  h.api->pods["shop/" + c.podName] = newPod;
  h.api->logResponses.push_back({200, "the new pod's log\n"});
  auto record = h.enricher.enrich(c);
  EXPECT_EQ(record.logs, "");
  EXPECT_EQ(record.logsStatus, "unavailable: pod replaced");
  EXPECT_EQ(h.api->podLookups, 1);
}

TEST(CrashEnricher, TheLogCheckIsRetriedAndAFailureDropsTheLog) {
  Harness h;
  h.api->getPodThrowsFirst = 1;
  h.api->logResponses.push_back({200, "mine\n"});
  auto ok = h.enricher.enrich(crashOf("", ""));
  EXPECT_EQ(ok.logsStatus, "captured");
  EXPECT_EQ(ok.logs, "mine\n");
  h.api->getPodThrowsFirst = 10;
  h.api->logResponses.push_back({200, "unchecked\n"});
  auto unchecked = h.enricher.enrich(crashOf("", ""));
  EXPECT_EQ(unchecked.logs, "");
  EXPECT_EQ(unchecked.logsStatus.rfind("unavailable: could not check the log is the crash's: ", 0), 0u)
      << unchecked.logsStatus;
}

TEST(CrashEnricher, TheDeadlineEndsRetriesAndBoundsEachRequest) {
  auto clock = std::make_shared<podmon::testing::ManualClock>();
  auto api = std::make_shared<FakeKubeApi>();
  api->addPodOf(crashOf("", ""));
  EnrichOptions options{500, 1000, 5, std::chrono::milliseconds(1000), 2};
  options.timeout = std::chrono::seconds(10);
  // Each log request "hangs" for its whole timeout, then fails like a read timeout.
  api->logThrowsFirst = 100;
  std::vector<std::chrono::milliseconds> timeouts;
  api->beforeLog = [&](const kube::LogRequest& r) {
    timeouts.push_back(r.timeout);
    clock->advance(r.timeout);
  };
  CrashEnricher enricher{api, options, [&](std::chrono::milliseconds d) { clock->advance(d); }, clock};
  auto record = enricher.enrich(crashOf("", ""));
  EXPECT_EQ(record.logsStatus, "unavailable: timed out");
  ASSERT_EQ(timeouts.size(), 1u) << "no time was left for a retry";
  EXPECT_EQ(timeouts[0], std::chrono::seconds(10));
  EXPECT_EQ(record.eventsJson, "") << "no events fetched after the deadline";
}

TEST(CrashEnricher, ARetryGetsOnlyTheTimeLeft) {
  auto clock = std::make_shared<podmon::testing::ManualClock>();
  auto api = std::make_shared<FakeKubeApi>();
  api->addPodOf(crashOf("", ""));
  EnrichOptions options{500, 1000, 3, std::chrono::milliseconds(500), 2};
  options.timeout = std::chrono::seconds(60);
  api->logThrowsFirst = 1;
  api->logResponses.push_back({200, "second try\n"});
  std::vector<std::chrono::milliseconds> timeouts;
  api->beforeLog = [&](const kube::LogRequest& r) {
    timeouts.push_back(r.timeout);
    if (timeouts.size() == 1) clock->advance(std::chrono::seconds(30));
  };
  CrashEnricher enricher{api, options, [&](std::chrono::milliseconds d) { clock->advance(d); }, clock};
  auto record = enricher.enrich(crashOf("", ""));
  EXPECT_EQ(record.logsStatus, "captured");
  ASSERT_EQ(timeouts.size(), 2u);
  EXPECT_EQ(timeouts[0], std::chrono::seconds(60));
  EXPECT_EQ(timeouts[1], std::chrono::milliseconds(29500));
}

TEST(ClassifyLogResponse, RedactsBeforeCuttingTheTail) {
  Redactor redactor;
  // The tail (16 bytes) would start inside the token; masking first leaves no part of it.
  std::string log = "token=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 done";
  auto capture = classifyLogResponse({200, log}, 16, 100000, &redactor);
  EXPECT_EQ(capture.text, "=[REDACTED] done");
  EXPECT_EQ(capture.status, "truncated");
  auto error = classifyLogResponse({500, "upstream said password=pw-ERR"}, 100, 1000, &redactor);
  EXPECT_EQ(error.status, "unavailable: HTTP 500: upstream said password=[REDACTED]");
}

}  // namespace
}  // namespace podmon::pipeline
