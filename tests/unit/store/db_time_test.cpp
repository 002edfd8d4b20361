#include "store/db_time.h"

#include <gtest/gtest.h>

namespace podmon::store {
namespace {

TEST(DbTimeTest, RoundTripsMicroseconds) {
  const std::chrono::system_clock::time_point t{std::chrono::microseconds(1714557600123456LL)};
  EXPECT_EQ(fromDbTime(toDbTime(t)), t);
  EXPECT_EQ(toDbTime(t).microsecond(), 456);
  EXPECT_EQ(toDbTime(t).millisecond(), 123);
}

TEST(DbTimeTest, ParsesAndFormatsRfc3339) {
  auto parsed = parseRfc3339("2024-05-01T09:58:00Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(formatRfc3339(*parsed), "2024-05-01T09:58:00Z");
  auto offset = parseRfc3339("2024-05-01T11:58:00.5+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(formatRfc3339(*offset), "2024-05-01T09:58:00.500000Z");
  EXPECT_FALSE(parseRfc3339(""));
  EXPECT_FALSE(parseRfc3339("yesterday"));
}

}  // namespace
}  // namespace podmon::store
