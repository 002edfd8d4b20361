// Settings::from: each setting lands in its field, with the parsed type, once.
#include "core/settings.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/errors.h"

namespace podmon {
namespace {

Settings load(const std::map<std::string, std::string>& env, const std::vector<std::string>& args = {}) {
  return Settings::from(Config::load(
      args,
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      [](const std::string& p) -> std::string { throw ConfigException(p + ": no such file"); }));
}

TEST(SettingsTest, DefaultsAreTheContractsDefaults) {
  const Settings s = load({});
  EXPECT_EQ(s.clusterName, "");
  EXPECT_EQ(s.store.sqlPort, 3306);
  EXPECT_EQ(s.store.sqlUsername, "root");
  EXPECT_EQ(s.store.sqlDbname, "kubernetes_pod_monitor");
  EXPECT_EQ(s.store.sqlitePath, "./podmon.db");
  EXPECT_FALSE(s.store.sqlitePathGiven);
  EXPECT_FALSE(s.store.sqlPasswordGiven);
  EXPECT_EQ(s.crashLog.maxLength, 1000000);
  EXPECT_EQ(s.crashLog.tailLines, 500);
  EXPECT_EQ(s.log.level, "info");
  EXPECT_FALSE(s.log.levelGiven);
  EXPECT_EQ(s.log.format, "text");
  EXPECT_EQ(s.status.serverPort, 8080);
  EXPECT_EQ(s.status.bindAddress, "0.0.0.0");
  EXPECT_EQ(s.status.apiRateLimit, 3600);
  EXPECT_EQ(s.status.healthWindow, std::chrono::minutes(10));
  EXPECT_EQ(s.elasticsearch.index, "k8s-crash-monitor-");
  EXPECT_EQ(s.slack.channel, "pod-crash-alerts");
  EXPECT_TRUE(s.slack.notify);
  EXPECT_EQ(s.slack.apiUrl, "https://slack.com/api");
  EXPECT_EQ(s.slack.alertCooldown, std::chrono::minutes(10));
  EXPECT_FALSE(s.leader.enabled);
  EXPECT_EQ(s.leader.leaseName, "kubernetes-pod-monitor");
  EXPECT_TRUE(s.redact.enabled);
  EXPECT_TRUE(s.redact.patterns.empty());
  EXPECT_THROW(s.requireForDaemon(), ConfigException);
}

TEST(SettingsTest, EachSettingLandsInItsField) {
  const Settings s = load({{"CLUSTER_NAME", "prod"},
                           {"WATCH_NAMESPACES", "a, b"},
                           {"IGNORE_NAMESPACES", "kube-system"},
                           {"LABEL_SELECTOR", "app=x"},
                           {"SQL_HOST", "db"},
                           {"SQL_PASSWORD", ""},
                           {"SQLITE_PATH", "/d.db"},
                           {"LOG_LEVEL", "debug"},
                           {"API_TOKEN", "t"},
                           {"INDEX_FILE", "/i.ndjson"},
                           {"SLACK_WEBHOOK_URL", "https://h/x"},
                           {"ALERT_COOLDOWN", "0"},
                           {"LEADER_ELECTION", "true"},
                           {"POD_NAMESPACE", "ns"},
                           {"REDACT", "false"},
                           {"REDACT_PATTERNS", "a+\n\nb+"}},
                          {"--context", "kind-dev", "--kubeconfig=/k", "--elasticsearch-url", "http://es:9200"});
  EXPECT_NO_THROW(s.requireForDaemon());
  EXPECT_EQ(s.clusterName, "prod");
  EXPECT_EQ(s.kube.kubeconfig, "/k");
  EXPECT_EQ(s.kube.context, "kind-dev");
  EXPECT_EQ(s.kube.watchNamespaces, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.kube.ignoreNamespaces, (std::vector<std::string>{"kube-system"}));
  EXPECT_EQ(s.kube.labelSelector, "app=x");
  EXPECT_EQ(s.store.sqlHost, "db");
  EXPECT_TRUE(s.store.sqlPasswordGiven);  // "" says "no password": given all the same
  EXPECT_TRUE(s.store.sqlitePathGiven);
  EXPECT_TRUE(s.log.levelGiven);
  EXPECT_EQ(s.status.apiToken, "t");
  EXPECT_EQ(s.elasticsearch.url, "http://es:9200");
  EXPECT_EQ(s.elasticsearch.indexFile, "/i.ndjson");
  EXPECT_EQ(s.slack.webhookUrl, "https://h/x");
  EXPECT_EQ(s.slack.alertCooldown, std::chrono::milliseconds(0));
  EXPECT_TRUE(s.leader.enabled);
  EXPECT_EQ(s.leader.podNamespace, "ns");
  EXPECT_FALSE(s.redact.enabled);
  EXPECT_EQ(s.redact.patterns, (std::vector<std::string>{"a+", "b+"}));
}

TEST(SettingsTest, SecretsGivenAsFlagsAreListedByName) {
  const Settings s = load({{"SLACK_TOKEN", "xoxb-from-env"}},
                          {"--sql-password", "pw", "--elasticsearch-api-key=k", "--sql-host", "db"});
  EXPECT_EQ(s.secretsGivenAsFlags, (std::vector<std::string>{"SQL_PASSWORD", "ELASTICSEARCH_API_KEY"}));
  EXPECT_TRUE(load({{"SQL_PASSWORD", "pw"}}).secretsGivenAsFlags.empty());
}

}  // namespace
}  // namespace podmon

