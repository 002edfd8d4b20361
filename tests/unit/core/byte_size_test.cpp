#include "core/byte_size.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace podmon {
namespace {

TEST(ByteSize, PlainBytesAndUnitsInAnyCase) {
  EXPECT_EQ(parseByteSize("268435456", "SPOOL_MAX_BYTES"), 268435456u);
  EXPECT_EQ(parseByteSize("256Mi", "SPOOL_MAX_BYTES"), 256ull << 20);
  EXPECT_EQ(parseByteSize("256MiB", "SPOOL_MAX_BYTES"), 256ull << 20);
  EXPECT_EQ(parseByteSize("1gi", "SPOOL_MAX_BYTES"), 1ull << 30);
  EXPECT_EQ(parseByteSize("500MB", "SPOOL_MAX_BYTES"), 500000000u);
  EXPECT_EQ(parseByteSize("64k", "SPOOL_MAX_BYTES"), 64000u);
  EXPECT_EQ(parseByteSize("12b", "SPOOL_MAX_BYTES"), 12u);
}

TEST(ByteSize, BadValuesNameTheSetting) {
  for (const std::string bad : {"", "Mi", "-1", "1.5Gi", "256 Mi", "10XB", "0", "0Mi", "2Ti", "99999999999999"}) {
    try {
      parseByteSize(bad, "SPOOL_MAX_BYTES");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ConfigException& e) {
      EXPECT_NE(e.message().find("SPOOL_MAX_BYTES"), std::string::npos) << e.message();
    }
  }
}

}  // namespace
}  // namespace podmon
