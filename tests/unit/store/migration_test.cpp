#include "store/migration.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace podmon::store {
namespace {

TEST(MigrationTest, SplitsOnSemicolonsAtLineEndsAndDropsCommentLines) {
  const auto statements = splitSqlStatements(
      "-- a comment; with a semicolon;\n"
      "CREATE TABLE a (\n  x int -- trailing comment\n);\n"
      "\n"
      "INSERT INTO a VALUES ('a;b');  \n"
      "ALTER TABLE a ADD COLUMN y int");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (\n  x int -- trailing comment\n)");
  EXPECT_EQ(statements[1], "INSERT INTO a VALUES ('a;b')");
  EXPECT_EQ(statements[2], "ALTER TABLE a ADD COLUMN y int");
}

TEST(MigrationTest, ParsesFileNames) {
  int version = 0;
  std::string name;
  ASSERT_TRUE(parseMigrationFileName("002_podmon_columns.sql", version, name));
  EXPECT_EQ(version, 2);
  EXPECT_EQ(name, "podmon_columns");
  EXPECT_FALSE(parseMigrationFileName("README.md", version, name));
  EXPECT_FALSE(parseMigrationFileName("abc_x.sql", version, name));
  EXPECT_FALSE(parseMigrationFileName("003.sql", version, name));
  EXPECT_FALSE(parseMigrationFileName("003_.sql", version, name));
  EXPECT_FALSE(parseMigrationFileName("000_zero.sql", version, name));
}

TEST(MigrationTest, LoadsTheProjectsMigrationsInOrder) {
  const auto migrations = loadMigrations(PODMON_SOURCE_DIR "/sql");
  ASSERT_GE(migrations.size(), 3u);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "original_schema");
  EXPECT_EQ(migrations[0].statements.size(), 4u);
  EXPECT_EQ(migrations[1].name, "podmon_columns");
  EXPECT_EQ(migrations[2].name, "outbox");
  for (const auto& migration : migrations) {
    for (const auto& statement : migration.statements) {
      EXPECT_EQ(statement.find(";\n"), std::string::npos) << migration.name << ": " << statement;
      EXPECT_EQ(statement.find("TIMESTAMP"), std::string::npos) << "Poco 1.11 cannot read TIMESTAMP";
      EXPECT_EQ(statement.find(" json"), std::string::npos) << "Poco 1.11 crashes on JSON";
      EXPECT_EQ(statement.find("longtext"), std::string::npos) << "Poco 1.11 cannot read LONGTEXT";
    }
  }
}

TEST(MigrationTest, MissingDirectoryIsAClearError) {
  try {
    loadMigrations("/nonexistent/sql");
    FAIL();
  } catch (const StoreException& error) {
    EXPECT_NE(error.displayText().find("/nonexistent/sql"), std::string::npos);
  }
}

}  // namespace
}  // namespace podmon::store
