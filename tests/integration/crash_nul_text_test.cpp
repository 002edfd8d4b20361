// A NUL byte in a container's log or termination message used to cut the stored text short (SQLite
// reads text columns as C strings: `podmonctl crashes show` stopped at it). The recorder replaces
// each NUL by U+FFFD, so the whole log is stored and read back: on SQLite and on MySQL.
#include <gtest/gtest.h>

#include "fakes/fake_kube_api.h"
#include "pipeline/crash_recorder.h"
#include "store/mysql_backend.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

using namespace std::string_literals;

class CrashNulTextTest : public testing::StoreBackendTest {};

TEST_P(CrashNulTextTest, ALogWithANulIsStoredAndReadBackWhole) {
  OpenedStore store = sqlite() ? openTestStore() : openStoreOn(std::make_shared<MySqlBackend>(storeConfig()), {});
  store.migrate();
  auto api = std::make_shared<podmon::testing::FakeKubeApi>();
  api->logResponses = {{200, "starting\nheader\0\0\x01 binary\nfatal: the end of the log\n"s}};
  api->events = {{"Warning", "BackOff", "back-off\0restarting"s, 2, "2026-11-22T01:00:00Z", ""}};
  pipeline::CrashEnricher enricher(api, pipeline::EnrichOptions{500, 1 << 20, 1, std::chrono::milliseconds(1), 2},
                                   [](std::chrono::milliseconds) {});
  pipeline::CrashRecorder recorder(store.crashes, store.containerStates, enricher, "prod", pipeline::RecorderOptions{});
  crash::CrashEvent c;
  c.clusterName = "prod";
  c.namespace_ = "shop";
  c.podName = "app-1";
  c.podUid = "uid-1";
  c.containerName = "app";
  c.restartCount = 1;
  c.reason = "Error";
  c.message = "panic\0after the nul"s;
  c.detectedAt = std::chrono::system_clock::now();
  api->pods["shop/app-1"] = podmon::testing::FakeKubeApi::podOf(c);  // the log's owner check passes
  recorder.start();
  recorder.onCrash(c);
  ASSERT_TRUE(recorder.waitIdle(std::chrono::seconds(30)));
  recorder.stop();

  const auto crashes = store.crashes->listRecentCrashes(CrashQuery{});
  ASSERT_EQ(crashes.size(), 1u);
  const auto stored = store.crashes->getCrash(crashes[0].id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.logs, "starting\nheader\xEF\xBF\xBD\xEF\xBF\xBD\x01 binary\nfatal: the end of the log\n");
  EXPECT_EQ(stored->record.event.message,
            "panic\xEF\xBF\xBD"
            "after the nul");
  EXPECT_NE(stored->record.eventsJson.find("restarting"), std::string::npos) << stored->record.eventsJson;
  EXPECT_EQ(stored->record.eventsJson.find("\\u0000"), std::string::npos) << stored->record.eventsJson;
}

INSTANTIATE_STORE_BACKEND_TESTS(CrashNulTextTest);

}  // namespace
}  // namespace podmon::store
