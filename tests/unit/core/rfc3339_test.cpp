#include "core/rfc3339.h"

#include <gtest/gtest.h>

namespace podmon {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 2024-05-01T10:00:00Z
const system_clock::time_point kMay1 = system_clock::time_point(seconds(1714557600));

TEST(Rfc3339Test, ParsesUtc) {
  EXPECT_EQ(parseRfc3339("2024-05-01T10:00:00Z"), kMay1);
  EXPECT_EQ(parseRfc3339("2024-05-01t10:00:00z"), kMay1);
  EXPECT_EQ(parseRfc3339("2024-05-01 10:00:00Z"), kMay1);
}

TEST(Rfc3339Test, ParsesOffsets) {
  EXPECT_EQ(parseRfc3339("2024-05-01T12:00:00+02:00"), kMay1);
  EXPECT_EQ(parseRfc3339("2024-05-01T05:30:00-04:30"), kMay1);
  EXPECT_EQ(parseRfc3339("2030-01-01T01:05:00.123456+01:00"),
            system_clock::time_point(seconds(1893456300)) + microseconds(123456));
}

TEST(Rfc3339Test, ParsesFractionsToMicroseconds) {
  EXPECT_EQ(parseRfc3339("2024-05-01T10:00:00.5Z"), kMay1 + microseconds(500000));
  EXPECT_EQ(parseRfc3339("2024-05-01T10:00:00.123456Z"), kMay1 + microseconds(123456));
  EXPECT_EQ(parseRfc3339("2024-05-01T10:00:00.123456789Z"), kMay1 + microseconds(123456));
}

TEST(Rfc3339Test, RejectsWhatIsNotRfc3339) {
  for (const char* bad :
       {"", "yesterday", "2024-05-01", "2024-05-01T10:00:00", "2024-05-01T10:00Z", "2024-05-01T10:00:00+0200",
        "2024-05-01T10:00:00.Z", "2024-13-01T10:00:00Z", " 2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z trailing",
        "2024-05-01T10:00:00.1234567890Z"}) {
    EXPECT_FALSE(parseRfc3339(bad)) << bad;
  }
}

TEST(Rfc3339Test, FormatsWithAFractionOnlyWhenThereIsOne) {
  EXPECT_EQ(formatRfc3339(kMay1), "2024-05-01T10:00:00Z");
  EXPECT_EQ(formatRfc3339(kMay1 + microseconds(500000)), "2024-05-01T10:00:00.500000Z");
  EXPECT_EQ(formatRfc3339(kMay1 + microseconds(1)), "2024-05-01T10:00:00.000001Z");
}

TEST(Rfc3339Test, FormatsMicroTimeAndSeconds) {
  EXPECT_EQ(formatRfc3339Micros(kMay1), "2024-05-01T10:00:00.000000Z");
  EXPECT_EQ(formatRfc3339Micros(kMay1 + microseconds(123456)), "2024-05-01T10:00:00.123456Z");
  // Below a microsecond is cut off, never rounded up.
  EXPECT_EQ(formatRfc3339Micros(kMay1 + std::chrono::nanoseconds(999)), "2024-05-01T10:00:00.000000Z");
  EXPECT_EQ(formatRfc3339Seconds(kMay1 + microseconds(999999)), "2024-05-01T10:00:00Z");
}

TEST(Rfc3339Test, RoundTrips) {
  const auto t = kMay1 + microseconds(42);
  EXPECT_EQ(parseRfc3339(formatRfc3339(t)), t);
  EXPECT_EQ(parseRfc3339(formatRfc3339Micros(kMay1)), kMay1);
}

}  // namespace
}  // namespace podmon
