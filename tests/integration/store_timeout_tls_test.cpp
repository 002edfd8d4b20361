// MySQL connection options against a real MariaDB: a frozen server (SIGSTOP) fails each call
// within SQL_TIMEOUT and /readyz's tracker sees the stall; SQL_TLS=required against a server
// without TLS fails with a clear message; preferred falls back to plain text; data MySQL refuses
// for good ("Data too long") comes back as RejectedDataException, never retried.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/errors.h"
#include "mariadb_fixture.h"
#include "store/rejected_data_exception.h"
#include "store/store_factory.h"

namespace podmon::store {
namespace {

CrashRecord crash(int restartCount, std::string logs = "died\n") {
  CrashRecord record;
  record.event.clusterName = "prod";
  record.event.namespace_ = "payments";
  record.event.podName = "api-1";
  record.event.podUid = "uid-1";
  record.event.containerName = "app";
  record.event.restartCount = restartCount;
  record.logs = std::move(logs);
  return record;
}

OpenedStore openMySql(const MySqlConfig& config) {
  StoreChoice choice;
  choice.backend = StoreBackend::kMySql;
  choice.mysql = config;
  return openStore(choice, CrashStoreOptions{});
}

class StoreConnectOptionsTest : public testing::MariaDbTest {};

TEST_F(StoreConnectOptionsTest, TlsRequiredAgainstAServerWithoutTlsFailsClearly) {
  if (queryText("SELECT @@have_ssl") == "YES") GTEST_SKIP() << "the test server has TLS";
  auto config = storeConfig();
  config.connect.tls = MySqlTlsMode::kRequired;
  const OpenedStore store = openMySql(config);
  try {
    store.migrate();
    ADD_FAILURE() << "connected without TLS although SQL_TLS=required";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("answered without TLS, but SQL_TLS is required"), std::string::npos) << e.message();
  }
}

TEST_F(StoreConnectOptionsTest, TlsPreferredAndDisabledConnectToAServerWithoutTls) {
  for (const auto mode : {MySqlTlsMode::kPreferred, MySqlTlsMode::kDisabled}) {
    auto config = storeConfig();
    config.connect.tls = mode;
    const OpenedStore store = openMySql(config);
    store.migrate();
    EXPECT_EQ(store.crashes->recordCrash(crash(1)).isNew, mode == MySqlTlsMode::kPreferred);
  }
}

TEST_F(StoreConnectOptionsTest, DataTooLongIsRejectedAtOnceAndCountsAsProgress) {
  const OpenedStore store = openMySql(storeConfig());
  store.migrate();
  exec("ALTER TABLE k8s_pod_crash MODIFY logs TEXT NULL DEFAULT NULL");
  EXPECT_THROW(store.crashes->recordCrash(crash(1, std::string(70'000, 'x'))), RejectedDataException);
  ASSERT_TRUE(store.progress);
  EXPECT_EQ(store.progress->waitingFor(), std::nullopt);  // the server answered
  EXPECT_TRUE(store.crashes->recordCrash(crash(1)).isNew);
}

TEST(StoreFrozenServerTest, EachCallEndsWithinTheTimeoutAndTheTrackerSeesTheStall) {
  auto credentials = testing::TestMySqlServer::fromEnvironment();
  if (!credentials) GTEST_SKIP() << "PODMON_TEST_MYSQL_* not set: see tools/dev/mariadb-test-server";
  testing::PrivateMariaDb server(*credentials);  // a server of its own: this test freezes it
  auto config = server.server().config(credentials->database);
  config.connect.timeoutSeconds = 2;
  const OpenedStore store = openMySql(config);
  store.migrate();
  ASSERT_TRUE(store.crashes->recordCrash(crash(1)).isNew);

  const pid_t pid = static_cast<pid_t>(std::stol(server.server().pid));
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(store.crashes->recordCrash(crash(2)), StoreException);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(store.progress->waitingFor().has_value());  // failed work still waits
  ::kill(pid, SIGCONT);
  // maxAttempts (3) tries, each ended by the 2 s read or connect timeout.
  EXPECT_LT(took, std::chrono::seconds(3 * 2 + 4));
  EXPECT_GE(took, std::chrono::seconds(2));

  EXPECT_TRUE(store.crashes->recordCrash(crash(3)).isNew);
  EXPECT_EQ(store.progress->waitingFor(), std::nullopt);
}

// A CA, a server certificate for IP 127.0.0.1 signed by it, and an unrelated CA, made with the
// openssl command line in a temporary folder.
class TestCertificates {
 public:
  TestCertificates() : dir_(std::filesystem::temp_directory_path() / ("podmon-tls-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string script = "cd '" + d +
                               "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
                               "-subj '/CN=podmon test CA' && openssl req -x509 -newkey rsa:2048 -nodes -keyout "
                               "other.key -out other.pem -days 2 -subj '/CN=other CA' && openssl req -newkey "
                               "rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' && printf "
                               "'subjectAltName=IP:127.0.0.1\\n' > ext.cnf && openssl x509 -req -in server.csr -CA "
                               "ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf";
    ok_ = std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
  }
  ~TestCertificates() { std::filesystem::remove_all(dir_); }
  bool ok() const { return ok_; }
  std::string path(const char* name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
  bool ok_ = false;
};

TEST(StoreTlsServerTest, RequiredAndVerifiedConnectionsToAServerWithTls) {
  auto credentials = testing::TestMySqlServer::fromEnvironment();
  if (!credentials) GTEST_SKIP() << "PODMON_TEST_MYSQL_* not set: see tools/dev/mariadb-test-server";
  TestCertificates certs;
  if (!certs.ok()) GTEST_SKIP() << "no openssl command line to make test certificates";
  const std::string args = "--ssl-ca=" + certs.path("ca.pem") + " --ssl-cert=" + certs.path("server.pem") +
                           " --ssl-key=" + certs.path("server.key");
  ::setenv("PODMON_TEST_MYSQL_EXTRA_ARGS", args.c_str(), 1);
  testing::PrivateMariaDb server(*credentials);
  ::unsetenv("PODMON_TEST_MYSQL_EXTRA_ARGS");
  auto config = server.server().config(credentials->database);

  config.connect.tls = MySqlTlsMode::kRequired;
  const OpenedStore required = openMySql(config);
  required.migrate();
  EXPECT_TRUE(required.crashes->recordCrash(crash(1)).isNew);

  config.connect.tlsCa = certs.path("ca.pem");
  for (const auto mode : {MySqlTlsMode::kVerifyCa, MySqlTlsMode::kVerifyIdentity}) {
    config.connect.tls = mode;
    EXPECT_FALSE(openMySql(config).crashes->recordCrash(crash(1)).isNew) << toString(mode);
  }

  config.connect.tlsCa = certs.path("other.pem");
  config.maxAttempts = 1;
  for (const auto mode : {MySqlTlsMode::kVerifyCa, MySqlTlsMode::kVerifyIdentity}) {
    config.connect.tls = mode;
    try {
      openMySql(config).crashes->recordCrash(crash(1));
      ADD_FAILURE() << toString(mode) << " accepted a certificate of another CA";
    } catch (const StoreException& e) {
      EXPECT_NE(e.message().find("SSL"), std::string::npos) << e.message();
    }
  }
}

}  // namespace
}  // namespace podmon::store