namespace podmon {
namespace {

TEST(SettingsTest, EnrichmentAndKubeApiLimits) {
  const Settings defaults = load({});
  EXPECT_EQ(defaults.crashLog.enrichWorkers, 8);
  EXPECT_EQ(defaults.crashLog.enrichTimeout, std::chrono::seconds(60));
  EXPECT_EQ(defaults.kube.apiQps, 50);
  EXPECT_EQ(defaults.kube.apiBurst, 100);
  const Settings set =
      load({{"ENRICH_WORKERS", "2"}, {"ENRICH_TIMEOUT", "15s"}, {"KUBE_API_QPS", "20"}, {"KUBE_API_BURST", "40"}});
  EXPECT_EQ(set.crashLog.enrichWorkers, 2);
  EXPECT_EQ(set.crashLog.enrichTimeout, std::chrono::seconds(15));
  EXPECT_EQ(set.kube.apiQps, 20);
  EXPECT_EQ(set.kube.apiBurst, 40);
  for (const char* name : {"ENRICH_WORKERS", "KUBE_API_QPS", "KUBE_API_BURST"}) {
    try {
      load({{name, "0"}});
      ADD_FAILURE() << name << "=0 was taken";
    } catch (const ConfigException& e) {
      EXPECT_NE(e.message().find(std::string(name) + " must be at least 1"), std::string::npos) << e.message();
    }
  }
  EXPECT_THROW(load({{"ENRICH_TIMEOUT", "0s"}}), ConfigException);
  EXPECT_THROW(load({{"ENRICH_WORKERS", "many"}}), ConfigException);
}

TEST(SettingsTest, AwsSigningIsOffUnlessAskedOrTheOriginalsDeployEnvSaysSo) {
  EXPECT_FALSE(load({}).aws.sigv4);
  EXPECT_FALSE(load({{"DEPLOY_ENV", "local"}}).aws.sigv4);
  const Settings prod = load({{"DEPLOY_ENV", "production"}, {"AWS_DEFAULT_REGION", "eu-west-1"}});
  EXPECT_TRUE(prod.aws.sigv4);
  EXPECT_TRUE(prod.aws.sigv4FromDeployEnv);
  EXPECT_EQ(prod.aws.region, "eu-west-1");
  EXPECT_EQ(prod.aws.service, "es");
  const Settings explicitOn = load({{"ELASTICSEARCH_AWS_SIGV4", "true"},
                                    {"ELASTICSEARCH_AWS_SERVICE", "aoss"},
                                    {"AWS_REGION", "us-east-2"},
                                    {"AWS_DEFAULT_REGION", "eu-west-1"},
                                    {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                    {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                                    {"AWS_SESSION_TOKEN", "session"},
                                    {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/podmon"},
                                    {"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"},
                                    {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1"}});
  EXPECT_TRUE(explicitOn.aws.sigv4);
  EXPECT_FALSE(explicitOn.aws.sigv4FromDeployEnv);
  EXPECT_EQ(explicitOn.aws.service, "aoss");
  EXPECT_EQ(explicitOn.aws.region, "us-east-2");
  EXPECT_EQ(explicitOn.aws.accessKeyId, "AKIDEXAMPLE");
  EXPECT_EQ(explicitOn.aws.secretAccessKey, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(explicitOn.aws.sessionToken, "session");
  EXPECT_EQ(explicitOn.aws.roleArn, "arn:aws:iam::123456789012:role/podmon");
  EXPECT_EQ(explicitOn.aws.webIdentityTokenFile, "/var/run/token");
  EXPECT_EQ(explicitOn.aws.stsEndpoint, "http://127.0.0.1:1");
  EXPECT_THROW(load({{"ELASTICSEARCH_AWS_SERVICE", "s3"}}), ConfigException);
}

// The original addressed Elasticsearch as ELASTICSEARCH_URL + ":" + ELASTICSEARCH_PORT (its compose
// file: http://elasticsearch and 9200); podmon adds the port where the URL has none.
TEST(SettingsTest, ElasticsearchPortJoinsAUrlWithoutOne) {
  auto url = [](const std::string& u, const std::string& port) {
    return load({{"ELASTICSEARCH_URL", u}, {"ELASTICSEARCH_PORT", port}}).elasticsearch.url;
  };
  EXPECT_EQ(url("http://elasticsearch", "9200"), "http://elasticsearch:9200");
  EXPECT_EQ(url("https://es.example/prefix?x=1", "443"), "https://es.example:443/prefix?x=1");
  EXPECT_EQ(url("http://user:p%40ss@es", "9200"), "http://user:p%40ss@es:9200");
  EXPECT_EQ(url("http://[::1]", "9200"), "http://[::1]:9200");
  EXPECT_EQ(url("http://[::1]:9201/", "9200"), "http://[::1]:9201/");
  EXPECT_EQ(load({{"ELASTICSEARCH_URL", "http://es"}}).elasticsearch.url, "http://es");
  EXPECT_EQ(load({{"ELASTICSEARCH_PORT", "9200"}}).elasticsearch.url, "") << "no URL: indexing stays off";
  const Settings own = load({{"ELASTICSEARCH_URL", "http://es:9201"}, {"ELASTICSEARCH_PORT", "9200"}});
  EXPECT_EQ(own.elasticsearch.url, "http://es:9201");
  ASSERT_EQ(own.configWarnings.size(), 1u);
  EXPECT_EQ(own.configWarnings[0], "ELASTICSEARCH_PORT 9200 is not used: ELASTICSEARCH_URL names its own port");
  EXPECT_THROW(load({{"ELASTICSEARCH_URL", "http://es"}, {"ELASTICSEARCH_PORT", "70000"}}), ConfigException);
}

// CLUSTER_NAME set but empty is what the original's chart passes: the original's default.
TEST(SettingsTest, ClusterNameSetButEmptyIsTheOriginalsDefault) {
  EXPECT_EQ(load({{"CLUSTER_NAME", ""}}).clusterName, "local-cluster");
  EXPECT_NO_THROW(load({{"CLUSTER_NAME", ""}}).requireForDaemon());
  EXPECT_EQ(load({}).clusterName, "") << "unset: the kubeconfig context's cluster, decided later";
  EXPECT_EQ(load({}, {"--cluster-name="}).clusterName, "local-cluster");
  EXPECT_EQ(load({{"CLUSTER_NAME", "prod"}}).clusterName, "prod");
}

TEST(SettingsTest, TheOriginalsAlertSettingsAndTheOnesPodmonDoesNotNeed) {
  const Settings defaults = load({});
  EXPECT_TRUE(defaults.slack.includeLogs);
  EXPECT_EQ(defaults.slack.dashboardUrl, "");
  EXPECT_TRUE(defaults.originalOnlySettingsGiven.empty());
  const Settings s = load({{"ELASTICSEARCH_DASHBOARD", "http://127.0.0.1:5601/app/dashboards#/view/1"},
                           {"SLACK_INCLUDE_LOGS", "false"},
                           {"CHECK_INTERVAL", "15"},
                           {"ELASTICSEARCH_V7", "true"},
                           {"MAX_RETRIES", ""}});
  EXPECT_EQ(s.slack.dashboardUrl, "http://127.0.0.1:5601/app/dashboards#/view/1");
  EXPECT_FALSE(s.slack.includeLogs);
  EXPECT_EQ(s.originalOnlySettingsGiven, (std::vector<std::string>{"CHECK_INTERVAL", "ELASTICSEARCH_V7"}));
  EXPECT_TRUE(load({{"SQL_PASSWORD", ""}}).store.sqlPasswordGiven) << "\"\" says: no password";
}

}  // namespace
}  // namespace podmon

namespace podmon {
namespace {

TEST(SettingsRetentionTest, RetentionDefaultsKeepCrashesAndAWeekOfDeliveredOutboxRows) {
  const Settings s = load({});
  EXPECT_EQ(s.store.crashRetention, std::chrono::milliseconds(0));
  EXPECT_EQ(s.store.outboxRetention, std::chrono::hours(7 * 24));
  EXPECT_EQ(s.elasticsearch.ilmPolicy, "");
  const Settings set =
      load({{"CRASH_RETENTION", "90d"}, {"OUTBOX_RETENTION", "36h"}}, {"--elasticsearch-ilm-policy", "podmon-crashes"});
  EXPECT_EQ(set.store.crashRetention, std::chrono::hours(90 * 24));
  EXPECT_EQ(set.store.outboxRetention, std::chrono::hours(36));
  EXPECT_EQ(set.elasticsearch.ilmPolicy, "podmon-crashes");
}

TEST(SettingsRetentionTest, ABadRetentionStopsStartUpNamingTheSetting) {
  for (const char* name : {"CRASH_RETENTION", "OUTBOX_RETENTION"}) {
    try {
      load({{name, "ninety days"}});
      ADD_FAILURE() << name << " accepted 'ninety days'";
    } catch (const ConfigException& e) {
      EXPECT_NE(e.message().find(name), std::string::npos) << e.message();
      EXPECT_NE(e.message().find("is not a duration"), std::string::npos) << e.message();
    }
  }
}

}  // namespace
}  // namespace podmon
