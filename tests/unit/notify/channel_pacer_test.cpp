#include "notify/channel_pacer.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

using namespace std::chrono_literals;

TEST(ChannelPacerTest, OnePostPerChannelPerInterval) {
  ChannelPacer pacer(1s);
  const auto t0 = std::chrono::steady_clock::time_point(100s);
  EXPECT_EQ(pacer.delayFor("#a", t0), 0ms);
  pacer.posted("#a", t0);
  EXPECT_EQ(pacer.delayFor("#a", t0 + 300ms), 700ms);
  EXPECT_EQ(pacer.delayFor("#b", t0 + 300ms), 0ms);  // other channels are independent
  EXPECT_EQ(pacer.delayFor("#a", t0 + 1s), 0ms);
}

}  // namespace
}  // namespace podmon::notify
