#include "spool/spooling_crash_repository.h"

#include <gtest/gtest.h>

#include "fakes/fake_container_state_store.h"
#include "fakes/fake_crash_repository.h"
#include "spool/crash_record_codec.h"
#include "unit/spool/spool_test_dir.h"

namespace podmon::spool {
namespace {

using testing::SpoolTestDir;

store::CrashRecord crashOf(const std::string& pod, int restart, std::size_t logBytes = 100) {
  store::CrashRecord r;
  r.event.clusterName = "prod";
  r.event.namespace_ = "shop";
  r.event.podName = pod;
  r.event.podUid = pod + "-uid";
  r.event.containerName = "app";
  r.event.restartCount = restart;
  r.event.restartDelta = 1;
  r.logs = pod + " crash " + std::to_string(restart) + ": " + std::string(logBytes, 'x');
  r.logsStatus = "ok";
  r.eventsJson = "[]";
  return r;
}

class SpoolingCrashRepositoryTest : public ::testing::Test {
 protected:
  std::shared_ptr<SpoolingCrashRepository> open(std::uint64_t maxBytes = 1 << 20) {
    return std::make_shared<SpoolingCrashRepository>(store_, dir_.path("crashes.spool"), maxBytes);
  }

  SpoolTestDir dir_;
  podmon::testing::FakeContainerStateStore::Ptr states_ = std::make_shared<podmon::testing::FakeContainerStateStore>();
  podmon::testing::FakeCrashRepository::Ptr store_ =
      std::make_shared<podmon::testing::FakeCrashRepository>(SystemClock::instance(), states_);
};

TEST_F(SpoolingCrashRepositoryTest, WithTheStoreUpNothingIsSpooled) {
  auto spool = open();
  const auto result = spool->recordCrash(crashOf("web-1", 1));
  EXPECT_FALSE(result.spooled);
  EXPECT_EQ(result.id, 1);
  EXPECT_FALSE(spool->pending());
  EXPECT_EQ(store_->crashes().size(), 1u);
}

// The case: crashes while MySQL is down, podmon killed (the decorator and its memory
// gone), started again: every crash is stored as its own row with its own log, once.
TEST_F(SpoolingCrashRepositoryTest, CrashesSpooledWhileTheStoreIsDownSurviveARestart) {
  store_->setFailing(true);
  {
    auto spool = open();
    for (int restart = 1; restart <= 3; ++restart) {
      const auto result = spool->recordCrash(crashOf("web-1", restart));
      EXPECT_TRUE(result.spooled);
      EXPECT_TRUE(result.isNew);
      EXPECT_FALSE(result.crashKey.empty());
    }
    EXPECT_THROW(spool->replay(), StoreException);  // still down: kept
    EXPECT_TRUE(spool->pending());
  }  // killed
  auto restarted = open();
  EXPECT_TRUE(restarted->pending());
  store_->setFailing(false);
  EXPECT_EQ(restarted->replay(), 3u);
  EXPECT_FALSE(restarted->pending());
  const auto rows = store_->crashes();
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i].record.event.restartCount, i + 1);
    EXPECT_EQ(rows[i].record.logs, crashOf("web-1", i + 1).logs);
  }
  // The restart baseline is the newest spooled crash: the next start does not detect them again.
  const auto states = states_->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].restartCount, 3);
  EXPECT_EQ(open()->replay(), 0u);  // emptied
}

TEST_F(SpoolingCrashRepositoryTest, ReplayingTwiceStoresEachCrashOnce) {
  store_->setFailing(true);
  auto spool = open();
  spool->recordCrash(crashOf("web-1", 1));
  store_->setFailing(false);
  store_->recordCrash(crashOf("web-1", 1));  // e.g. another replica stored it meanwhile
  EXPECT_EQ(spool->replay(), 1u);
  EXPECT_EQ(store_->crashes().size(), 1u);
}

// While crashes are spooled, a later one waits behind them, so one pod's crashes are stored in order.
TEST_F(SpoolingCrashRepositoryTest, ALaterCrashGoesBehindTheSpooledOnes) {
  auto spool = open();
  store_->setFailing(true);
  spool->recordCrash(crashOf("web-1", 1));
  store_->setFailing(false);
  const auto result = spool->recordCrash(crashOf("web-1", 2));
  EXPECT_FALSE(result.spooled);
  const auto rows = store_->crashes();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].record.event.restartCount, 1);
  EXPECT_EQ(rows[1].record.event.restartCount, 2);
  EXPECT_FALSE(spool->pending());
}

TEST_F(SpoolingCrashRepositoryTest, AFullSpoolDropsLogsFirstThenLeavesTheCrashToTheRecorder) {
  const std::size_t oneCrash = encodeCrashRecord(crashOf("web-1", 1, 4000)).size();
  auto spool = open(12 + 2 * (8 + oneCrash) + 1000);  // two crashes with logs, then rows only
  store_->setFailing(true);
  spool->recordCrash(crashOf("web-1", 1, 4000));
  spool->recordCrash(crashOf("web-1", 2, 4000));
  EXPECT_EQ(spool->logsDropped(), 0u);
  EXPECT_TRUE(spool->recordCrash(crashOf("web-1", 3, 4000)).spooled);
  EXPECT_EQ(spool->logsDropped(), 1u);
  std::size_t refused = 0;
  for (int restart = 4; restart < 20; ++restart) {
    try {
      spool->recordCrash(crashOf("web-1", restart, 4000));
    } catch (const StoreException&) {
      ++refused;  // the recorder keeps it in memory and retries: the watch waits
    }
  }
  EXPECT_GT(refused, 0u);
  EXPECT_LE(spool->spooledBytes(), 12 + 2 * (8 + oneCrash) + 1000);
  store_->setFailing(false);
  spool->replay();
  const auto rows = store_->crashes();
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[0].record.logsStatus, "ok");
  EXPECT_EQ(rows[2].record.logsStatus, SpoolingCrashRepository::kLogsDroppedStatus);
  EXPECT_TRUE(rows[2].record.logs.empty());
}

TEST_F(SpoolingCrashRepositoryTest, ACorruptTailIsSkippedAndTheRestStored) {
  store_->setFailing(true);
  open()->recordCrash(crashOf("web-1", 1));
  open()->recordCrash(crashOf("web-1", 2));
  const auto path = dir_.path("crashes.spool");
  const std::string bytes = SpoolTestDir::read(path);
  SpoolTestDir::write(path, bytes.substr(0, bytes.size() - 5));  // killed mid-write of the second
  store_->setFailing(false);
  auto spool = open();
  EXPECT_EQ(spool->replay(), 1u);
  ASSERT_EQ(store_->crashes().size(), 1u);
  EXPECT_EQ(store_->crashes()[0].record.event.restartCount, 1);
}

}  // namespace
}  // namespace podmon::spool
