#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "mariadb_fixture.h"
#include "store/store_factory.h"

namespace podmon::testing {

// Base for tests that must hold for both store backends: each test runs once on MySQL (a database
// of its own on the test MariaDB; skipped without PODMON_TEST_MYSQL_*) and once on SQLite (a file
// in a private temp directory, always). Instantiate with INSTANTIATE_STORE_BACKEND_TESTS(Suite).
class StoreBackendTest : public MariaDbTest, public ::testing::WithParamInterface<store::StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool sqlite() const { return GetParam() == store::StoreBackend::kSqlite; }
  store::StoreChoice choice() const;
  // The stores (plus, for SQLite, their connection) on this test's database; with SQLite
  // each call opens its own connection, as another process would. Migrate it yourself.
  store::OpenedStore openTestStore(store::CrashStoreOptions options = {},
                                   Clock::Ptr clock = SystemClock::instance()) const;
  // Sets the test fault hook of a crash repository made by openTestStore (either backend).
  static void setFaultHook(store::CrashRepository& crashes, std::function<void(std::string_view)> hook);

  // Statements on this test's database, on a connection of their own (either backend).
  void exec(const std::string& sql);
  std::int64_t queryInt(const std::string& sql);
  std::string queryText(const std::string& sql);

  std::string sqliteDir_;
  std::string sqlitePath_;
};

std::string backendName(const ::testing::TestParamInfo<store::StoreBackend>& info);

}  // namespace podmon::testing

#define INSTANTIATE_STORE_BACKEND_TESTS(Suite)                                                                       \
  INSTANTIATE_TEST_SUITE_P(                                                                                          \
      Backends, Suite, ::testing::Values(podmon::store::StoreBackend::kMySql, podmon::store::StoreBackend::kSqlite), \
      podmon::testing::backendName)
