// Which store the settings choose (SQL_HOST -> MySQL, else SQLite at SQLITE_PATH), and the line
// podmon logs about it.
#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/errors.h"
#include "core/settings.h"
#include "store/crash_columns.h"
#include "store/store_factory.h"

namespace podmon::store {
namespace {

Config loadConfig(const std::map<std::string, std::string>& env, const std::vector<std::string>& args = {}) {
  return Config::load(
      args,
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      [](const std::string& p) -> std::string { throw ConfigException(p + ": no such file"); });
}

Settings load(const std::map<std::string, std::string>& env, const std::vector<std::string>& args = {}) {
  return Settings::from(loadConfig(env, args));
}

TEST(StoreChoiceTest, NoSettingsMeanTheEmbeddedSqliteFile) {
  const auto choice = storeChoiceFrom(load({}).store);
  EXPECT_EQ(choice.backend, StoreBackend::kSqlite);
  EXPECT_EQ(choice.sqlitePath, "./podmon.db");
  EXPECT_EQ(choice.startupLine(), "store: SQLite ./podmon.db (embedded; set SQL_HOST for MySQL in production)");
  EXPECT_EQ(storeChoiceFrom(load({{"SQLITE_PATH", "/data/p.db"}}).store).sqlitePath, "/data/p.db");
}

TEST(StoreChoiceTest, SqlHostMeansMySqlWithTheSqlSettings) {
  const auto choice = storeChoiceFrom(
      load({{"SQL_HOST", "db.internal"}, {"SQL_PORT", "3307"}, {"SQL_USERNAME", "pm"}, {"SQLITE_PATH", "/x.db"}})
          .store);
  EXPECT_EQ(choice.backend, StoreBackend::kMySql);
  EXPECT_EQ(choice.mysql.host, "db.internal");
  EXPECT_EQ(choice.mysql.port, 3307);
  EXPECT_EQ(choice.startupLine(), "store: MySQL pm@db.internal:3307/kubernetes_pod_monitor");
}

// An empty setting counts as unset (as in the original): SQLITE_PATH="" is the default file; a
// StoreSettings built with no path at all is refused.
TEST(StoreChoiceTest, AnEmptySqlitePathIsTheDefaultOrRefusedWithTheFix) {
  EXPECT_EQ(storeChoiceFrom(load({{"SQLITE_PATH", ""}}, {"--sqlite-path", ""}).store).sqlitePath, "./podmon.db");
  StoreSettings none = load({}).store;
  none.sqlitePath.clear();
  try {
    storeChoiceFrom(none);
    FAIL() << "no ConfigException";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("SQLITE_PATH"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("SQL_HOST"), std::string::npos) << e.message();
  }
}

// Which sinks are on is decided by pipeline::ActiveSinks (tests/unit/pipeline/active_sinks_test.cpp);
// the store writes outbox rows for the sinks it is given.
TEST(StoreChoiceTest, OutboxRowsOnlyForTheSinksItIsGiven) {
  EXPECT_EQ(crashStoreOptionsFrom(load({}), {Sink::kSlack}).outboxSinks, std::vector<Sink>{Sink::kSlack});
  EXPECT_TRUE(crashStoreOptionsFrom(load({}), {}).outboxSinks.empty());
}

TEST(StoreChoiceTest, ConfigWithOverridesOneSettingAndNamesItsSource) {
  const Config base = loadConfig({{"CLUSTER_NAME", ""}});
  const Config named = base.with("CLUSTER_NAME", "kind-dev", "kubeconfig context");
  EXPECT_EQ(named.get("CLUSTER_NAME"), "kind-dev");
  EXPECT_EQ(named.source("CLUSTER_NAME"), "kubeconfig context");
  EXPECT_EQ(base.get("CLUSTER_NAME"), "");
  EXPECT_THROW(base.with("NO_SUCH_SETTING", "x", "test"), ConfigException);
}

TEST(SqliteTimeTest, KeepsMicrosecondsAndSortsAsText) {
  const std::chrono::system_clock::time_point t{std::chrono::microseconds(1714557600123456LL)};
  EXPECT_EQ(columns::toSqliteTime(t), "2024-05-01 10:00:00.123456");
  EXPECT_EQ(columns::fromSqliteTime("2024-05-01 10:00:00.123456"), t);
  EXPECT_LT(columns::toSqliteTime(t), columns::toSqliteTime(t + std::chrono::microseconds(1)));
  EXPECT_THROW(columns::fromSqliteTime("yesterday"), StoreException);
  EXPECT_THROW(columns::fromSqliteTime("2024-05-01T10:00:00Z"), StoreException);
}

}  // namespace
}  // namespace podmon::store
