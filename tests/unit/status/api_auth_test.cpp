#include "status/api_auth.h"

#include <gtest/gtest.h>

namespace podmon::status {
namespace {

TEST(ApiAuth, AcceptsBearerBasicAndQueryToken) {
  ApiAuth auth("s3cret");
  EXPECT_TRUE(auth.allows("Bearer s3cret", std::nullopt));
  EXPECT_TRUE(auth.allows("bearer  s3cret ", std::nullopt));
  EXPECT_TRUE(auth.allows("Basic " + std::string("dXNlcjpzM2NyZXQ="), std::nullopt));  // user:s3cret
  EXPECT_TRUE(auth.allows("Basic czNjcmV0Og==", std::nullopt));                        // s3cret:
  EXPECT_TRUE(auth.allows("", std::string("s3cret")));
}

TEST(ApiAuth, RefusesEverythingElse) {
  ApiAuth auth("s3cret");
  EXPECT_FALSE(auth.allows("", std::nullopt));
  EXPECT_FALSE(auth.allows("Bearer s3cre", std::nullopt));
  EXPECT_FALSE(auth.allows("Bearer s3cret2", std::nullopt));
  EXPECT_FALSE(auth.allows("Token s3cret", std::nullopt));
  EXPECT_FALSE(auth.allows("Basic !!!", std::nullopt));
  EXPECT_FALSE(auth.allows("", std::string("")));
}

TEST(ApiAuth, NoTokenMeansOffNotOpen) {
  ApiAuth auth("");
  EXPECT_FALSE(auth.enabled());
  EXPECT_FALSE(auth.allows("Bearer ", std::string("")));
  EXPECT_FALSE(auth.allows("", std::nullopt));
}

TEST(ApiAuth, ConstantTimeEquals) {
  EXPECT_TRUE(ApiAuth::constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ApiAuth::constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ApiAuth::constantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ApiAuth::constantTimeEquals("", "a"));
  EXPECT_FALSE(ApiAuth::constantTimeEquals(std::string("a\0b", 3), "a"));
  EXPECT_TRUE(ApiAuth::constantTimeEquals("", ""));
}

}  // namespace
}  // namespace podmon::status
