// The recorder fingerprints each crash after enrichment (so from its log) before storing it.
#include <gtest/gtest.h>

#include "crash/crash_fingerprint.h"
#include "fakes/fake_kube_api.h"
#include "fakes/fake_stores.h"
#include "pipeline/crash_recorder.h"

namespace podmon::pipeline {
namespace {

crash::CrashEvent crashOf(const std::string& pod, int restart) {
  crash::CrashEvent c;
  c.clusterName = "prod";
  c.namespace_ = "shop";
  c.podName = pod;
  c.podUid = "uid-" + pod;
  c.containerName = "app";
  c.restartCount = restart;
  c.reason = "Error";
  c.exitCode = 1;
  c.image = "ghcr.io/acme/app:1";
  return c;
}

TEST(CrashRecorderFingerprint, EachCrashIsFingerprintedFromItsEnrichedLog) {
  auto api = std::make_shared<testing::FakeKubeApi>();
  api->logResponses = {{200, "2026-11-22T01:00:00Z request_id=a1 fatal: config missing\n"},
                       {200, "2026-11-22T02:30:00Z request_id=b2 fatal: config missing\n"},
                       {200, "2026-11-22T02:31:00Z fatal: disk full\n"}};
  CrashEnricher enricher(api, EnrichOptions{500, 1 << 20, 1, std::chrono::milliseconds(1), 2},
                         [](std::chrono::milliseconds) {});
  testing::FakeStores stores;
  // The fake serves its logs in order: one worker keeps the crashes in the order queued.
  RecorderOptions options;
  options.enrichWorkers = 1;
  CrashRecorder recorder(stores.crashes, stores.containerStates, enricher, "prod", options);
  api->addPodOf(crashOf("app-7d9f8c6b5d-x2k4p", 1));
  api->addPodOf(crashOf("app-7d9f8c6b5d-q8w7e", 1));
  recorder.start();
  recorder.onCrash(crashOf("app-7d9f8c6b5d-x2k4p", 1));
  recorder.onCrash(crashOf("app-7d9f8c6b5d-q8w7e", 1));
  recorder.onCrash(crashOf("app-7d9f8c6b5d-x2k4p", 2));
  ASSERT_TRUE(recorder.waitIdle(std::chrono::seconds(30)));
  recorder.stop();

  const auto crashes = stores.crashes->crashes();
  ASSERT_EQ(crashes.size(), 3u);
  for (const auto& c : crashes) {
    EXPECT_EQ(c.record.fingerprint, crash::crashFingerprint(crash::fingerprintInput(c.record.event, c.record.logs)));
  }
  EXPECT_EQ(crashes[0].record.fingerprint, crashes[1].record.fingerprint);
  EXPECT_NE(crashes[0].record.fingerprint, crashes[2].record.fingerprint);
  ASSERT_TRUE(crashes[1].fingerprintHistory);
  EXPECT_EQ(crashes[1].fingerprintHistory->count, 2);
  EXPECT_EQ(crashes[1].fingerprintHistory->pods, 2);
  EXPECT_TRUE(crashes[2].fingerprintHistory->isNew());
}

}  // namespace
}  // namespace podmon::pipeline
