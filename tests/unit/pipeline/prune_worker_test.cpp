#include "pipeline/prune_worker.h"

#include <gtest/gtest.h>

#include <thread>

#include "fakes/fake_retention_store.h"
#include "fakes/manual_clock.h"

namespace podmon::pipeline {
namespace {

using namespace std::chrono_literals;
using podmon::testing::FakeRetentionStore;
using podmon::testing::ManualClock;

PruneWorkerOptions options() {
  PruneWorkerOptions o;
  o.periods = {90 * 24h, 7 * 24h, 10min};
  o.firstDelay = 1min;
  o.interval = 1h;
  o.jitter = 0.0;
  return o;
}

// Waits (real time, bounded) until the fake has seen `n` prunes.
bool waitForCalls(FakeRetentionStore& store, std::size_t n) {
  for (int i = 0; i < 2000 && store.callCount() < n; ++i) std::this_thread::sleep_for(1ms);
  return store.callCount() >= n;
}

// Moves the clock once the worker sleeps (its deadline is then fixed), so the move ends that sleep.
void advanceWhenAsleep(ManualClock& clock, std::chrono::system_clock::duration by) {
  for (int i = 0; i < 2000 && clock.sleepers() == 0; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_GT(clock.sleepers(), 0);
  clock.advance(by);
}

TEST(PruneWorkerTest, RunOnceDeletesWhatIsPastEachRetentionAtTheClocksNow) {
  auto clock = std::make_shared<ManualClock>();
  auto store = std::make_shared<FakeRetentionStore>();
  store->answer.crashes = 3;
  store->answer.crashOutbox = 6;
  PruneWorker worker(store, options(), clock);
  EXPECT_EQ(worker.runOnce().total(), 9);
  EXPECT_EQ(worker.rowsPruned(), 9u);
  ASSERT_EQ(store->calls.size(), 1u);
  const auto& c = store->calls[0];
  EXPECT_FALSE(c.dryRun);
  EXPECT_EQ(c.cutoffs.crashesBefore, clock->now() - 90 * 24h);
  EXPECT_EQ(c.cutoffs.doneOutboxBefore, clock->now() - 7 * 24h);
  EXPECT_EQ(c.cutoffs.alertStatesBefore, clock->now() - 24h);  // the cooldown is shorter than a day
}

TEST(PruneWorkerTest, ZeroRetentionKeepsCrashesAndDoneOutboxRows) {
  auto clock = std::make_shared<ManualClock>();
  auto store = std::make_shared<FakeRetentionStore>();
  PruneWorkerOptions o = options();
  o.periods = {0ms, 0ms, 48h};
  PruneWorker(store, o, clock).runOnce();
  ASSERT_EQ(store->calls.size(), 1u);
  EXPECT_FALSE(store->calls[0].cutoffs.crashesBefore);
  EXPECT_FALSE(store->calls[0].cutoffs.doneOutboxBefore);
  EXPECT_EQ(store->calls[0].cutoffs.alertStatesBefore, clock->now() - 48h);  // the cooldown is longer
}

TEST(PruneWorkerTest, RunsAfterTheFirstDelayThenEveryIntervalAndRetriesAFailure) {
  auto clock = std::make_shared<ManualClock>();
  auto store = std::make_shared<FakeRetentionStore>();
  PruneWorker worker(store, options(), clock);
  worker.start();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(store->callCount(), 0u);
  advanceWhenAsleep(*clock, 1min);
  ASSERT_TRUE(waitForCalls(*store, 1));
  store->setFailing(true);
  advanceWhenAsleep(*clock, 1h);
  ASSERT_TRUE(waitForCalls(*store, 2));
  store->setFailing(false);
  advanceWhenAsleep(*clock, 20s);  // the backoff's first delay is at most 20 s, far less than the interval
  ASSERT_TRUE(waitForCalls(*store, 3));
  worker.stop();
}

TEST(PruneWorkerTest, AStopEndsAPruneBetweenBatches) {
  auto clock = std::make_shared<ManualClock>();
  auto store = std::make_shared<FakeRetentionStore>();
  store->batches = 600000;  // 10 minutes of 1 ms batches
  PruneWorker worker(store, options(), clock);
  worker.start();
  advanceWhenAsleep(*clock, 1min);
  ASSERT_TRUE(waitForCalls(*store, 1));
  worker.stop();  // returns: the prune's keepGoing said no
  EXPECT_EQ(store->stoppedEarly.load(), 1);
  EXPECT_EQ(store->callCount(), 1u);
}

TEST(PruneWorkerTest, JitterStaysWithinItsFraction) {
  EXPECT_EQ(PruneWorker::jittered(1h, 0.2, 0.5), 1h);
  EXPECT_EQ(PruneWorker::jittered(1h, 0.2, 0.0), 48min);
  EXPECT_LT(PruneWorker::jittered(1h, 0.2, 0.999999), 72min);
  EXPECT_GT(PruneWorker::jittered(1h, 0.2, 0.999999), 71min);
}

}  // namespace
}  // namespace podmon::pipeline
