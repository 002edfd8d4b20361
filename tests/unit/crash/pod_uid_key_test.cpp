#include "crash/pod_uid_key.h"

#include <gtest/gtest.h>

namespace podmon::crash {
namespace {

TEST(PodUidKey, AUuidIsSixteenBytesAndPrintsBackExactly) {
  const std::string uid = "0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64";
  auto key = PodUidKey::parse(uid);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->high, 0x0b6d3f1e9a2c4e7bULL);
  EXPECT_EQ(key->low, 0x8f105c2d9e8a7b64ULL);
  EXPECT_EQ(key->toString(), uid);
  static_assert(sizeof(PodUidKey) == 16);
}

TEST(PodUidKey, UidsDifferingInOneDigitHaveDifferentKeys) {
  auto a = PodUidKey::parse("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64");
  auto b = PodUidKey::parse("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b65");
  auto c = PodUidKey::parse("1b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b64");
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(PodUidKeyHash{}(*a), PodUidKeyHash{}(*b));
}

TEST(PodUidKey, AnythingButACanonicalLowercaseUuidHasNoKey) {
  EXPECT_FALSE(PodUidKey::parse(""));
  EXPECT_FALSE(PodUidKey::parse("uid-1"));
  EXPECT_FALSE(PodUidKey::parse("0B6D3F1E-9A2C-4E7B-8F10-5C2D9E8A7B64"));  // would print back lower case
  EXPECT_FALSE(PodUidKey::parse("0b6d3f1e9a2c-4e7b-8f10-5c2d9e8a7b64-"));
  EXPECT_FALSE(PodUidKey::parse("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b6"));
  EXPECT_FALSE(PodUidKey::parse("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b6g"));
  EXPECT_FALSE(PodUidKey::parse("0b6d3f1e-9a2c-4e7b-8f10-5c2d9e8a7b645"));
}

}  // namespace
}  // namespace podmon::crash
