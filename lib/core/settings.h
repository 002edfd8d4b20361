#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace podmon {

class Config;

// podmon's settings as a type. Config (core/config.h) parses the names (flag > environment >
// file) and checks each value; Settings::from() turns the result into fields once, so the rest
// of the code reads `settings.slack.channel` instead of repeating "SLACK_CHANNEL" (a typo in a
// string key compiles; a typo in a field name does not). Run-time defaults (CLUSTER_NAME from the
// kubeconfig context, the demo's embedded set-up) are plain assignments to these fields.

// Where the Kubernetes API is and which pods to watch.
struct KubeSettings {
  std::string kubeconfig;                     // KUBECONFIG ("" = in-cluster, then ~/.kube/config)
  std::string context;                        // KUBE_CONTEXT ("" = current-context)
  std::vector<std::string> watchNamespaces;   // WATCH_NAMESPACES (empty = all)
  std::vector<std::string> ignoreNamespaces;  // IGNORE_NAMESPACES
  std::string labelSelector;                  // LABEL_SELECTOR
  int apiQps = 50;                            // KUBE_API_QPS (requests per second, >= 1)
  int apiBurst = 100;                         // KUBE_API_BURST (>= 1)
};

// Which store, and how to reach it: MySQL when sqlHost is set, else SQLite at sqlitePath.
struct StoreSettings {
  std::string sqlHost;                     // SQL_HOST
  int sqlPort = 3306;                      // SQL_PORT
  std::string sqlUsername;                 // SQL_USERNAME
  std::string sqlPassword;                 // SQL_PASSWORD (secret; SQL_PASSWORD_FILE's content when only that is set)
  bool sqlPasswordGiven = false;           // SQL_PASSWORD or SQL_PASSWORD_FILE was set anywhere (even to "")
  std::string sqlDbname;                   // SQL_DBNAME
  std::string sqlitePath;                  // SQLITE_PATH
  bool sqlitePathGiven = false;            // SQLITE_PATH was set (not its default)
  std::chrono::milliseconds sqlTimeout{};  // SQL_TIMEOUT (connect, read and write, per connection)
  std::string sqlTls;                      // SQL_TLS (disabled|preferred|required|verify-ca|verify-identity)
  std::string sqlTlsCa;                    // SQL_TLS_CA (CA certificate file)
  std::chrono::milliseconds crashRetention{};   // CRASH_RETENTION (0 = keep every crash)
  std::chrono::milliseconds outboxRetention{};  // OUTBOX_RETENTION (done outbox rows; 0 = keep them)
};

// What is kept of a crashed container's previous log.
struct CrashLogSettings {
  int maxLength = 0;                               // MAX_CRASHLOG_LENGTH (bytes, the tail)
  int tailLines = 0;                               // LOG_TAIL_LINES
  int enrichWorkers = 8;                           // ENRICH_WORKERS (>= 1)
  std::chrono::milliseconds enrichTimeout{60000};  // ENRICH_TIMEOUT (> 0)
};

// podmon's own log.
struct LogSettings {
  std::string level;        // LOG_LEVEL
  bool levelGiven = false;  // LOG_LEVEL was set (not its default)
  std::string format;       // LOG_FORMAT (text|json)
};

// The status server and its API.
struct StatusSettings {
  int serverPort = 0;                        // SERVER_PORT
  std::string apiToken;                      // API_TOKEN (secret, or API_TOKEN_FILE; "" = API off)
  int apiRateLimit = 0;                      // API_RATE_LIMIT (per hour per client)
  std::chrono::milliseconds healthWindow{};  // HEALTH_WINDOW
  std::string bindAddress;                   // STATUS_BIND_ADDRESS
  bool uiOpenWithoutToken = false;           // UI_AUTH=none (with no API_TOKEN: the web view needs no login)
};

// Indexing: Elasticsearch, or an NDJSON file.
struct ElasticsearchSettings {
  std::string url;        // ELASTICSEARCH_URL ("" = not Elasticsearch)
  std::string indexFile;  // INDEX_FILE
  std::string index;      // ELASTICSEARCH_INDEX (daily index prefix)
  std::string username;   // ELASTICSEARCH_USERNAME
  std::string password;   // ELASTICSEARCH_PASSWORD (secret, or ..._FILE)
  std::string apiKey;     // ELASTICSEARCH_API_KEY (secret, or ..._FILE)
  std::string caFile;     // ELASTICSEARCH_CA_FILE
  int port = 0;           // ELASTICSEARCH_PORT (0 = not set; already joined into url when the URL had no port)
  std::string ilmPolicy;  // ELASTICSEARCH_ILM_POLICY (lifecycle policy named in the index template; "" = none)
};

