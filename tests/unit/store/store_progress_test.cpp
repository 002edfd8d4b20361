// Readiness from the store's progress: work waiting without a success for the stall limit.
#include "store/store_progress.h"

#include <gtest/gtest.h>

#include "fakes/manual_clock.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;

class StoreProgressTest : public ::testing::Test {
 protected:
  std::shared_ptr<testing::ManualClock> clock_ = std::make_shared<testing::ManualClock>();
  StoreProgress progress_{clock_, 15s};
};

TEST_F(StoreProgressTest, AnIdleStoreIsNeverStalled) {
  EXPECT_EQ(progress_.waitingFor(), std::nullopt);
  clock_->advance(1h);
  EXPECT_FALSE(progress_.stalled());
}

TEST_F(StoreProgressTest, ACallHangingPastTheLimitIsAStall) {
  progress_.begin();
  clock_->advance(14s);
  EXPECT_FALSE(progress_.stalled());
  EXPECT_EQ(progress_.waitingFor(), std::chrono::milliseconds(14s));
  clock_->advance(1s);
  EXPECT_TRUE(progress_.stalled());
  progress_.end(true);
  EXPECT_FALSE(progress_.stalled());
  EXPECT_EQ(progress_.waitingFor(), std::nullopt);
}

TEST_F(StoreProgressTest, FailedCallsKeepWorkWaitingUntilOneSucceeds) {
  progress_.begin();
  clock_->advance(5s);
  progress_.end(false);  // refused at once
  clock_->advance(5s);
  progress_.begin();
  clock_->advance(1s);
  progress_.end(false);
  EXPECT_EQ(progress_.waitingFor(), std::chrono::milliseconds(11s));
  clock_->advance(4s);
  EXPECT_TRUE(progress_.stalled());  // 15 s since the first call, none succeeded
  progress_.begin();
  progress_.end(true);
  EXPECT_FALSE(progress_.stalled());
  EXPECT_EQ(progress_.waitingFor(), std::nullopt);
}

TEST_F(StoreProgressTest, ProgressOfOneCallRestartsTheWaitOfTheOthers) {
  progress_.begin();
  progress_.begin();
  clock_->advance(10s);
  progress_.end(true);
  clock_->advance(10s);
  EXPECT_FALSE(progress_.stalled());  // 10 s since the last progress
  EXPECT_EQ(progress_.waitingFor(), std::chrono::milliseconds(10s));
  clock_->advance(5s);
  EXPECT_TRUE(progress_.stalled());
}

}  // namespace
}  // namespace podmon::store
