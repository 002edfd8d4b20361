// A crash the store rejects for its data (MySQL "Data too long") is stored without its log after
// a few attempts instead of blocking every crash behind it.
#include <gtest/gtest.h>

#include "fakes/fake_kube_api.h"
#include "fakes/fake_stores.h"
#include "pipeline/crash_recorder.h"
#include "store/rejected_data_exception.h"

namespace podmon::pipeline {
namespace {

crash::CrashEvent crashOf(const std::string& pod) {
  crash::CrashEvent c;
  c.clusterName = "prod";
  c.namespace_ = "shop";
  c.podName = pod;
  c.podUid = "uid-" + pod;
  c.containerName = "app";
  c.restartCount = 1;
  c.reason = "Error";
  c.exitCode = 1;
  return c;
}

// Refuses any log longer than `maxLog` bytes, and any crash of pod "cursed", as MySQL refuses a
// value too long for its column; counts the refusals.
class RejectingRepository : public testing::FakeCrashRepository {
 public:
  store::RecordResult recordCrash(const store::CrashRecord& crash) override {
    if (crash.logs.size() > maxLog || crash.event.podName == "cursed") {
      ++refusals;
      throw store::RejectedDataException("recording a crash rejected: Data too long ([mysql_stmt_errno]: 1406)");
    }
    return FakeCrashRepository::recordCrash(crash);
  }
  std::size_t maxLog = 20;
  std::atomic<int> refusals{0};
};

class CrashRecorderRejectedTest : public ::testing::Test {
 protected:
  CrashRecorderRejectedTest() {
    api_->logResponses = {{200, "a log far longer than twenty bytes\n"}, {200, "short\n"}, {200, "short\n"}};
    options_.backoff.initial = std::chrono::milliseconds(1);
    options_.backoff.max = std::chrono::milliseconds(2);
    options_.enrichWorkers = 1;  // one at a time: the log responses above are served in crash order
  }
  // The crash of `pod`, known to the API so the enricher's check of the log's owner passes.
  crash::CrashEvent crash(const std::string& pod) {
    auto c = crashOf(pod);
    api_->pods["shop/" + pod] = testing::FakeKubeApi::podOf(c);
    return c;
  }
  std::shared_ptr<testing::FakeKubeApi> api_ = std::make_shared<testing::FakeKubeApi>();
  CrashEnricher enricher_{api_, EnrichOptions{500, 1 << 20, 1, std::chrono::milliseconds(1), 2},
                          [](std::chrono::milliseconds) {}};
  std::shared_ptr<RejectingRepository> crashes_ = std::make_shared<RejectingRepository>();
  testing::FakeStores stores_;
  RecorderOptions options_;
};

TEST_F(CrashRecorderRejectedTest, ARejectedLogIsDroppedAndTheCrashesAfterItAreStored) {
  CrashRecorder recorder(crashes_, stores_.containerStates, enricher_, "prod", options_);
  recorder.start();
  recorder.onCrash(crash("poison"));
  recorder.onCrash(crash("next-1"));
  recorder.onCrash(crash("next-2"));
  ASSERT_TRUE(recorder.waitIdle(std::chrono::seconds(30)));
  recorder.stop();

  const auto stored = crashes_->crashes();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].record.event.podName, "poison");
  EXPECT_EQ(stored[0].record.logs, "");
  EXPECT_EQ(stored[0].record.logsStatus, "unavailable: rejected by the store (too long or invalid for its column)");
  EXPECT_EQ(stored[1].record.event.podName, "next-1");
  EXPECT_EQ(stored[1].record.logs, "short\n");
  EXPECT_EQ(stored[2].record.event.podName, "next-2");
  EXPECT_EQ(crashes_->refusals.load(), 3);
  EXPECT_EQ(recorder.recorded(), 3u);
  EXPECT_EQ(recorder.rejected(), 0u);
}

TEST_F(CrashRecorderRejectedTest, ACrashRejectedEvenWithoutItsLogIsCountedAndDoesNotBlockTheQueue) {
  CrashRecorder recorder(crashes_, stores_.containerStates, enricher_, "prod", options_);
  recorder.start();
  recorder.onCrash(crash("cursed"));
  recorder.onCrash(crash("next-1"));
  ASSERT_TRUE(recorder.waitIdle(std::chrono::seconds(30)));
  recorder.stop();

  const auto stored = crashes_->crashes();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].record.event.podName, "next-1");
  EXPECT_EQ(recorder.rejected(), 1u);
  EXPECT_GE(crashes_->refusals.load(), 6);  // 3 with the log, 3 without (no events to drop)
  EXPECT_LE(crashes_->refusals.load(), 9);
}

}  // namespace
}  // namespace podmon::pipeline
