#include "core/worker_thread.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "fakes/manual_clock.h"

namespace podmon {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// What a worker did, for the test thread to wait on (real-time bound only as a safety net).
class Seen {
 public:
  void add(milliseconds value) {
    {
      std::lock_guard lock(mutex_);
      values_.push_back(value);
    }
    cv_.notify_all();
  }
  // Waits until at least `n` values arrived; returns them.
  std::vector<milliseconds> atLeast(std::size_t n) {
    std::unique_lock lock(mutex_);
    EXPECT_TRUE(cv_.wait_for(lock, 10s, [&] { return values_.size() >= n; })) << "waited for " << n;
    return values_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<milliseconds> values_;
};

class WorkerThreadTest : public ::testing::Test {
 protected:
  // Waits (real time, as a safety net only) until `n` threads sleep on the simulated clock.
  void untilSleeping(int n) {
    for (int i = 0; i < 10000 && clock_->sleepers() != n; ++i) std::this_thread::sleep_for(1ms);
    ASSERT_EQ(clock_->sleepers(), n);
  }

  std::shared_ptr<testing::ManualClock> clock_ = std::make_shared<testing::ManualClock>();
  WorkerThread worker_{clock_};
};

TEST_F(WorkerThreadTest, SleepEndsWhenTheClockPassesTheDelay) {
  auto slept = std::async(std::launch::async, [this] { return worker_.sleepFor(10s); });
  untilSleeping(1);
  clock_->advance(9s);
  // Real time passing does not end it: only the simulated clock does.
  EXPECT_EQ(slept.wait_for(20ms), std::future_status::timeout);
  clock_->advance(1s);
  EXPECT_TRUE(slept.get());
  EXPECT_EQ(clock_->sleepers(), 0);
}

TEST_F(WorkerThreadTest, WakeEndsASleepOrTheNextOne) {
  auto slept = std::async(std::launch::async, [this] { return worker_.sleepFor(1h); });
  EXPECT_EQ(slept.wait_for(5ms), std::future_status::timeout);
  worker_.wake();
  EXPECT_TRUE(slept.get());
  worker_.wake();
  EXPECT_TRUE(worker_.sleepFor(1h));  // at once: the wake came first
}

TEST_F(WorkerThreadTest, StopEndsASleepAndSaysSo) {
  auto slept = std::async(std::launch::async, [this] { return worker_.sleepFor(1h); });
  worker_.requestStop();
  EXPECT_FALSE(slept.get());
  EXPECT_TRUE(worker_.stopping());
  EXPECT_FALSE(worker_.sleepFor(1h));
  EXPECT_FALSE(worker_.stop());  // no thread was started
}

TEST_F(WorkerThreadTest, LoopRunsARoundEachTimeTheDelayPasses) {
  Seen rounds;
  int n = 0;
  worker_.startLoop([&] {
    rounds.add(milliseconds(++n));
    return milliseconds(5000);
  });
  EXPECT_EQ(rounds.atLeast(1).size(), 1u);
  untilSleeping(1);
  clock_->advance(4999ms);
  worker_.wake();  // a wake starts the next round early
  EXPECT_EQ(rounds.atLeast(2).size(), 2u);
  untilSleeping(1);
  clock_->advance(5s);
  EXPECT_EQ(rounds.atLeast(3).size(), 3u);
  EXPECT_TRUE(worker_.stop());
  EXPECT_FALSE(worker_.stop());
  EXPECT_EQ(rounds.atLeast(3).size(), 3u);
}

TEST_F(WorkerThreadTest, StartAfterStopRunsAgain) {
  worker_.requestStop();
  Seen ran;
  worker_.start([&] { ran.add(1ms); });
  EXPECT_EQ(ran.atLeast(1).size(), 1u);
  EXPECT_FALSE(worker_.stopping());
  EXPECT_TRUE(worker_.stop());
}

TEST_F(WorkerThreadTest, RetryUntilDoneBacksOffWithJitterOnTheClock) {
  Backoff backoff({1000ms, 30000ms, 2.0, 1.0, 120s}, 7);
  Seen delays;
  int attempts = 0;
  auto done = std::async(std::launch::async, [&] {
    return worker_.retryUntilDone(
        backoff, [&] { return ++attempts == 3; }, [&](milliseconds d) { delays.add(d); });
  });
  auto first = delays.atLeast(1).at(0);
  EXPECT_GE(first, 1000ms);
  EXPECT_LT(first, 2000ms);
  untilSleeping(1);
  clock_->advance(first - 1ms);
  EXPECT_EQ(done.wait_for(20ms), std::future_status::timeout);
  EXPECT_EQ(delays.atLeast(1).size(), 1u);
  clock_->advance(1ms);
  auto second = delays.atLeast(2).at(1);
  EXPECT_GE(second, 2000ms);
  EXPECT_LT(second, 4000ms);
  untilSleeping(1);
  clock_->advance(second);
  EXPECT_TRUE(done.get());
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(backoff.current(), 0ms);  // reset after the success
}

TEST_F(WorkerThreadTest, RetryUntilDoneGivesUpWhenStopped) {
  Backoff backoff({1000ms, 30000ms, 2.0, 0.0, 120s}, 1);
  Seen delays;
  auto done = std::async(std::launch::async, [&] {
    return worker_.retryUntilDone(
        backoff, [] { return false; }, [&](milliseconds d) { delays.add(d); });
  });
  EXPECT_EQ(delays.atLeast(1).at(0), 1000ms);
  untilSleeping(1);
  worker_.requestStop();
  EXPECT_FALSE(done.get());
}

TEST_F(WorkerThreadTest, RetryUntilDoneSucceedingAtOnceDoesNotSleep) {
  Backoff backoff({1000ms, 30000ms, 2.0, 0.0, 120s}, 1);
  EXPECT_TRUE(worker_.retryUntilDone(backoff, [] { return true; }));
}

TEST(WorkerThreadSystemClock, StopEndsALongSleepOfTheThread) {
  WorkerThread worker;
  Seen rounds;
  worker.startLoop([&] {
    rounds.add(1ms);
    return milliseconds(std::chrono::hours(1));
  });
  rounds.atLeast(1);
  EXPECT_TRUE(worker.stop());
}

}  // namespace
}  // namespace podmon
