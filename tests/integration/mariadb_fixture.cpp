#include "mariadb_fixture.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include <unistd.h>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <stdexcept>

using namespace Poco::Data::Keywords;

namespace podmon::testing {

namespace {

const char* kScript = PODMON_SOURCE_DIR "/tools/dev/mariadb-test-server";

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

Poco::Data::Session connect(const store::MySqlConfig& config) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::MySQL::Connector::registerConnector(); });
  return Poco::Data::Session("MySQL", config.connectionString(), 10);
}

std::string uniqueDatabaseName() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "podmon_t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_";
  if (info != nullptr) name += std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name.substr(0, 64);
}

}  // namespace

std::optional<TestMySqlServer> TestMySqlServer::fromEnvironment() {
  TestMySqlServer server;
  server.host = env("PODMON_TEST_MYSQL_HOST");
  const std::string port = env("PODMON_TEST_MYSQL_PORT");
  server.user = env("PODMON_TEST_MYSQL_USER");
  server.password = env("PODMON_TEST_MYSQL_PASSWORD");
  server.database = env("PODMON_TEST_MYSQL_DB");
  server.pid = env("PODMON_TEST_MYSQL_PID");
  server.datadir = env("PODMON_TEST_MYSQL_DATADIR");
  if (server.host.empty() || port.empty() || server.user.empty() || server.database.empty()) return std::nullopt;
  server.port = std::atoi(port.c_str());
  return server;
}

store::MySqlConfig TestMySqlServer::config(const std::string& databaseName) const {
  store::MySqlConfig config;
  config.host = host;
  config.port = port;
  config.user = user;
  config.password = password;
  config.database = databaseName;
  config.migrationsDir = PODMON_SOURCE_DIR "/sql";
  return config;
}

void MariaDbTest::SetUp() {
  auto server = TestMySqlServer::fromEnvironment();
  if (!server) {
    GTEST_SKIP() << "PODMON_TEST_MYSQL_* not set: start a test MariaDB with "
                    "`eval \"$(tools/dev/mariadb-test-server start)\"` to run the store tests";
  }
  server_ = *server;
  database_ = uniqueDatabaseName();
  auto admin = connect(server_.config(server_.database));
  admin << "CREATE DATABASE `" + database_ + "` CHARACTER SET latin1", now;  // like an old server's default
}

void MariaDbTest::TearDown() {
  if (database_.empty() || std::getenv("PODMON_TEST_KEEP_DB") != nullptr) return;
  try {
    auto admin = connect(server_.config(server_.database));
    admin << "DROP DATABASE IF EXISTS `" + database_ + "`", now;
  } catch (const Poco::Exception& error) {
    ADD_FAILURE() << "cannot drop " << database_ << ": " << error.displayText();
  }
}

store::MySqlConfig MariaDbTest::storeConfig() const { return server_.config(database_); }

void MariaDbTest::exec(const std::string& sql) {
  auto session = connect(storeConfig());
  session << sql, now;
}

std::int64_t MariaDbTest::queryInt(const std::string& sql) {
  auto session = connect(storeConfig());
  Poco::Nullable<Poco::Int64> value;
  session << sql, into(value), now;
  return value.isNull() ? -1 : value.value();
}

std::string MariaDbTest::queryText(const std::string& sql) {
  auto session = connect(storeConfig());
  Poco::Nullable<std::string> value;
  session << sql, into(value), now;
  return value.isNull() ? std::string() : value.value();
}

PrivateMariaDb::PrivateMariaDb(const TestMySqlServer& credentials) : server_(credentials) {
  server_.pid.clear();
  server_.datadir.clear();
  adopt(runScript("start"));
  if (server_.pid.empty() || server_.datadir.empty())
    throw std::runtime_error("mariadb-test-server start printed no PID");
}

PrivateMariaDb::~PrivateMariaDb() {
  try {
    runScript("stop");
  } catch (...) {}
}

void PrivateMariaDb::kill() { runScript("kill"); }

void PrivateMariaDb::restart() { adopt(runScript("restart")); }

std::string PrivateMariaDb::runScript(const std::string& mode) {
  std::string command = "PODMON_TEST_MYSQL_USER='" + server_.user + "' PODMON_TEST_MYSQL_PASSWORD='" +
                        server_.password + "' PODMON_TEST_MYSQL_DB='" + server_.database + "'";
  if (!server_.pid.empty()) {
    command += " PODMON_TEST_MYSQL_PID=" + server_.pid + " PODMON_TEST_MYSQL_PORT=" + std::to_string(server_.port) +
               " PODMON_TEST_MYSQL_DATADIR='" + server_.datadir + "'";
  }
  command += std::string(" ") + kScript + " " + mode;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = ::pclose(pipe);
  if (status != 0) throw std::runtime_error("mariadb-test-server " + mode + " failed:\n" + output);
  return output;
}

void PrivateMariaDb::adopt(const std::string& exports) {
  std::istringstream lines(exports);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string prefix = "export PODMON_TEST_MYSQL_";
    if (line.rfind(prefix, 0) != 0) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(prefix.size(), eq - prefix.size());
    const std::string value = line.substr(eq + 1);
    if (key == "HOST") server_.host = value;
    if (key == "PORT") server_.port = std::atoi(value.c_str());
    if (key == "PID") server_.pid = value;
    if (key == "DATADIR") server_.datadir = value;
  }
}

}  // namespace podmon::testing
