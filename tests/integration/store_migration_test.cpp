// Migrations against a real MariaDB: from an empty database, from the original tool's schema with
// rows in it, twice, concurrently, and after a half-applied run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/clock.h"
#include "core/errors.h"
#include "mariadb_fixture.h"
#include "notify/notify_rules.h"
#include "store/migration.h"
#include "store/mysql_backend.h"
#include "store/store_factory.h"

namespace podmon::store {
namespace {

class StoreMigrationTest : public testing::MariaDbTest {
 protected:
  OpenedStore makeStore(MySqlConfig config) {
    return openStoreOn(std::make_shared<MySqlBackend>(std::move(config)), CrashStoreOptions{}, SystemClock::instance());
  }
  OpenedStore makeStore() { return makeStore(storeConfig()); }

  // The original tool's CREATE TABLEs, with the server's default character set (latin1 here).
  void createOriginalSchema() {
    exec(
        "CREATE TABLE `k8s_crash_monitor` (`clustername` char(64) NOT NULL, `namespace` char(64) NOT NULL, "
        "`podname` char(255) NOT NULL, `containername` char(255) NOT NULL, `restartcount` int(11) DEFAULT NULL, "
        "`retries` int(11) DEFAULT NULL, `edited_at` int(11) DEFAULT NULL, "
        "PRIMARY KEY (`clustername`,`namespace`,`podname`,`containername`))");
    exec(
        "CREATE TABLE `k8s_pod_crash` (`id` int(11) NOT NULL AUTO_INCREMENT, `clustername` varchar(120) NOT NULL, "
        "`namespace` varchar(120) NOT NULL, `containername` varchar(120) NOT NULL, "
        "`restartcount` int(11) NOT NULL DEFAULT '0', `date` datetime(6) DEFAULT NULL, PRIMARY KEY (`id`))");
    exec(
        "CREATE TABLE `k8s_pod_crash_notify` (`clustername` varchar(255) NOT NULL, `namespace` varchar(255) NOT NULL, "
        "`slack_channel` varchar(255) NOT NULL, PRIMARY KEY (`clustername`,`namespace`))");
    exec(
        "CREATE TABLE `k8s_crash_ignore_notify` (`clustername` varchar(255) NOT NULL, "
        "`namespace` varchar(255) NOT NULL, `containername` varchar(255) NOT NULL, "
        "PRIMARY KEY (`clustername`,`namespace`,`containername`))");
  }

  // Every version in sql/ (other areas add migrations too).
  static std::vector<int> allVersions() {
    std::vector<int> versions;
    for (const auto& migration : loadMigrations(PODMON_SOURCE_DIR "/sql")) versions.push_back(migration.version);
    return versions;
  }
  static std::int64_t migrationCount() { return static_cast<std::int64_t>(allVersions().size()); }

  std::int64_t columnCount(const std::string& table, const std::string& column) {
    return queryInt(
        "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
        "TABLE_NAME = '" +
        table + "' AND COLUMN_NAME = '" + column + "'");
  }
};

CrashRecord sampleCrash(const std::string& pod, int restartCount) {
  CrashRecord record;
  auto& e = record.event;
  e.clusterName = "prod";
  e.namespace_ = "payments";
  e.podName = pod;
  e.podUid = "uid-" + pod;
  e.containerName = "app";
  e.restartCount = restartCount;
  e.reason = "Error";
  e.exitCode = 1;
  record.logs = "boom\n";
  record.logsStatus = "ok";
  return record;
}

TEST_F(StoreMigrationTest, MigratesAnEmptyDatabase) {
  auto store = makeStore();
  EXPECT_EQ(store.migrate(), allVersions());
  ASSERT_GE(migrationCount(), 3);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM schema_migrations"), migrationCount());
  EXPECT_EQ(queryText("SELECT name FROM schema_migrations WHERE version = 2"), "podmon_columns");
  EXPECT_GT(queryInt("SELECT COUNT(*) FROM schema_migrations WHERE applied_at IS NOT NULL"), 0);
  for (const char* column : {"podname", "pod_uid", "reason", "exit_code", "signal", "message", "started_at",
                             "finished_at", "node_name", "owner_kind", "owner_name", "image", "logs", "logs_status",
                             "termination_state", "restart_delta", "detected_while_down", "events", "crash_key"}) {
    EXPECT_EQ(columnCount("k8s_pod_crash", column), 1) << column;
  }
  EXPECT_EQ(columnCount("k8s_pod_crash", "container_state"), 1);
  EXPECT_EQ(columnCount("k8s_crash_monitor", "pod_uid"), 1);
  EXPECT_EQ(columnCount("k8s_crash_monitor", "container_id"), 1);
  EXPECT_EQ(columnCount("podmon_outbox", "next_attempt_at"), 1);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                     "TABLE_COLLATION NOT LIKE 'utf8mb4%'"),
            0);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                     "DATA_TYPE IN ('timestamp', 'json', 'longtext')"),
            0);
}

