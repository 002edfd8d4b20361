#include "ha/leader_elector.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "unit/ha/fake_lease_client.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::ha {
namespace {

using namespace std::chrono_literals;
using notify::fakes::ManualClock;

class LeaderElectorTest : public ::testing::Test {
 protected:
  std::unique_ptr<LeaderElector> elector(const std::string& id, std::shared_ptr<ManualClock> clock = nullptr) {
    LeaderElectionOptions o;
    o.identity = id;
    return std::make_unique<LeaderElector>(lease_, o, clock ? clock : clock_, [this, id](bool leading) {
      changes_.push_back(id + (leading ? "+" : "-"));
    });
  }
  std::shared_ptr<fakes::FakeLeaseClient> lease_ = std::make_shared<fakes::FakeLeaseClient>();
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::vector<std::string> changes_;
};

TEST_F(LeaderElectorTest, FirstCandidateCreatesTheLeaseOthersWait) {
  auto a = elector("a");
  auto b = elector("b");
  EXPECT_EQ(a->tick(), 2000ms);
  EXPECT_TRUE(a->isLeader());
  auto lease = *lease_->lease();
  EXPECT_EQ(lease.holderIdentity, "a");
  EXPECT_EQ(lease.leaseDurationSeconds, 15);
  EXPECT_EQ(lease.leaseTransitions, 0);
  EXPECT_EQ(lease.acquireTime, "2024-05-01T10:00:00.000000Z");
  EXPECT_EQ(lease.renewTime, lease.acquireTime);

  auto delay = b->tick();
  EXPECT_FALSE(b->isLeader());
  EXPECT_GE(delay, 2000ms);  // candidates jitter: [2 s, 4.4 s)
  EXPECT_LT(delay, 4400ms);
  EXPECT_EQ(b->observedHolder(), "a");
  EXPECT_EQ(changes_, std::vector<std::string>{"a+"});
}

TEST_F(LeaderElectorTest, LeaderRenewsKeepingAcquireTimeAndTransitions) {
  auto a = elector("a");
  a->tick();
  auto acquired = lease_->lease()->acquireTime;
  clock_->advance(2s);
  a->tick();
  auto lease = *lease_->lease();
  EXPECT_EQ(lease.holderIdentity, "a");
  EXPECT_EQ(lease.acquireTime, acquired);
  EXPECT_EQ(lease.renewTime, "2024-05-01T10:00:02.000000Z");
  EXPECT_EQ(lease.leaseTransitions, 0);
}

TEST_F(LeaderElectorTest, StandbyTakesOverOnlyAfterTheRecordStoodStillForALeaseDuration) {
  auto a = elector("a");
  auto b = elector("b");
  a->tick();
  b->tick();  // b sees a's record now
  // a keeps renewing: b never takes over, however long it waits.
  for (int i = 0; i < 20; ++i) {
    clock_->advance(2s);
    a->tick();
    b->tick();
    ASSERT_FALSE(b->isLeader());
  }
  // a dies (SIGKILL: no release). b takes over 15 s after it last saw the record change.
  clock_->advance(14s);
  b->tick();
  EXPECT_FALSE(b->isLeader());
  clock_->advance(1s);
  b->tick();
  EXPECT_TRUE(b->isLeader());
  auto lease = *lease_->lease();
  EXPECT_EQ(lease.holderIdentity, "b");
  EXPECT_EQ(lease.leaseTransitions, 1);
  EXPECT_EQ(lease.acquireTime, lease.renewTime);
}

TEST_F(LeaderElectorTest, CandidateWakesAtTheHoldersExpiry) {
  auto a = elector("a");
  auto b = elector("b");
  a->tick();
  b->tick();  // observed now; expires in 15 s
  clock_->advance(13s);
  auto delay = b->tick();
  EXPECT_LE(delay, 2001ms);  // not a jittered 2-4.4 s past the expiry
  clock_->advance(delay);
  b->tick();
  EXPECT_TRUE(b->isLeader());
}

TEST_F(LeaderElectorTest, ExpiryUsesTheLocalClockNotRenewTime) {
  // b's wall clock is an hour ahead: a's renewTime looks ancient, yet b waits a full lease duration.
  auto skewed = std::make_shared<ManualClock>(clock_->now() + std::chrono::hours(1));
  auto a = elector("a");
  auto b = elector("b", skewed);
  a->tick();
  b->tick();
  EXPECT_FALSE(b->isLeader());
  skewed->advance(14s);
  b->tick();
  EXPECT_FALSE(b->isLeader());
  skewed->advance(1s);
  b->tick();
  EXPECT_TRUE(b->isLeader());
}

TEST_F(LeaderElectorTest, LeaderThatCannotRenewStandsDownBeforeTheLeaseRunsOut) {
  auto a = elector("a");
  a->tick();
  lease_->setDown(true);
  for (int t = 2; t < 10; t += 2) {
    clock_->advance(2s);
    a->tick();
    ASSERT_TRUE(a->isLeader()) << t;
  }
  clock_->advance(2s);  // 10 s since the last renewal: the renew deadline
  a->tick();
  EXPECT_FALSE(a->isLeader());
  EXPECT_EQ(changes_, (std::vector<std::string>{"a+", "a-"}));
  EXPECT_FALSE(a->leaseReachable());
  // Once the API answers again, a competes like any candidate (and gets it back: nobody else holds it).
  lease_->setDown(false);
  clock_->advance(2s);
  a->tick();
  EXPECT_TRUE(a->isLeader());
  EXPECT_EQ(a->leadershipsGained(), 2u);
}

TEST_F(LeaderElectorTest, LeaderSeeingAnotherHolderStandsDownAtOnce) {
  auto a = elector("a");
  a->tick();
  // Someone else wrote the lease (e.g. after a's partition, b took it).
  auto taken = *lease_->lease();
  taken.holderIdentity = "b";
  taken.renewTime = "2024-05-01T10:00:01.000000Z";
  ASSERT_TRUE(lease_->update(taken));
  clock_->advance(2s);
  a->tick();
  EXPECT_FALSE(a->isLeader());
  EXPECT_EQ(lease_->lease()->holderIdentity, "b");
}

TEST_F(LeaderElectorTest, ConflictIsALostRoundNotAnError) {
  auto a = elector("a");
  auto b = elector("b");
  a->tick();
  b->tick();
  // Both see an expired lease; whoever writes second gets 409 and stays a candidate.
  clock_->advance(16s);
  auto stale = *lease_->lease();
  ASSERT_EQ(b->tryAcquireOrRenew(), LeaderElector::Round::kLeader);
  stale.holderIdentity = "c";
  EXPECT_FALSE(lease_->update(stale));  // the RV it read is gone
  EXPECT_EQ(lease_->lease()->holderIdentity, "b");
}

TEST_F(LeaderElectorTest, ReleaseHandsOverImmediately) {
  auto a = elector("a");
  auto b = elector("b");
  a->tick();
  b->tick();
  EXPECT_TRUE(a->release());
  EXPECT_FALSE(a->isLeader());
  auto lease = *lease_->lease();
  EXPECT_EQ(lease.holderIdentity, "");
  EXPECT_EQ(lease.leaseDurationSeconds, 1);
  clock_->advance(1ms);
  b->tick();
  EXPECT_TRUE(b->isLeader());
  EXPECT_EQ(lease_->lease()->leaseTransitions, 1);
  EXPECT_FALSE(a->release());  // not ours any more
}

TEST_F(LeaderElectorTest, StopReleasesWhenLeading) {
  auto a = elector("a");
  a->start();
  for (int i = 0; i < 500 && !a->isLeader(); ++i) std::this_thread::sleep_for(10ms);  // real thread: wait on state
  ASSERT_TRUE(a->isLeader());
  a->stop();
  EXPECT_EQ(lease_->lease()->holderIdentity, "");
}

TEST(LeaderElectionOptions, ValidatesLikeClientGo) {
  LeaderElectionOptions o;
  o.identity = "a";
  EXPECT_NO_THROW(o.validate());
  o.renewDeadline = 15000ms;
  EXPECT_THROW(o.validate(), ConfigException);
  o.renewDeadline = 2400ms;
  EXPECT_THROW(o.validate(), ConfigException);
  o = {};
  EXPECT_THROW(o.validate(), ConfigException);  // no identity
}

TEST(LeaderElectorMicroTime, SixFractionalDigitsUtc) {
  std::chrono::system_clock::time_point t(std::chrono::microseconds(1714557600123456LL));
  EXPECT_EQ(LeaderElector::microTime(t), "2024-05-01T10:00:00.123456Z");
}

}  // namespace
}  // namespace podmon::ha
