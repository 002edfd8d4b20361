#include "pipeline/keyed_work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <stdexcept>
#include <vector>

namespace podmon::pipeline {
namespace {

using namespace std::chrono_literals;

TEST(KeyedWorkPool, OneSlowKeyDoesNotHoldUpTheOthers) {
  KeyedWorkPool pool(4, 100);
  pool.start();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> others{0};
  ASSERT_TRUE(pool.submit("slow", [released] { released.wait(); }));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(pool.submit("pod-" + std::to_string(i), [&] { ++others; }));
  for (int i = 0; i < 2000 && others.load() < 20; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(others.load(), 20) << "jobs of other keys waited for the slow one";
  EXPECT_TRUE(pool.busy("slow"));
  EXPECT_FALSE(pool.busy("pod-3"));
  release.set_value();
  EXPECT_TRUE(pool.waitIdle(5s));
  EXPECT_FALSE(pool.busy("slow"));
}

TEST(KeyedWorkPool, JobsOfOneKeyRunOneAtATimeInOrder) {
  KeyedWorkPool pool(8, 1000);
  pool.start();
  std::mutex mutex;
  std::map<std::string, std::vector<int>> seen;
  std::map<std::string, int> inside;
  bool overlapped = false;
  for (int n = 0; n < 50; ++n) {
    for (const std::string key : {"a", "b", "c"}) {
      ASSERT_TRUE(pool.submit(key, [&, key, n] {
        {
          std::lock_guard lock(mutex);
          if (inside[key]++ > 0) overlapped = true;
        }
        std::this_thread::sleep_for(50us);
        std::lock_guard lock(mutex);
        --inside[key];
        seen[key].push_back(n);
      }));
    }
  }
  ASSERT_TRUE(pool.waitIdle(10s));
  EXPECT_FALSE(overlapped);
  for (const std::string key : {"a", "b", "c"}) {
    ASSERT_EQ(seen[key].size(), 50u);
    for (int n = 0; n < 50; ++n) EXPECT_EQ(seen[key][n], n) << key;
  }
}

TEST(KeyedWorkPool, SubmitWaitsWhileFullAndNothingIsDropped) {
  KeyedWorkPool pool(1, 2);
  pool.start();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.submit("a", [&, released] {
    released.wait();
    ++ran;
  }));
  ASSERT_TRUE(pool.submit("b", [&] { ++ran; }));
  EXPECT_EQ(pool.pending(), 2u);
  auto third = std::async(std::launch::async, [&] { return pool.submit("c", [&] { ++ran; }); });
  EXPECT_EQ(third.wait_for(50ms), std::future_status::timeout) << "a full pool took a third job";
  release.set_value();
  EXPECT_TRUE(third.get());
  ASSERT_TRUE(pool.waitIdle(5s));
  EXPECT_EQ(ran.load(), 3);
}

TEST(KeyedWorkPool, StopEndsAWaitingSubmitAndTheJobIsNotTaken) {
  KeyedWorkPool pool(1, 1);
  pool.start();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(pool.submit("a", [released] { released.wait(); }));
  auto blocked = std::async(std::launch::async, [&] { return pool.submit("b", [] {}); });
  EXPECT_EQ(blocked.wait_for(20ms), std::future_status::timeout);
  auto stopping = std::async(std::launch::async, [&] { pool.stop(); });
  EXPECT_FALSE(blocked.get());
  release.set_value();
  stopping.get();
  EXPECT_EQ(pool.pending(), 0u);
  EXPECT_FALSE(pool.submit("c", [] {})) << "a stopped pool takes no job";
  pool.start();
  std::atomic<bool> ran{false};
  ASSERT_TRUE(pool.submit("c", [&] { ran = true; }));
  ASSERT_TRUE(pool.waitIdle(5s));
  EXPECT_TRUE(ran.load());
}

TEST(KeyedWorkPool, RejectsNoWorkersOrNoCapacity) {
  EXPECT_THROW(KeyedWorkPool(0, 1), std::invalid_argument);
  EXPECT_THROW(KeyedWorkPool(1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace podmon::pipeline
