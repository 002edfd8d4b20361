// parseSettingsFile: podmon's flat keys and the original kubernetes-pod-monitor's nested ones.
#include "core/settings_file.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace podmon {
namespace {

// The original's config/application.yml at commit 71f1cd8, as shipped in its image.
const char* kOriginalApplicationYml = R"(DEPLOY_ENV: local

CLUSTER_NAME: local-cluster

server:
  port: 8080

log:
  level: INFO

aws:
  region: <aws-region>

elasticsearch:
  url: https://es-url
  dashboard: https://dashboard-link
  scheme: https
  port: 443
  index: k8s-crash-monitor-
  buffer_size: 100
  batch_size: 1
  flush_seconds: 30
  doc_type: _doc
  v7: true

check_interval: 15
max_retries: 10
max_parallelism: 30

sql:
  connection_lifetime: 300
  host: 127.0.0.1
  port: 3306
  username: admin
  password: admin
  dbname: kubernetes_pod_monitor
  table_name: k8s_crash_monitor

max_crashlog_length: 1000000

slack:
  token: XXXXXXX
  channel: pod-crash-alerts
  notify: false
)";

std::string errorOf(const std::string& text, UnknownKeys unknownKeys) {
  try {
    parseSettingsFile(text, "--config /c.yaml", unknownKeys);
  } catch (const ConfigException& e) {
    return e.message();
  }
  return "no error";
}

TEST(SettingsFileTest, TheOriginalsNestedKeysAreTheSettingsViperNamed) {
  const SettingsFileValues file =
      parseSettingsFile(kOriginalApplicationYml, "config/application.yml", UnknownKeys::kWarn);
  EXPECT_TRUE(file.warnings.empty()) << file.warnings.front();
  const std::map<std::string, std::string> expected = {
      {"DEPLOY_ENV", "local"},
      {"CLUSTER_NAME", "local-cluster"},
      {"SERVER_PORT", "8080"},
      {"LOG_LEVEL", "INFO"},
      {"AWS_REGION", "<aws-region>"},
      {"ELASTICSEARCH_URL", "https://es-url"},
      {"ELASTICSEARCH_DASHBOARD", "https://dashboard-link"},
      {"ELASTICSEARCH_SCHEME", "https"},
      {"ELASTICSEARCH_PORT", "443"},
      {"ELASTICSEARCH_INDEX", "k8s-crash-monitor-"},
      {"ELASTICSEARCH_BUFFER_SIZE", "100"},
      {"ELASTICSEARCH_BATCH_SIZE", "1"},
      {"ELASTICSEARCH_FLUSH_SECONDS", "30"},
      {"ELASTICSEARCH_DOC_TYPE", "_doc"},
      {"ELASTICSEARCH_V7", "true"},
      {"CHECK_INTERVAL", "15"},
      {"MAX_RETRIES", "10"},
      {"MAX_PARALLELISM", "30"},
      {"SQL_CONNECTION_LIFETIME", "300"},
      {"SQL_HOST", "127.0.0.1"},
      {"SQL_PORT", "3306"},
      {"SQL_USERNAME", "admin"},
      {"SQL_PASSWORD", "admin"},
      {"SQL_DBNAME", "kubernetes_pod_monitor"},
      {"SQL_TABLE_NAME", "k8s_crash_monitor"},
      {"MAX_CRASHLOG_LENGTH", "1000000"},
      {"SLACK_TOKEN", "XXXXXXX"},
      {"SLACK_CHANNEL", "pod-crash-alerts"},
      {"SLACK_NOTIFY", "false"},
  };
  EXPECT_EQ(file.values, expected);
}

TEST(SettingsFileTest, UnknownNestedKeysAreWarningsNamingThePath) {
  const SettingsFileValues file = parseSettingsFile("sql:\n  host: db\n  pool:\n    size: 3\nfoo: 1\n",
                                                    "config/application.yml", UnknownKeys::kWarn);
  EXPECT_EQ(file.values.at("SQL_HOST"), "db");
  ASSERT_EQ(file.warnings.size(), 2u);
  EXPECT_EQ(file.warnings[0],
            "config/application.yml: line 4: unknown key 'sql.pool.size' (no setting SQL_POOL_SIZE), ignored");
  EXPECT_EQ(file.warnings[1], "config/application.yml: line 5: unknown key 'foo' (no setting FOO), ignored");
}

TEST(SettingsFileTest, ConfigRefusesAnUnknownFlatSettingButOnlyWarnsForNestedKeys) {
  EXPECT_EQ(errorOf("NOT_A_SETTING: 1\n", UnknownKeys::kRefuseFlat),
            "--config /c.yaml: unknown setting 'NOT_A_SETTING'");
  const SettingsFileValues nested =
      parseSettingsFile("slack:\n  channel: ops\n  colour: red\n", "--config /c.yaml", UnknownKeys::kRefuseFlat);
  EXPECT_EQ(nested.values.at("SLACK_CHANNEL"), "ops");
  ASSERT_EQ(nested.warnings.size(), 1u);
  EXPECT_NE(nested.warnings[0].find("'slack.colour'"), std::string::npos);
  // podmon's flat keys, in either case, with '-' or '_'.
  const SettingsFileValues flat = parseSettingsFile("sql-host: db\nSlack_Channel: x\nwatch_namespaces: [a, b]\n",
                                                    "--config /c.yaml", UnknownKeys::kRefuseFlat);
  EXPECT_EQ(flat.values.at("SQL_HOST"), "db");
  EXPECT_EQ(flat.values.at("SLACK_CHANNEL"), "x");
  EXPECT_EQ(flat.values.at("WATCH_NAMESPACES"), "a,b");
}

TEST(SettingsFileTest, ASettingGivenAMappingIsAnErrorAndEmptyValuesAreKeptEmpty) {
  EXPECT_EQ(errorOf("SQL_HOST:\n  a: b\n", UnknownKeys::kWarn), "--config /c.yaml: SQL_HOST must be a single value");
  EXPECT_EQ(errorOf("- a\n- b\n", UnknownKeys::kWarn), "--config /c.yaml: expected a mapping of SETTING: value");
  const SettingsFileValues file = parseSettingsFile("CLUSTER_NAME:\nsql:\n  password: ''\n", "f", UnknownKeys::kWarn);
  EXPECT_EQ(file.values.at("CLUSTER_NAME"), "");
  EXPECT_EQ(file.values.at("SQL_PASSWORD"), "");
  EXPECT_TRUE(parseSettingsFile("", "f", UnknownKeys::kWarn).values.empty());
}

}  // namespace
}  // namespace podmon