// Alerts: Slack, or the console.
struct SlackSettings {
  std::string token;                          // SLACK_TOKEN (secret, or SLACK_TOKEN_FILE)
  std::string webhookUrl;                     // SLACK_WEBHOOK_URL (secret, or ..._FILE)
  std::string channel;                        // SLACK_CHANNEL (the default channel)
  bool notify = true;                         // SLACK_NOTIFY
  std::string apiUrl;                         // SLACK_API_URL
  std::string kibanaUrl;                      // KIBANA_URL
  std::chrono::milliseconds alertCooldown{};  // ALERT_COOLDOWN (0 = off)
  std::string dashboardUrl;                   // ELASTICSEARCH_DASHBOARD (the alerts' link when kibanaUrl is "")
  bool includeLogs = true;                    // SLACK_INCLUDE_LOGS (false: no log lines in alerts)
};

// One active replica through a Lease.
struct LeaderSettings {
  bool enabled = false;      // LEADER_ELECTION
  std::string podName;       // POD_NAME ("" = the host name)
  std::string podNamespace;  // POD_NAMESPACE (where the Lease lives)
  std::string leaseName;     // LEASE_NAME
};

// Masking secrets in crash logs.
struct RedactSettings {
  bool enabled = true;                // REDACT
  std::vector<std::string> patterns;  // REDACT_PATTERNS, one per non-blank line
};

// Signing Elasticsearch requests with AWS Signature Version 4, and where the credentials come
// from: the standard AWS variables, read like the AWS SDKs read them.
struct AwsSettings {
  bool sigv4 = false;                   // ELASTICSEARCH_AWS_SIGV4, or DEPLOY_ENV set to anything but "local"
  bool sigv4FromDeployEnv = false;      // sigv4 is on because of DEPLOY_ENV (the original's switch)
  std::string deployEnv;                // DEPLOY_ENV
  std::string service;                  // ELASTICSEARCH_AWS_SERVICE (es|aoss)
  std::string region;                   // AWS_REGION, else AWS_DEFAULT_REGION
  std::string accessKeyId;              // AWS_ACCESS_KEY_ID
  std::string secretAccessKey;          // AWS_SECRET_ACCESS_KEY (secret, or ..._FILE)
  std::string sessionToken;             // AWS_SESSION_TOKEN (secret, or ..._FILE)
  std::string roleArn;                  // AWS_ROLE_ARN
  std::string webIdentityTokenFile;     // AWS_WEB_IDENTITY_TOKEN_FILE
  std::string roleSessionName;          // AWS_ROLE_SESSION_NAME
  std::string stsEndpoint;              // AWS_ENDPOINT_URL_STS ("" = the regional endpoint)
  std::string containerCredentialsUri;  // AWS_CONTAINER_CREDENTIALS_FULL_URI
  std::string containerAuthTokenFile;   // AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
  std::string ec2MetadataEndpoint;      // AWS_EC2_METADATA_SERVICE_ENDPOINT ("" = http://169.254.169.254)
  bool ec2MetadataDisabled = false;     // AWS_EC2_METADATA_DISABLED
};

// SPOOL_DIR's local spool: crashes and Slack outcomes the store cannot take yet, kept on disk.
struct SpoolSettings {
  std::string dir;                        // SPOOL_DIR ("" = off: they wait in memory)
  std::uint64_t maxBytes = 256ULL << 20;  // SPOOL_MAX_BYTES
};

struct Settings {
  // The original's default cluster name: CLUSTER_NAME set but empty, or not set in-cluster.
  static constexpr const char* kOriginalClusterName = "local-cluster";

  std::string clusterName;  // CLUSTER_NAME ("" until the kubeconfig context's cluster fills it in)
  KubeSettings kube;
  StoreSettings store;
  CrashLogSettings crashLog;
  LogSettings log;
  StatusSettings status;
  ElasticsearchSettings elasticsearch;
  SlackSettings slack;
  LeaderSettings leader;
  RedactSettings redact;
  AwsSettings aws;
  SpoolSettings spool;
  // Secret settings given as command-line flags (names only): readable by anyone on the host in
  // /proc/PID/cmdline, so the daemon warns about each at start-up.
  std::vector<std::string> secretsGivenAsFlags;
  // Settings of the original kubernetes-pod-monitor that podmon does not need but were given
  // (names only; the settings table says why each is not needed): one start-up warning.
  std::vector<std::string> originalOnlySettingsGiven;
  // Warnings from reading the settings (unknown keys in the original's application.yml, an
  // ELASTICSEARCH_PORT the URL overrides), logged at start-up.
  std::vector<std::string> configWarnings;

  // The one place that names the settings' keys.
  static Settings from(const Config& config);

  // Throws ConfigException when a setting the daemon needs is missing (CLUSTER_NAME).
  void requireForDaemon() const;
};

}  // namespace podmon
