#include "store/migration.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace podmon::store {

namespace {

std::string trim(const std::string& text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

std::vector<std::string> splitSqlStatements(const std::string& text) {
  std::vector<std::string> statements;
  std::string current;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string trimmed = trim(line);
    if (trimmed.rfind("--", 0) == 0) continue;
    if (!trimmed.empty() && trimmed.back() == ';') {
      current += trimmed.substr(0, trimmed.size() - 1);
      const std::string statement = trim(current);
      if (!statement.empty()) statements.push_back(statement);
      current.clear();
    } else {
      current += line;
      current += '\n';
    }
  }
  const std::string rest = trim(current);
  if (!rest.empty()) statements.push_back(rest);  // a last statement without ';'
  return statements;
}

bool parseMigrationFileName(const std::string& fileName, int& version, std::string& name) {
  const std::string suffix = ".sql";
  if (fileName.size() <= suffix.size() ||
      fileName.compare(fileName.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  const std::string stem = fileName.substr(0, fileName.size() - suffix.size());
  std::size_t digits = 0;
  while (digits < stem.size() && std::isdigit(static_cast<unsigned char>(stem[digits]))) ++digits;
  if (digits == 0 || digits > 9 || digits >= stem.size() || stem[digits] != '_' || digits + 1 == stem.size()) {
    return false;
  }
  version = std::stoi(stem.substr(0, digits));
  name = stem.substr(digits + 1);
  return version > 0;
}

std::vector<Migration> loadMigrations(const std::string& dir) {
  Poco::File folder(dir);
  if (!folder.exists() || !folder.isDirectory()) {
    throw StoreException("migrations directory " + dir +
                         " does not exist; set the store's migrations directory to podmon's sql/ folder");
  }
  std::vector<Migration> migrations;
  for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
    Migration migration;
    if (!it->isFile() || !parseMigrationFileName(it.name(), migration.version, migration.name)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) throw StoreException("cannot read migration " + it->path());
    std::ostringstream text;
    text << in.rdbuf();
    migration.statements = splitSqlStatements(text.str());
    if (migration.statements.empty()) throw StoreException("migration " + it->path() + " has no statement");
    migrations.push_back(std::move(migration));
  }
  if (migrations.empty()) {
    throw StoreException("no migrations (NNN_name.sql) in " + dir +
                         "; set the store's migrations directory to podmon's sql/ folder");
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      throw StoreException("two migrations in " + dir + " have version " + std::to_string(migrations[i].version));
    }
  }
  return migrations;
}

std::string defaultMigrationsDir() {
  const std::string installed = "/usr/share/podmon/sql";
  const std::string source = std::string(PODMON_SOURCE_DIR) + "/sql";
  // The build tree first: a developer's stale install must not shadow the migrations they edit.
  for (const auto& dir : {source, installed}) {
    Poco::File file(dir);
    if (file.exists() && file.isDirectory()) return dir;
  }
  return installed;
}

}  // namespace podmon::store
