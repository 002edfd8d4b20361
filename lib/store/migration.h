#pragma once

#include <string>
#include <vector>

namespace podmon::store {

// One versioned schema change, read from sql/NNN_description.sql. Poco prepares one statement
// at a time, so the file is split into statements: a statement ends with ';' at the end of a line.
// Lines that start with "--" are comments.
struct Migration {
  int version = 0;
  std::string name;  // "podmon_columns" for 002_podmon_columns.sql
  std::vector<std::string> statements;
};

// Splits a migration file's text into statements (without the ';').
std::vector<std::string> splitSqlStatements(const std::string& text);

// Parses "002_podmon_columns.sql" into version 2 and name "podmon_columns"; false when the file
// name is not a migration's.
bool parseMigrationFileName(const std::string& fileName, int& version, std::string& name);

// All migrations in dir, by version. Throws StoreException when the directory is missing or
// empty, a file cannot be read, two files share a version, or a file has no statement.
std::vector<Migration> loadMigrations(const std::string& dir);

// Where the migrations of both backends are (sql/, and sql/sqlite/ for SQLite): the first of
// PODMON_SOURCE_DIR/sql (a build tree) and /usr/share/podmon/sql (the image) that exists.
std::string defaultMigrationsDir();

}  // namespace podmon::store
