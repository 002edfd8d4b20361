#include "store/name_pattern.h"

#include <gtest/gtest.h>

#include <climits>

namespace podmon::store {
namespace {

TEST(NamePatternTest, Matches) {
  EXPECT_TRUE(matchesPattern("*", "anything"));
  EXPECT_TRUE(matchesPattern("*", ""));
  EXPECT_TRUE(matchesPattern("payments", "payments"));
  EXPECT_FALSE(matchesPattern("payments", "payments-eu"));
  EXPECT_TRUE(matchesPattern("payments-*", "payments-eu"));
  EXPECT_TRUE(matchesPattern("payments-*", "payments-"));
  EXPECT_FALSE(matchesPattern("payments-*", "payments"));
  EXPECT_TRUE(matchesPattern("*-canary", "api-canary"));
  EXPECT_FALSE(matchesPattern("*-canary", "api-canary-2"));
  EXPECT_TRUE(matchesPattern("a*b*c", "axxbyyc"));
  EXPECT_TRUE(matchesPattern("a*b*c", "abcbc"));
  EXPECT_FALSE(matchesPattern("a*b*c", "acb"));
  EXPECT_TRUE(matchesPattern("**", "x"));
}

TEST(NamePatternTest, ExactBeatsLongerPatternBeatsShorterPatternBeatsStar) {
  EXPECT_EQ(patternSpecificity("payments"), INT_MAX);
  EXPECT_GT(patternSpecificity("payments-*"), patternSpecificity("pay*"));
  EXPECT_GT(patternSpecificity("pay*"), patternSpecificity("*"));
  EXPECT_EQ(patternSpecificity("*"), 0);
}

}  // namespace
}  // namespace podmon::store
