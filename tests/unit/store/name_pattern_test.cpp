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

namespace podmon::store {
namespace {

// The original's tables compared names through MySQL's default collation (*_general_ci, PAD
// SPACE): routes and ignores written for "Payments" or "payments " matched "payments".
TEST(NamePatternTest, NamesCompareWithoutCaseAndTrailingSpacesAsTheOriginalsCollation) {
  EXPECT_TRUE(matchesPattern("Payments", "payments"));
  EXPECT_TRUE(matchesPattern("payments", "PAYMENTS"));
  EXPECT_TRUE(matchesPattern("payments  ", "payments"));
  EXPECT_TRUE(matchesPattern("payments", "payments "));
  EXPECT_TRUE(matchesPattern("Team-*", "team-A"));
  EXPECT_TRUE(matchesPattern("*-CANARY ", "api-canary"));
  EXPECT_TRUE(matchesPattern("* ", "x"));
  // Only trailing spaces: leading ones and other whitespace still count, as in the collation.
  EXPECT_FALSE(matchesPattern(" payments", "payments"));
  EXPECT_FALSE(matchesPattern("payments\t", "payments"));
  EXPECT_FALSE(matchesPattern("pay ments", "payments"));
  // A space is a character inside a pattern, before a '*'.
  EXPECT_FALSE(matchesPattern("team *", "team-a"));
  // ASCII letters only: other bytes compare as they are.
  EXPECT_FALSE(matchesPattern("caf\xC3\xA9", "CAF\xC3\x89"));
  EXPECT_TRUE(matchesPattern("caf\xC3\xA9", "CAF\xC3\xA9"));
  EXPECT_FALSE(matchesPattern("[", "{"));  // not a naive "c | 0x20" fold
  EXPECT_FALSE(matchesPattern("@", "`"));
}

TEST(NamePatternTest, SameRuleNameIsTheOriginalsUniqueKeyEquality) {
  EXPECT_TRUE(sameRuleName("Prod", "prod"));
  EXPECT_TRUE(sameRuleName("prod  ", "PROD"));
  EXPECT_TRUE(sameRuleName("", "   "));
  EXPECT_TRUE(sameRuleName("team-*", "TEAM-* "));
  EXPECT_FALSE(sameRuleName("team-*", "team-a"));  // a pattern is a name here, not matched
  EXPECT_FALSE(sameRuleName("prod", "prod-eu"));
  EXPECT_FALSE(sameRuleName(" prod", "prod"));
  EXPECT_EQ(withoutTrailingSpaces("a b  "), "a b");
  EXPECT_EQ(withoutTrailingSpaces("   "), "");
}

TEST(NamePatternTest, TrailingSpacesAddNoSpecificity) {
  EXPECT_EQ(patternSpecificity("pay* "), patternSpecificity("pay*"));
  EXPECT_EQ(patternSpecificity("payments "), INT_MAX);
}

}  // namespace
}  // namespace podmon::store
