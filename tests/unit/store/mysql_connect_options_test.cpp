// SQL_TIMEOUT, SQL_TLS and SQL_TLS_CA as the MySQL store reads them: bad values fail at start-up.
#include "store/mysql_connect_options.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/errors.h"
#include "core/settings.h"
#include "store/store_factory.h"

namespace podmon::store {
namespace {

MySqlConfig configFrom(std::map<std::string, std::string> env) {
  env["SQL_HOST"] = "db";
  const Config config = Config::load(
      {},
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      [](const std::string& p) -> std::string { throw ConfigException(p + ": no such file"); });
  return storeChoiceFrom(Settings::from(config).store).mysql;
}

std::string errorOf(std::map<std::string, std::string> env) {
  try {
    configFrom(std::move(env));
  } catch (const ConfigException& e) {
    return e.message();
  }
  return "";
}

TEST(MySqlConnectOptionsTest, DefaultsAreTenSecondsAndNoTls) {
  const MySqlConfig c = configFrom({});
  EXPECT_EQ(c.connect.timeoutSeconds, 10u);
  EXPECT_EQ(c.connect.tls, MySqlTlsMode::kDisabled);
}

TEST(MySqlConnectOptionsTest, ReadsTimeoutAndTlsModes) {
  EXPECT_EQ(configFrom({{"SQL_TIMEOUT", "3s"}}).connect.timeoutSeconds, 3u);
  EXPECT_EQ(configFrom({{"SQL_TIMEOUT", "1500ms"}}).connect.timeoutSeconds, 2u);  // rounded up
  EXPECT_EQ(configFrom({{"SQL_TLS", "required"}}).connect.tls, MySqlTlsMode::kRequired);
  EXPECT_EQ(configFrom({{"SQL_TLS", "preferred"}}).connect.tls, MySqlTlsMode::kPreferred);
  EXPECT_EQ(configFrom({{"SQL_TLS", "verify-identity"}, {"SQL_TLS_CA", "/dev/null"}}).connect.tls,
            MySqlTlsMode::kVerifyIdentity);
  for (const char* mode : {"disabled", "preferred", "required", "verify-ca", "verify-identity"}) {
    EXPECT_EQ(toString(parseMySqlTlsMode(mode)), mode);
  }
}

TEST(MySqlConnectOptionsTest, BadValuesGetClearErrors) {
  EXPECT_NE(errorOf({{"SQL_TLS", "on"}}).find("SQL_TLS"), std::string::npos);
  EXPECT_NE(errorOf({{"SQL_TIMEOUT", "0"}}).find("SQL_TIMEOUT must be between 1s and 1h"), std::string::npos);
  EXPECT_NE(errorOf({{"SQL_TIMEOUT", "ten"}}).find("not a duration"), std::string::npos);
  EXPECT_NE(errorOf({{"SQL_TLS", "verify-ca"}}).find("needs SQL_TLS_CA"), std::string::npos);
  EXPECT_NE(errorOf({{"SQL_TLS", "verify-ca"}, {"SQL_TLS_CA", "/nonexistent/ca.pem"}}).find("cannot read"),
            std::string::npos);
  EXPECT_THROW(parseMySqlTlsMode("VERIFY_CA"), ConfigException);
}

}  // namespace
}  // namespace podmon::store