TEST_F(StoreMigrationTest, UpgradesTheOriginalSchemaWithRowsInPlace) {
  createOriginalSchema();
  exec(
      "INSERT INTO k8s_pod_crash (clustername, namespace, containername, restartcount, date) VALUES "
      "('prod', 'payments', 'app', 3, '2021-01-01 10:00:00'), ('prod', 'payments', 'app', 3, '2021-01-01 10:00:00')");
  exec("INSERT INTO k8s_crash_monitor VALUES ('prod', 'payments', 'api-1', 'app', 3, 0, 1609495200)");
  exec("INSERT INTO k8s_pod_crash_notify VALUES ('prod', 'payments', '#payments-alerts')");
  exec("INSERT INTO k8s_crash_ignore_notify VALUES ('prod', 'payments', 'sidecar')");

  auto store = makeStore();
  store.migrate();

  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash"), 2);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash WHERE crash_key IS NULL"), 2);
  auto states = store.containerStates->loadContainerStates("prod");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0], (ContainerState{"payments", "api-1", "app", "", 3, ""}));
  const notify::NotifyRules rules(store.notifyRules->listRoutes(""), store.notifyRules->listIgnores(""));
  EXPECT_EQ(rules.channelFor("prod", "payments"), "#payments-alerts");
  EXPECT_TRUE(rules.isIgnored("prod", "payments", "sidecar"));

  // Old rows read back with what they have.
  auto old = store.crashes->listRecentCrashes(CrashQuery{"prod", "payments", std::nullopt, 10});
  ASSERT_EQ(old.size(), 2u);
  EXPECT_EQ(old[0].crashKey, "");
  EXPECT_EQ(old[0].record.event.restartCount, 3);

  // New crashes go in next to them; the original tool's own insert still works too.
  auto result = store.crashes->recordCrash(sampleCrash("api-1", 4));
  EXPECT_TRUE(result.isNew);
  exec(
      "INSERT INTO k8s_pod_crash (clustername, namespace, containername, restartcount, date) "
      "VALUES ('prod', 'payments', 'app', 5, NOW())");
  exec(
      "INSERT INTO k8s_crash_monitor (clustername, namespace, podname, containername, restartcount, retries, "
      "edited_at) VALUES ('prod', 'payments', 'api-2', 'app', 1, 0, 1) "
      "ON DUPLICATE KEY UPDATE restartcount = 1, retries = 0, edited_at = 1");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash"), 4);
}

TEST_F(StoreMigrationTest, RunningTwiceAppliesNothingTheSecondTime) {
  auto store = makeStore();
  store.migrate();
  EXPECT_TRUE(store.migrate().empty());
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM schema_migrations"), migrationCount());
}

