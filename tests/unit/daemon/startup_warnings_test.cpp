// startupWarnings: one warning per exposed secret or unchecked transport, naming the setting and
// never its value.
#include "daemon/startup_warnings.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/errors.h"

namespace podmon::daemon {
namespace {

Settings load(const std::map<std::string, std::string>& env, const std::vector<std::string>& args = {}) {
  return Settings::from(Config::load(
      args,
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      [](const std::string& p) -> std::string { return p == "/run/secrets/token" ? "file-secret-9\n" : ""; }));
}

std::string joined(const std::vector<std::string>& warnings) {
  std::string out;
  for (const auto& w : warnings) out += w + "\n";
  return out;
}

TEST(StartupWarningsTest, NoneForASafeSetUp) {
  EXPECT_TRUE(startupWarnings(load({}), {}).empty());
  const Settings safe = load({{"ELASTICSEARCH_URL", "https://es:9200"},
                              {"ELASTICSEARCH_PASSWORD", "pw-secret-1"},
                              {"ELASTICSEARCH_USERNAME", "u"},
                              {"SLACK_TOKEN", "xoxb-secret-2"},
                              {"API_TOKEN_FILE", "/run/secrets/token"}},
                             {"--cluster-name", "prod", "--sql-password-file", "/run/secrets/token"});
  EXPECT_EQ(joined(startupWarnings(safe, {})), "");
  // Plain http:// without credentials is no secret's business.
  EXPECT_TRUE(startupWarnings(load({{"ELASTICSEARCH_URL", "http://es:9200"}}), {}).empty());
}

TEST(StartupWarningsTest, EachSecretGivenAsAFlagIsNamedNotShown) {
  const Settings s = load({}, {"--sql-password", "pw-secret-3", "--slack-webhook-url", "https://h/secret-4",
                               "--api-token=tok-secret-5", "--slack-channel", "#c"});
  const auto warnings = startupWarnings(s, {});
  ASSERT_EQ(warnings.size(), 3u) << joined(warnings);
  EXPECT_NE(warnings[0].find("SQL_PASSWORD was given as a command-line flag"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("/proc/PID/cmdline"), std::string::npos);
  EXPECT_NE(warnings[0].find("or in SQL_PASSWORD_FILE"), std::string::npos);
  EXPECT_NE(joined(warnings).find("SLACK_WEBHOOK_URL was given"), std::string::npos);
  EXPECT_NE(joined(warnings).find("API_TOKEN was given"), std::string::npos);
  EXPECT_EQ(joined(warnings).find("secret-"), std::string::npos) << joined(warnings);
  // The same secrets from the environment: nothing to say.
  EXPECT_TRUE(startupWarnings(load({{"SQL_PASSWORD", "pw-secret-3"}, {"API_TOKEN", "t"}}), {}).empty());
}

TEST(StartupWarningsTest, KubeconfigWithoutCertificateCheck) {
  TransportFacts facts;
  facts.kubeInsecureSkipTlsVerify = true;
  const auto warnings = startupWarnings(load({}), facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("insecure-skip-tls-verify"), std::string::npos) << warnings[0];
}

TEST(StartupWarningsTest, ElasticsearchCredentialsOverPlainHttp) {
  const auto apiKey = startupWarnings(
      load({{"ELASTICSEARCH_URL", "http://es:9200"}, {"ELASTICSEARCH_API_KEY", "a2V5LXNlY3JldC02"}}), {});
  ASSERT_EQ(apiKey.size(), 1u);
  EXPECT_NE(apiKey[0].find("ELASTICSEARCH_URL is http://"), std::string::npos) << apiKey[0];
  EXPECT_NE(apiKey[0].find("ELASTICSEARCH_API_KEY"), std::string::npos) << apiKey[0];
  EXPECT_EQ(apiKey[0].find("a2V5"), std::string::npos);
  const auto password = startupWarnings(load({{"ELASTICSEARCH_URL", "http://es:9200"},
                                              {"ELASTICSEARCH_USERNAME", "elastic"},
                                              {"ELASTICSEARCH_PASSWORD_FILE", "/run/secrets/token"}}),
                                        {});
  ASSERT_EQ(password.size(), 1u);
  EXPECT_NE(password[0].find("ELASTICSEARCH_PASSWORD"), std::string::npos) << password[0];
  EXPECT_EQ(password[0].find("file-secret"), std::string::npos);
  const auto inUrl = startupWarnings(load({{"ELASTICSEARCH_URL", "http://elastic:pw-secret-7@es:9200/"}}), {});
  ASSERT_EQ(inUrl.size(), 1u);
  EXPECT_NE(inUrl[0].find("the user and password in the URL"), std::string::npos) << inUrl[0];
  EXPECT_EQ(inUrl[0].find("pw-secret-7"), std::string::npos);
  // An '@' in the path is no user.
  EXPECT_TRUE(startupWarnings(load({{"ELASTICSEARCH_URL", "http://es:9200/a@b"}}), {}).empty());
}

TEST(StartupWarningsTest, SlackSecretOverPlainHttpOnlyForTheOneInUse) {
  const auto token =
      startupWarnings(load({{"SLACK_TOKEN", "xoxb-secret-8"}, {"SLACK_API_URL", "http://slack.internal/api"}}), {});
  ASSERT_EQ(token.size(), 1u);
  EXPECT_NE(token[0].find("SLACK_API_URL is http://, so SLACK_TOKEN"), std::string::npos) << token[0];
  const auto webhook = startupWarnings(load({{"SLACK_WEBHOOK_URL", "http://hooks.internal/services/secret-9"}}), {});
  ASSERT_EQ(webhook.size(), 1u);
  EXPECT_NE(webhook[0].find("SLACK_WEBHOOK_URL is http://"), std::string::npos) << webhook[0];
  EXPECT_EQ(webhook[0].find("secret-9"), std::string::npos);
  // The token wins over the webhook, so an http:// webhook beside it is never used.
  EXPECT_TRUE(
      startupWarnings(load({{"SLACK_TOKEN", "xoxb-1"}, {"SLACK_WEBHOOK_URL", "http://hooks.internal/x"}}), {}).empty());
  // Alerts off: nothing is sent.
  EXPECT_TRUE(
      startupWarnings(load({{"SLACK_NOTIFY", "false"}, {"SLACK_WEBHOOK_URL", "http://hooks.internal/x"}}), {}).empty());
}

TEST(StartupWarningsTest, MySqlOnTheNetworkWithoutTls) {
  const auto plain = startupWarnings(load({{"SQL_HOST", "mysql.db.svc"}, {"SQL_PASSWORD", "pw-secret-6"}}), {});
  ASSERT_EQ(plain.size(), 1u) << joined(plain);
  EXPECT_NE(plain[0].find("SQL_TLS is disabled"), std::string::npos) << plain[0];
  EXPECT_EQ(plain[0].find("secret-"), std::string::npos);
  const auto preferred = startupWarnings(load({{"SQL_HOST", "10.0.0.5"}, {"SQL_TLS", "preferred"}}), {});
  ASSERT_EQ(preferred.size(), 1u);
  EXPECT_NE(preferred[0].find("server without TLS is accepted"), std::string::npos) << preferred[0];
  // Loopback, or TLS required: nothing to say.
  EXPECT_TRUE(startupWarnings(load({{"SQL_HOST", "127.0.0.1"}}), {}).empty());
  EXPECT_TRUE(startupWarnings(load({{"SQL_HOST", "mysql.db.svc"}, {"SQL_TLS", "required"}}), {}).empty());
}

// The original's settings podmon does not need: one warning naming each with why, not one each.
TEST(StartupWarningsTest, TheOriginalsSettingsPodmonDoesNotNeedInOneWarning) {
  const auto warnings = startupWarnings(
      load({{"CHECK_INTERVAL", "15"}, {"ELASTICSEARCH_BUFFER_SIZE", "100"}, {"SQL_CONNECTION_LIFETIME", "300"}}), {});
  ASSERT_EQ(warnings.size(), 1u) << joined(warnings);
  const std::string& w = warnings[0];
  EXPECT_EQ(w.rfind("settings of the original kubernetes-pod-monitor that podmon does not need are ignored: ", 0), 0u)
      << w;
  EXPECT_NE(w.find("CHECK_INTERVAL (the original's polling interval: not needed, podmon watches pods"),
            std::string::npos)
      << w;
  EXPECT_NE(w.find("ELASTICSEARCH_BUFFER_SIZE (the original's in-memory document buffer: not needed"),
            std::string::npos)
      << w;
  EXPECT_NE(w.find("SQL_CONNECTION_LIFETIME ("), std::string::npos) << w;
  EXPECT_EQ(w.back(), '.');
  EXPECT_EQ(w.find("15"), std::string::npos) << "values are not repeated";
}

TEST(StartupWarningsTest, WarningsFromReadingTheSettingsComeFirst) {
  const auto warnings =
      startupWarnings(load({{"ELASTICSEARCH_URL", "https://es:9243"}, {"ELASTICSEARCH_PORT", "443"}}), {});
  ASSERT_EQ(warnings.size(), 1u) << joined(warnings);
  EXPECT_EQ(warnings[0], "ELASTICSEARCH_PORT 443 is not used: ELASTICSEARCH_URL names its own port");
}

}  // namespace
}  // namespace podmon::daemon
