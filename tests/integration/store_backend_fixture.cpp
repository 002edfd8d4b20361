#include "store_backend_fixture.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>
#include <Poco/Nullable.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "store/sql_crash_repository.h"

using namespace Poco::Data::Keywords;

namespace podmon::testing {

namespace {

Poco::Data::Session sqliteSession(const std::string& path) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  Poco::Data::Session session("SQLite", path);
  int timeout = 0;
  session << "PRAGMA busy_timeout = 10000", into(timeout), now;
  return session;
}

}  // namespace

std::string backendName(const ::testing::TestParamInfo<store::StoreBackend>& info) {
  return info.param == store::StoreBackend::kMySql ? "MySql" : "Sqlite";
}

void StoreBackendTest::SetUp() {
  if (!sqlite()) {
    MariaDbTest::SetUp();
    return;
  }
  char pattern[] = "/tmp/podmon-sqlite-test-XXXXXX";
  const char* dir = ::mkdtemp(pattern);
  if (dir == nullptr) throw std::runtime_error("mkdtemp failed");
  sqliteDir_ = dir;
  sqlitePath_ = sqliteDir_ + "/podmon.db";
}

void StoreBackendTest::TearDown() {
  if (!sqlite()) {
    MariaDbTest::TearDown();
    return;
  }
  if (!sqliteDir_.empty() && std::getenv("PODMON_TEST_KEEP_DB") == nullptr) Poco::File(sqliteDir_).remove(true);
}

store::StoreChoice StoreBackendTest::choice() const {
  store::StoreChoice c;
  c.backend = GetParam();
  if (sqlite()) {
    c.sqlitePath = sqlitePath_;
  } else {
    c.mysql = storeConfig();
  }
  return c;
}

store::OpenedStore StoreBackendTest::openTestStore(store::CrashStoreOptions options, Clock::Ptr clock) const {
  return store::openStore(choice(), options, std::move(clock));
}

void StoreBackendTest::setFaultHook(store::CrashRepository& crashes, std::function<void(std::string_view)> hook) {
  if (auto* sql = dynamic_cast<store::SqlCrashRepository*>(&crashes)) {
    sql->setFaultHookForTest(std::move(hook));
  } else {
    throw std::logic_error("setFaultHook: not a store made by openTestStore");
  }
}

void StoreBackendTest::exec(const std::string& sql) {
  if (!sqlite()) return MariaDbTest::exec(sql);
  auto session = sqliteSession(sqlitePath_);
  session << sql, now;
}

std::int64_t StoreBackendTest::queryInt(const std::string& sql) {
  if (!sqlite()) return MariaDbTest::queryInt(sql);
  auto session = sqliteSession(sqlitePath_);
  Poco::Nullable<Poco::Int64> value;
  session << sql, into(value), now;
  return value.isNull() ? -1 : value.value();
}

std::string StoreBackendTest::queryText(const std::string& sql) {
  if (!sqlite()) return MariaDbTest::queryText(sql);
  auto session = sqliteSession(sqlitePath_);
  Poco::Nullable<std::string> value;
  session << sql, into(value), now;
  return value.isNull() ? std::string() : value.value();
}

}  // namespace podmon::testing
