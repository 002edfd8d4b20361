#include "core/request_rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fakes/manual_clock.h"

namespace podmon {
namespace {

using podmon::testing::ManualClock;

TEST(RequestRateLimiter, WaitsOnTheInjectedClockOnceTheBurstIsSpent) {
  auto clock = std::make_shared<ManualClock>();
  RequestRateLimiter limiter(2, 2, clock);
  limiter.acquire();
  limiter.acquire();
  EXPECT_EQ(limiter.throttled(), 0u);
  std::atomic<bool> done{false};
  std::thread third([&] {
    limiter.acquire();
    done = true;
  });
  while (clock->sleepers() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(done.load()) << "the third request went before its token";
  clock->advance(std::chrono::milliseconds(499));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(done.load()) << "the token comes after 1/qps = 500 ms";
  clock->advance(std::chrono::milliseconds(1));
  third.join();
  EXPECT_TRUE(done.load());
  EXPECT_EQ(limiter.throttled(), 1u);
}

}  // namespace
}  // namespace podmon
