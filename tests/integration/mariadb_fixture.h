#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/mysql_config.h"

namespace podmon::testing {

// The test MariaDB named by PODMON_TEST_MYSQL_HOST/PORT/USER/PASSWORD/DB (and PID/DATADIR), as
// printed by tools/dev/mariadb-test-server start.
struct TestMySqlServer {
  std::string host;
  int port = 0;
  std::string user;
  std::string password;
  std::string database;
  std::string pid;
  std::string datadir;

  // nullopt when the variables are not set.
  static std::optional<TestMySqlServer> fromEnvironment();
  store::MySqlConfig config(const std::string& databaseName) const;
};

// Base for tests against real MariaDB: each test gets a database of its own (created in SetUp,
// dropped in TearDown), so tests can run in parallel against one server. Skips the test when the
// PODMON_TEST_MYSQL_* variables are absent.
class MariaDbTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Settings for a store on this test's database (migrations from the source tree's sql/).
  store::MySqlConfig storeConfig() const;
  // Runs one statement on this test's database, on a connection of its own.
  void exec(const std::string& sql);
  // The first column of the first row as an integer (NULL and no row give -1).
  std::int64_t queryInt(const std::string& sql);
  // The first column of the first row as text ("" for NULL and no row).
  std::string queryText(const std::string& sql);

  TestMySqlServer server_;
  std::string database_;
};

// A MariaDB of one test's own, for tests that kill the server: sharing the common one would take
// every test running in parallel down with it. Started by tools/dev/mariadb-test-server.
class PrivateMariaDb {
 public:
  // Throws std::runtime_error when the server does not start.
  explicit PrivateMariaDb(const TestMySqlServer& credentials);
  ~PrivateMariaDb();
  PrivateMariaDb(const PrivateMariaDb&) = delete;
  PrivateMariaDb& operator=(const PrivateMariaDb&) = delete;

  // kill -9, data kept.
  void kill();
  // Starts it again on the same port and data (kills it first if it still runs).
  void restart();
  const TestMySqlServer& server() const { return server_; }

 private:
  std::string runScript(const std::string& mode);
  void adopt(const std::string& exports);

  TestMySqlServer server_;
};

}  // namespace podmon::testing
