#include "store/mysql_server_version.h"

#include <gtest/gtest.h>

namespace podmon::store {
namespace {

TEST(MySqlServerVersion, ReadsMySqlAndMariaDbVersionTexts) {
  auto mysql = MySqlServerVersion::parse("5.7.44-log");
  ASSERT_TRUE(mysql);
  EXPECT_FALSE(mysql->mariaDb);
  EXPECT_EQ(mysql->major, 5);
  EXPECT_EQ(mysql->minor, 7);
  EXPECT_EQ(mysql->patch, 44);
  EXPECT_EQ(mysql->describe(), "MySQL 5.7.44");

  auto maria = MySqlServerVersion::parse("10.5.23-MariaDB-1:10.5.23+maria~ubu2004");
  ASSERT_TRUE(maria);
  EXPECT_TRUE(maria->mariaDb);
  EXPECT_EQ(maria->describe(), "MariaDB 10.5.23");

  // The handshake's fake prefix is not MariaDB's version.
  auto prefixed = MySqlServerVersion::parse("5.5.5-10.3.39-MariaDB");
  ASSERT_TRUE(prefixed);
  EXPECT_EQ(prefixed->describe(), "MariaDB 10.3.39");
}

TEST(MySqlServerVersion, SkipLockedFromMySql801AndMariaDb106) {
  EXPECT_FALSE(serverHasSkipLocked("5.7.44"));
  EXPECT_FALSE(serverHasSkipLocked("5.7.44-log"));
  EXPECT_FALSE(serverHasSkipLocked("8.0.0-dmr"));
  EXPECT_TRUE(serverHasSkipLocked("8.0.1"));
  EXPECT_TRUE(serverHasSkipLocked("8.0.36"));
  EXPECT_TRUE(serverHasSkipLocked("8.4.0"));
  EXPECT_TRUE(serverHasSkipLocked("9.1.0"));
  EXPECT_FALSE(serverHasSkipLocked("10.3.39-MariaDB"));
  EXPECT_FALSE(serverHasSkipLocked("10.5.23-MariaDB-1:10.5.23+maria~ubu2004"));
  EXPECT_FALSE(serverHasSkipLocked("5.5.5-10.4.32-MariaDB-log"));
  EXPECT_TRUE(serverHasSkipLocked("10.6.0-MariaDB"));
  EXPECT_TRUE(serverHasSkipLocked("10.11.19-MariaDB-0+deb12u1"));
  EXPECT_TRUE(serverHasSkipLocked("11.4.2-MariaDB"));
  // MySQL's numbers are below MariaDB's: 10.x without "MariaDB" would be a MySQL that has it.
  EXPECT_TRUE(serverHasSkipLocked("10.0.0"));
}

TEST(MySqlServerVersion, UnreadableTextMeansNoSkipLocked) {
  EXPECT_FALSE(MySqlServerVersion::parse(""));
  EXPECT_FALSE(MySqlServerVersion::parse("MariaDB"));
  EXPECT_FALSE(MySqlServerVersion::parse("8"));
  EXPECT_FALSE(MySqlServerVersion::parse("8."));
  EXPECT_FALSE(MySqlServerVersion::parse("x8.0.36"));
  EXPECT_FALSE(serverHasSkipLocked(""));
  EXPECT_FALSE(serverHasSkipLocked("garbage"));
  // Aurora names its own version after the MySQL one: 8.0 without a patch number is taken as 8.0.0.
  EXPECT_FALSE(serverHasSkipLocked("5.7.mysql_aurora.2.11.2"));
  auto aurora = MySqlServerVersion::parse("8.0.mysql_aurora.3.04.0");
  ASSERT_TRUE(aurora);
  EXPECT_EQ(aurora->patch, 0);
}

}  // namespace
}  // namespace podmon::store