TEST_F(StoreMigrationTest, ConcurrentInstancesApplyEachMigrationOnce) {
  constexpr int kInstances = 4;
  std::vector<OpenedStore> stores;
  std::vector<std::vector<int>> applied(kInstances);
  for (int i = 0; i < kInstances; ++i) stores.push_back(makeStore());
  std::vector<std::string> errors(kInstances);
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      try {
        applied[i] = stores[i].migrate();
      } catch (const Poco::Exception& error) {
        errors[i] = error.displayText();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::size_t appliedTotal = 0;
  for (int i = 0; i < kInstances; ++i) {
    EXPECT_EQ(errors[i], "") << "instance " << i;
    appliedTotal += applied[i].size();
  }
  EXPECT_EQ(static_cast<std::int64_t>(appliedTotal), migrationCount());
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM schema_migrations"), migrationCount());
}

TEST_F(StoreMigrationTest, ResumesAMigrationThatStoppedHalfWay) {
  auto store = makeStore();
  store.migrate();
  // As if 002 and later had run but podmon died before recording them.
  exec("DELETE FROM schema_migrations WHERE version >= 2");
  const auto applied = store.migrate();
  auto expected = allVersions();
  expected.erase(expected.begin());
  EXPECT_EQ(applied, expected);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM schema_migrations"), migrationCount());
}

// Rows podmon wrote before termination_state took the original's text keep what they had: the
// container's state name there, container_state NULL (read as "").
TEST_F(StoreMigrationTest, TerminationStateMigrationKeepsOlderRowsAsTheyWere) {
  const std::string dir = ::testing::TempDir() + "/podmon-sql-upto-8-" + database_;
  std::filesystem::create_directories(dir);
  for (const auto& entry : std::filesystem::directory_iterator(PODMON_SOURCE_DIR "/sql")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".sql" && name < "009") {
      std::filesystem::copy_file(entry.path(), dir + "/" + name, std::filesystem::copy_options::overwrite_existing);
    }
  }
  auto config = storeConfig();
  config.migrationsDir = dir;
  makeStore(config).migrate();
  exec(
      "INSERT INTO `k8s_pod_crash` (`clustername`, `namespace`, `containername`, `restartcount`, `date`, "
      "`podname`, `termination_state`) VALUES ('prod', 'shop', 'app', 3, '2024-05-01 10:00:00', 'web-1', "
      "'CrashLoopBackOff')");
  std::filesystem::remove_all(dir);

  auto store = makeStore();
  const auto applied = store.migrate();
  ASSERT_FALSE(applied.empty());
  EXPECT_EQ(applied.front(), 9);
  EXPECT_EQ(queryText("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                      "TABLE_NAME = 'k8s_pod_crash' AND COLUMN_NAME = 'termination_state'"),
            "text");
  const auto old = store.crashes->getCrash(queryInt("SELECT MAX(id) FROM k8s_pod_crash"));
  ASSERT_TRUE(old);
  EXPECT_EQ(old->record.event.terminationState, "CrashLoopBackOff");
  EXPECT_EQ(old->record.event.containerState, "");
}

TEST_F(StoreMigrationTest, MissingMigrationsDirectoryFailsWithItsName) {
  auto config = storeConfig();
  config.migrationsDir = "/nonexistent/podmon-sql";
  auto store = makeStore(config);
  try {
    store.migrate();
    FAIL() << "migrate() did not throw";
  } catch (const StoreException& error) {
    EXPECT_NE(error.displayText().find("/nonexistent/podmon-sql"), std::string::npos) << error.displayText();
  }
}

TEST_F(StoreMigrationTest, BrokenMigrationFailsNamingTheFileAndNotThePassword) {
  const std::string dir = ::testing::TempDir() + "/podmon-bad-sql-" + database_;
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(PODMON_SOURCE_DIR "/sql/001_original_schema.sql", dir + "/001_original_schema.sql",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream bad(dir + "/002_broken.sql");
    bad << "ALTER TABLE `k8s_pod_crash` ADD COLUMN `x` int;\nALTER TABLE `no_such_table` ADD COLUMN `y` int;\n";
  }
  auto config = storeConfig();
  config.migrationsDir = dir;
  auto store = makeStore(config);
  try {
    store.migrate();
    FAIL() << "migrate() did not throw";
  } catch (const StoreException& error) {
    const std::string text = error.displayText();
    EXPECT_NE(text.find("002_broken.sql"), std::string::npos) << text;
    EXPECT_NE(text.find("statement 2"), std::string::npos) << text;
    EXPECT_EQ(text.find(config.password), std::string::npos) << text;
  }
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM schema_migrations"), 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace podmon::store
