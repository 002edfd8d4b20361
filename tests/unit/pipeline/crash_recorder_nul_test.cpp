// NUL bytes in a crash's log, termination message and event texts are replaced by U+FFFD before
// the crash is stored (and so before it is indexed or sent).
#include <gtest/gtest.h>

#include "fakes/fake_kube_api.h"
#include "fakes/fake_stores.h"
#include "pipeline/crash_recorder.h"

namespace podmon::pipeline {
namespace {

using namespace std::string_literals;

TEST(CrashRecorderNul, NulBytesAreReplacedBeforeTheCrashIsStored) {
  auto api = std::make_shared<testing::FakeKubeApi>();
  api->logResponses = {{200, "starting\n\0binary\0 tail\nfatal: boom\n"s}};
  api->events = {{"Warning", "BackOff", "back-off\0restarting"s, 2, "2026-11-22T01:00:00Z", ""}};
  CrashEnricher enricher(api, EnrichOptions{500, 1 << 20, 1, std::chrono::milliseconds(1), 2},
                         [](std::chrono::milliseconds) {});
  testing::FakeStores stores;
  CrashRecorder recorder(stores.crashes, stores.containerStates, enricher, "prod", RecorderOptions{});
  crash::CrashEvent c;
  c.clusterName = "prod";
  c.namespace_ = "shop";
  c.podName = "app-1";
  c.podUid = "uid-1";
  c.containerName = "app";
  c.restartCount = 1;
  c.reason = "Error";
  c.message = "panic\0at 0x0"s;
  api->pods["shop/app-1"] = testing::FakeKubeApi::podOf(c);
  recorder.start();
  recorder.onCrash(c);
  ASSERT_TRUE(recorder.waitIdle(std::chrono::seconds(30)));
  recorder.stop();

  const auto crashes = stores.crashes->crashes();
  ASSERT_EQ(crashes.size(), 1u);
  const auto& stored = crashes[0].record;
  EXPECT_EQ(stored.logs,
            "starting\n\xEF\xBF\xBD"
            "binary\xEF\xBF\xBD tail\nfatal: boom\n");
  EXPECT_EQ(stored.event.message,
            "panic\xEF\xBF\xBD"
            "at 0x0");
  EXPECT_EQ(stored.eventsJson.find("\\u0000"), std::string::npos) << stored.eventsJson;
  EXPECT_NE(stored.eventsJson.find("back-off\\ufffdrestarting"), std::string::npos) << stored.eventsJson;
}

}  // namespace
}  // namespace podmon::pipeline
