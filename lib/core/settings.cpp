#include "core/settings.h"

#include <algorithm>

#include "core/byte_size.h"
#include "core/config.h"
#include "core/errors.h"

namespace podmon {
namespace {

int atLeastOne(const Config& config, const std::string& name) {
  const int value = config.getInt(name);
  if (value < 1) throw ConfigException(name + " must be at least 1 (got " + std::to_string(value) + ")");
  return value;
}

KubeSettings kubeFrom(const Config& config) {
  KubeSettings kube;
  kube.kubeconfig = config.get("KUBECONFIG");
  kube.context = config.get("KUBE_CONTEXT");
  kube.watchNamespaces = config.getList("WATCH_NAMESPACES");
  kube.ignoreNamespaces = config.getList("IGNORE_NAMESPACES");
  kube.labelSelector = config.get("LABEL_SELECTOR");
  kube.apiQps = atLeastOne(config, "KUBE_API_QPS");
  kube.apiBurst = atLeastOne(config, "KUBE_API_BURST");
  return kube;
}

StoreSettings storeFrom(const Config& config) {
  StoreSettings store;
  store.sqlHost = config.get("SQL_HOST");
  store.sqlPort = config.getInt("SQL_PORT");
  store.sqlUsername = config.get("SQL_USERNAME");
  store.sqlPassword = config.get("SQL_PASSWORD");
  store.sqlPasswordGiven = config.source("SQL_PASSWORD") != "default" || config.givenEmpty("SQL_PASSWORD");
  store.sqlDbname = config.get("SQL_DBNAME");
  store.sqlitePath = config.get("SQLITE_PATH");
  store.sqlitePathGiven = config.source("SQLITE_PATH") != "default";
  store.sqlTimeout = config.getDuration("SQL_TIMEOUT");
  store.sqlTls = config.get("SQL_TLS");
  store.sqlTlsCa = config.get("SQL_TLS_CA");
  store.crashRetention = config.getDuration("CRASH_RETENTION");
  store.outboxRetention = config.getDuration("OUTBOX_RETENTION");
  return store;
}

StatusSettings statusFrom(const Config& config) {
  StatusSettings status;
  status.serverPort = config.getInt("SERVER_PORT");
  status.apiToken = config.get("API_TOKEN");
  status.apiRateLimit = config.getInt("API_RATE_LIMIT");
  status.healthWindow = config.getDuration("HEALTH_WINDOW");
  status.bindAddress = config.get("STATUS_BIND_ADDRESS");
  status.uiOpenWithoutToken = config.get("UI_AUTH") == "none";
  return status;
}

// Where in `url` the port goes: the end of the host ("http://es" -> 9, "https://[::1]/x" -> 13),
// or npos when the URL names a port already.
std::size_t portPosition(const std::string& url) {
  const std::size_t start = url.find("://");
  if (start == std::string::npos) return std::string::npos;
  const std::size_t end = std::min(url.find_first_of("/?#", start + 3), url.size());
  const std::string authority = url.substr(start + 3, end - start - 3);
  const std::size_t at = authority.rfind('@');
  const std::string hostPort = at == std::string::npos ? authority : authority.substr(at + 1);
  const std::size_t bracket = hostPort.rfind(']');
  const std::size_t colon = hostPort.find(':', bracket == std::string::npos ? 0 : bracket);
  return colon == std::string::npos ? end : std::string::npos;
}

// The original addressed Elasticsearch as ELASTICSEARCH_URL + ":" + ELASTICSEARCH_PORT: the port
// joins a URL that has none; a URL with its own port keeps it (and says so).
std::string urlWithPort(const std::string& url, int port, std::vector<std::string>& warnings) {
  if (url.empty() || port == 0) return url;
  if (port > 65535)
    throw ConfigException("ELASTICSEARCH_PORT must be a port from 1 to 65535 (got " + std::to_string(port) + ")");
  const std::size_t at = portPosition(url);
  if (at == std::string::npos) {
    warnings.push_back("ELASTICSEARCH_PORT " + std::to_string(port) +
                       " is not used: ELASTICSEARCH_URL names its own port");
    return url;
  }
  return url.substr(0, at) + ":" + std::to_string(port) + url.substr(at);
}

ElasticsearchSettings elasticsearchFrom(const Config& config, std::vector<std::string>& warnings) {
  ElasticsearchSettings es;
  es.port = config.getInt("ELASTICSEARCH_PORT");
  es.url = urlWithPort(config.get("ELASTICSEARCH_URL"), es.port, warnings);
  es.ilmPolicy = config.get("ELASTICSEARCH_ILM_POLICY");
  es.indexFile = config.get("INDEX_FILE");
  es.index = config.get("ELASTICSEARCH_INDEX");
  es.username = config.get("ELASTICSEARCH_USERNAME");
  es.password = config.get("ELASTICSEARCH_PASSWORD");
  es.apiKey = config.get("ELASTICSEARCH_API_KEY");
  es.caFile = config.get("ELASTICSEARCH_CA_FILE");
  return es;
}

SlackSettings slackFrom(const Config& config) {
  SlackSettings slack;
  slack.token = config.get("SLACK_TOKEN");
  slack.webhookUrl = config.get("SLACK_WEBHOOK_URL");
  slack.channel = config.get("SLACK_CHANNEL");
  slack.notify = config.getBool("SLACK_NOTIFY");
  slack.apiUrl = config.get("SLACK_API_URL");
  slack.kibanaUrl = config.get("KIBANA_URL");
  slack.alertCooldown = config.getDuration("ALERT_COOLDOWN");
  slack.dashboardUrl = config.get("ELASTICSEARCH_DASHBOARD");
  slack.includeLogs = config.getBool("SLACK_INCLUDE_LOGS");
  return slack;
}

LeaderSettings leaderFrom(const Config& config) {
  LeaderSettings leader;
  leader.enabled = config.getBool("LEADER_ELECTION");
  leader.podName = config.get("POD_NAME");
  leader.podNamespace = config.get("POD_NAMESPACE");
  leader.leaseName = config.get("LEASE_NAME");
  return leader;
}

AwsSettings awsFrom(const Config& config) {
  AwsSettings aws;
  aws.deployEnv = config.get("DEPLOY_ENV");
  aws.sigv4FromDeployEnv = !aws.deployEnv.empty() && aws.deployEnv != "local";
  aws.sigv4 = config.getBool("ELASTICSEARCH_AWS_SIGV4") || aws.sigv4FromDeployEnv;
  aws.service = config.get("ELASTICSEARCH_AWS_SERVICE");
  aws.region = config.get("AWS_REGION");
  if (aws.region.empty()) aws.region = config.get("AWS_DEFAULT_REGION");
  aws.accessKeyId = config.get("AWS_ACCESS_KEY_ID");
  aws.secretAccessKey = config.get("AWS_SECRET_ACCESS_KEY");
  aws.sessionToken = config.get("AWS_SESSION_TOKEN");
  aws.roleArn = config.get("AWS_ROLE_ARN");
  aws.webIdentityTokenFile = config.get("AWS_WEB_IDENTITY_TOKEN_FILE");
  aws.roleSessionName = config.get("AWS_ROLE_SESSION_NAME");
  aws.stsEndpoint = config.get("AWS_ENDPOINT_URL_STS");
  aws.containerCredentialsUri = config.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  aws.containerAuthTokenFile = config.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  aws.ec2MetadataEndpoint = config.get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  aws.ec2MetadataDisabled = config.getBool("AWS_EC2_METADATA_DISABLED");
  return aws;
}

}  // namespace

Settings Settings::from(const Config& config) {
  Settings settings;
  settings.clusterName = config.get("CLUSTER_NAME");
  if (settings.clusterName.empty() && config.givenEmpty("CLUSTER_NAME")) settings.clusterName = kOriginalClusterName;
  settings.configWarnings = config.warnings();
  settings.kube = kubeFrom(config);
  settings.store = storeFrom(config);
  settings.crashLog.maxLength = config.getInt("MAX_CRASHLOG_LENGTH");
  settings.crashLog.tailLines = config.getInt("LOG_TAIL_LINES");
  settings.crashLog.enrichWorkers = atLeastOne(config, "ENRICH_WORKERS");
  settings.crashLog.enrichTimeout = config.getDuration("ENRICH_TIMEOUT");
  if (settings.crashLog.enrichTimeout.count() <= 0) throw ConfigException("ENRICH_TIMEOUT must be above 0");
  settings.log.level = config.get("LOG_LEVEL");
  settings.log.levelGiven = config.source("LOG_LEVEL") != "default";
  settings.log.format = config.get("LOG_FORMAT");
  settings.status = statusFrom(config);
  settings.elasticsearch = elasticsearchFrom(config, settings.configWarnings);
  settings.slack = slackFrom(config);
  settings.leader = leaderFrom(config);
  settings.redact.enabled = config.getBool("REDACT");
  settings.redact.patterns = config.getLines("REDACT_PATTERNS");
  settings.aws = awsFrom(config);
  settings.spool.dir = config.get("SPOOL_DIR");
  settings.spool.maxBytes = parseByteSize(config.get("SPOOL_MAX_BYTES"), "SPOOL_MAX_BYTES");
  for (const auto& spec : settingSpecs()) {
    if (spec.secret && config.source(spec.name) == "flag") settings.secretsGivenAsFlags.emplace_back(spec.name);
    if (spec.originalOnly && config.source(spec.name) != "default")
      settings.originalOnlySettingsGiven.emplace_back(spec.name);
  }
  return settings;
}

void Settings::requireForDaemon() const {
  if (clusterName.empty()) {
    throw ConfigException(
        "CLUSTER_NAME is required (it defaults to the kubeconfig context's cluster, or in-cluster to "
        "local-cluster, but neither applies here): set the environment variable, --cluster-name or CLUSTER_NAME in "
        "--config");
  }
}

}  // namespace podmon
