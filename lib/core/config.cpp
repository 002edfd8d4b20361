#include "core/config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/errors.h"
#include "core/flag_parser.h"
#include "core/settings.h"
#include "core/settings_file.h"

namespace podmon {
namespace {

std::string flagName(const std::string& name) {
  std::string f = "--";
  for (char c : name) f += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return f;
}

const SettingSpec* findSpec(const std::string& name) {
  for (const auto& s : settingSpecs()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

// How a source() reads in an error message.
std::string originOf(const std::string& source) {
  if (source == "flag") return "flag";
  if (source == "environment") return "environment variable";
  if (source == "file") return "--config file";
  if (source == "default" || source.find('/') == std::string::npos) return source;
  return "in " + source;  // the original's config/application.yml
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::optional<bool> parseBool(const std::string& v) {
  std::string l;
  for (char c : v) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l == "true" || l == "1" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "0" || l == "no" || l == "off") return false;
  return std::nullopt;
}

void validate(const SettingSpec& spec, const std::string& value, const std::string& origin) {
  auto bad = [&](const std::string& why) {
    std::string shown = spec.secret ? std::string("(hidden)") : "'" + value + "'";
    throw ConfigException(std::string(spec.name) + " (" + origin + "): " + shown + " " + why);
  };
  switch (spec.type) {
    case SettingType::kInt: {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        bad("is not a non-negative integer");
      // getInt() returns an int: anything larger is refused here, not thrown later as std::out_of_range
      // (found by fuzz_config: "SQL_PORT: 99997434606065" ended podmon with std::terminate).
      if (value.size() > 10 || std::stoll(value) > 2147483647LL) bad("is too large (at most 2147483647)");
      break;
    }
    case SettingType::kBool:
      if (!parseBool(value)) bad("is not a boolean (true or false)");
      break;
    case SettingType::kDuration: {
      try {
        parseDuration(value, spec.name);
      } catch (const ConfigException&) {
        bad("is not a duration (examples: 10m, 30s, 1h, 0)");
      }
      break;
    }
    case SettingType::kEnum: {
      std::string choices = spec.choices;
      std::stringstream ss(choices);
      std::string c;
      bool ok = false;
      while (std::getline(ss, c, '|')) ok = ok || c == value;
      if (!ok) bad("is not one of " + choices);
      break;
    }
    case SettingType::kUrl:
      if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
        bad("is not an http:// or https:// URL");
      }
      break;
    case SettingType::kString:
    case SettingType::kList:
    case SettingType::kLines: break;
  }
}

void throwConfigException(const std::string& message) { throw ConfigException(message); }

// What argv says: settings given as flags, the --config file, the command words.
struct CommandLineValues {
  std::map<std::string, std::string> flags;  // setting name -> value
  std::string configFile;
  std::vector<std::string> positional;
  bool help = false;
  bool version = false;
};

CommandLineValues parseCommandLine(const std::vector<std::string>& args, FlagParser& parser) {
  CommandLineValues values;
  const auto& specs = settingSpecs();
  std::vector<std::optional<std::string>> given(specs.size());
  std::optional<std::string> configFile;
  parser.addOption("--config", configFile);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::string flag = flagName(specs[i].name);
    parser.addOption(flag == "--kube-context" ? "--kube-context,--context" : flag, given[i]);
  }
  parser.addFlag("-h,--help", values.help);
  parser.addFlag("--version", values.version);
  for (const auto& arg : parser.parse(args)) {
    if (arg.rfind("--", 0) == 0 && arg != "--") {
      throw ConfigException("unknown flag " + arg.substr(0, arg.find('=')) + " (see --help)");
    }
    values.positional.push_back(arg);
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (given[i]) values.flags[specs[i].name] = *given[i];
  }
  values.configFile = configFile.value_or("");
  return values;
}

// One source of values, lowest first: the original's application.yml, --config, the environment,
// the flags. `origin` is how an error names it ("in /etc/podmon.yaml").
struct Layer {
  std::map<std::string, std::string> values;
  std::string source;
  std::string origin;
};

// The --config file and, when present, the original's application.yml, as the two lowest layers.
std::vector<Layer> fileLayers(const std::string& configFile, const Config::FileReader& readFile,
                              const Config::FileExists& exists, std::vector<std::string>& warnings) {
  std::vector<Layer> layers;
  for (const auto& path : exists ? Config::originalConfigFiles() : std::vector<std::string>{}) {
    if (!exists(path)) continue;
    SettingsFileValues file = parseSettingsFile(readFile(path), path, UnknownKeys::kWarn);
    warnings.insert(warnings.end(), file.warnings.begin(), file.warnings.end());
    layers.push_back({std::move(file.values), path, "in " + path});
    break;  // viper reads the first it finds
  }
  if (configFile.empty()) return layers;
  std::string text;
  try {
    text = readFile(configFile);
  } catch (const ConfigException& e) {
    throw ConfigException("--config: " + e.message());
  }
  SettingsFileValues file = parseSettingsFile(text, "--config " + configFile, UnknownKeys::kRefuseFlat);
  warnings.insert(warnings.end(), file.warnings.begin(), file.warnings.end());
  layers.push_back({std::move(file.values), "file", "in " + configFile});
  return layers;
}

// Enumerations match in any case (the original's LOG_LEVEL is INFO or DEBUG); LOG_LEVEL also takes
// logrus's names: warning, and fatal and panic (errors only).
std::string normalized(const SettingSpec& spec, const std::string& value) {
  if (spec.type != SettingType::kEnum) return value;
  std::string lower = value;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::string(spec.name) == "LOG_LEVEL") {
    if (lower == "warning") return "warn";
    if (lower == "fatal" || lower == "panic") return "error";
  }
  return lower;
}

}  // namespace

namespace {

// Every setting, one row per line so the table reads as a table (a constant: no start-up order).
// clang-format off
constexpr SettingSpec kSettingSpecs[] = {
      {"CLUSTER_NAME", "", SettingType::kString, false, "name of this cluster in records and alerts (default: the kubeconfig context's cluster; in-cluster, or set but empty, local-cluster as in the original)", ""},
      {"KUBECONFIG", "", SettingType::kString, false, "kubeconfig file(s), ':'-separated (default: in-cluster, then ~/.kube/config)", ""},
      {"KUBE_CONTEXT", "", SettingType::kString, false, "kubeconfig context to use (default: current-context)", ""},
      {"WATCH_NAMESPACES", "", SettingType::kList, false, "comma-separated namespaces to watch (empty = all)", ""},
      {"IGNORE_NAMESPACES", "", SettingType::kList, false, "comma-separated namespaces to ignore", ""},
      {"LABEL_SELECTOR", "", SettingType::kString, false, "only watch pods matching this label selector", ""},
      {"KUBE_API_QPS", "50", SettingType::kInt, false, "Kubernetes API requests per second, sustained (the kubelet's default; the watch stream itself is not counted)", ""},
      {"KUBE_API_BURST", "100", SettingType::kInt, false, "Kubernetes API requests allowed at once above KUBE_API_QPS (the kubelet's default)", ""},
      {"SQL_HOST", "", SettingType::kString, false, "MySQL host (empty = the embedded SQLite store at SQLITE_PATH)", ""},
      {"SQL_PORT", "3306", SettingType::kInt, false, "MySQL port", ""},
      {"SQL_USERNAME", "root", SettingType::kString, false, "MySQL user", ""},
      {"SQL_PASSWORD", "", SettingType::kString, true, "MySQL password", ""},
      {"SQL_PASSWORD_FILE", "", SettingType::kString, false, "file holding the MySQL password (instead of SQL_PASSWORD)", ""},
      {"SQL_DBNAME", "kubernetes_pod_monitor", SettingType::kString, false, "MySQL database", ""},
      {"SQL_TIMEOUT", "10s", SettingType::kDuration, false, "MySQL connect, read and write timeout of every connection (a frozen server fails within it)", ""},
      {"SQL_TLS", "disabled", SettingType::kEnum, false, "TLS to MySQL (verify-ca and verify-identity check the server certificate against SQL_TLS_CA)", "disabled|preferred|required|verify-ca|verify-identity"},
      {"SQL_TLS_CA", "", SettingType::kString, false, "CA certificate file for SQL_TLS verify-ca or verify-identity", ""},
      {"SQLITE_PATH", "./podmon.db", SettingType::kString, false, "SQLite file of the embedded store, used when SQL_HOST is not set", ""},
      {"CRASH_RETENTION", "0", SettingType::kDuration, false, "delete crash rows (with their outbox rows, labels and fingerprint pods) older than this, e.g. 90d (0 = keep everything)", ""},
      {"OUTBOX_RETENTION", "7d", SettingType::kDuration, false, "delete delivered outbox rows older than this (0 = keep them)", ""},
      {"MAX_CRASHLOG_LENGTH", "1000000", SettingType::kInt, false, "bytes of previous log kept per crash (the tail)", ""},
      {"LOG_TAIL_LINES", "500", SettingType::kInt, false, "lines of previous log fetched per crash", ""},
      {"ENRICH_WORKERS", "8", SettingType::kInt, false, "crashes enriched (log, owner, events) at once; one pod's crashes stay in order", ""},
      {"ENRICH_TIMEOUT", "60s", SettingType::kDuration, false, "deadline to enrich one crash; after it the crash is stored with what was fetched", ""},
      {"LOG_LEVEL", "info", SettingType::kEnum, false, "log level", "trace|debug|info|warn|error"},
      {"LOG_FORMAT", "text", SettingType::kEnum, false, "log format", "text|json"},
      {"SERVER_PORT", "8080", SettingType::kInt, false, "port of the status server (/healthz, /readyz, /metrics)", ""},
      {"ELASTICSEARCH_URL", "", SettingType::kUrl, false, "Elasticsearch URL (empty = indexing off)", ""},
      {"INDEX_FILE", "", SettingType::kString, false, "NDJSON file that gets each crash document when ELASTICSEARCH_URL is not set (empty = indexing off)", ""},
      {"ELASTICSEARCH_INDEX", "k8s-crash-monitor-", SettingType::kString, false, "daily index prefix", ""},
      {"ELASTICSEARCH_USERNAME", "", SettingType::kString, false, "Elasticsearch basic-auth user", ""},
      {"ELASTICSEARCH_PASSWORD", "", SettingType::kString, true, "Elasticsearch basic-auth password", ""},
      {"ELASTICSEARCH_PASSWORD_FILE", "", SettingType::kString, false, "file holding the Elasticsearch password (instead of ELASTICSEARCH_PASSWORD)", ""},
      {"ELASTICSEARCH_API_KEY", "", SettingType::kString, true, "Elasticsearch API key (base64 id:key)", ""},
      {"ELASTICSEARCH_API_KEY_FILE", "", SettingType::kString, false, "file holding the Elasticsearch API key (instead of ELASTICSEARCH_API_KEY)", ""},
      {"ELASTICSEARCH_CA_FILE", "", SettingType::kString, false, "CA certificate file for Elasticsearch TLS", ""},
      {"ELASTICSEARCH_PORT", "", SettingType::kInt, false, "port added to ELASTICSEARCH_URL when the URL has none (the original's setting)", ""},
      {"ELASTICSEARCH_DASHBOARD", "", SettingType::kUrl, false, "dashboard linked from every alert when KIBANA_URL is not set (the original's setting)", ""},
      {"ELASTICSEARCH_ILM_POLICY", "", SettingType::kString, false, "index lifecycle policy named in the index template (Elasticsearch ILM, OpenSearch ISM; see docs/retention.md)", ""},
      {"SLACK_TOKEN", "", SettingType::kString, true, "Slack bot token (chat.postMessage)", ""},
      {"SLACK_TOKEN_FILE", "", SettingType::kString, false, "file holding the Slack bot token (instead of SLACK_TOKEN)", ""},
      {"SLACK_WEBHOOK_URL", "", SettingType::kUrl, true, "Slack incoming webhook URL (instead of a token)", ""},
      {"SLACK_WEBHOOK_URL_FILE", "", SettingType::kString, false, "file holding the Slack incoming webhook URL (instead of SLACK_WEBHOOK_URL)", ""},
      {"SLACK_CHANNEL", "pod-crash-alerts", SettingType::kString, false, "default Slack channel", ""},
      {"SLACK_NOTIFY", "true", SettingType::kBool, false, "send Slack alerts", ""},
      {"SLACK_API_URL", "https://slack.com/api", SettingType::kUrl, false, "Slack Web API base URL", ""},
      {"KIBANA_URL", "", SettingType::kUrl, false, "Kibana URL for links in alerts", ""},
      {"ALERT_COOLDOWN", "10m", SettingType::kDuration, false, "fold repeated crashes of one container into one alert (0 = off)", ""},
      {"SLACK_INCLUDE_LOGS", "true", SettingType::kBool, false, "put the crashed container's last log lines in alerts (false: only the crash's details and links)", ""},
      {"LEADER_ELECTION", "false", SettingType::kBool, false, "elect one active replica through a Lease", ""},
      {"POD_NAME", "", SettingType::kString, false, "this pod's name (leader identity)", ""},
      {"POD_NAMESPACE", "", SettingType::kString, false, "this pod's namespace (where the Lease lives)", ""},
      {"LEASE_NAME", "kubernetes-pod-monitor", SettingType::kString, false, "name of the leader election Lease", ""},
      {"API_TOKEN", "", SettingType::kString, true, "token for /api/v1/ (Bearer, Basic or ?token=); empty = API off", ""},
      {"API_TOKEN_FILE", "", SettingType::kString, false, "file holding the API token (instead of API_TOKEN)", ""},
      {"API_RATE_LIMIT", "3600", SettingType::kInt, false, "API requests per hour per client", ""},
      {"HEALTH_WINDOW", "10m", SettingType::kDuration, false, "a workload with a crash this recent is unhealthy", ""},
      {"STATUS_BIND_ADDRESS", "0.0.0.0", SettingType::kString, false, "address the status server listens on (0.0.0.0 = all IPv4, :: = all)", ""},
      {"UI_AUTH", "token", SettingType::kEnum, false, "web view /ui/ login: token (log in with API_TOKEN; no token = view off) or none (no API_TOKEN: view and API reads open, for local use)", "token|none"},
      {"REDACT", "true", SettingType::kBool, false, "mask secrets (tokens, passwords, keys) in crash logs and messages before they are stored or sent", ""},
      {"REDACT_PATTERNS", "", SettingType::kLines, false, "extra redaction regular expressions (PCRE), one per line; a capture group masks only its first group", ""},
      {"ELASTICSEARCH_AWS_SIGV4", "false", SettingType::kBool, false, "sign Elasticsearch requests with AWS Signature Version 4 (Amazon OpenSearch Service, IAM)", ""},
      {"ELASTICSEARCH_AWS_SERVICE", "es", SettingType::kEnum, false, "AWS service name signed for: es (OpenSearch Service, Elasticsearch on AWS) or aoss (OpenSearch Serverless)", "es|aoss"},
      {"DEPLOY_ENV", "", SettingType::kString, false, "the original tool's deployment environment: set to anything but local, it turns on ELASTICSEARCH_AWS_SIGV4", ""},
      {"AWS_REGION", "", SettingType::kString, false, "AWS region of the Elasticsearch/OpenSearch domain and of STS (default: AWS_DEFAULT_REGION)", ""},
      {"AWS_DEFAULT_REGION", "", SettingType::kString, false, "AWS region when AWS_REGION is not set", ""},
      {"AWS_ACCESS_KEY_ID", "", SettingType::kString, false, "AWS access key id (static or temporary credentials)", ""},
      {"AWS_SECRET_ACCESS_KEY", "", SettingType::kString, true, "AWS secret access key", ""},
      {"AWS_SECRET_ACCESS_KEY_FILE", "", SettingType::kString, false, "file holding the AWS secret access key (instead of AWS_SECRET_ACCESS_KEY)", ""},
      {"AWS_SESSION_TOKEN", "", SettingType::kString, true, "AWS session token of temporary credentials", ""},
      {"AWS_SESSION_TOKEN_FILE", "", SettingType::kString, false, "file holding the AWS session token (instead of AWS_SESSION_TOKEN)", ""},
      {"AWS_ROLE_ARN", "", SettingType::kString, false, "role assumed with a web identity token (IRSA)", ""},
      {"AWS_WEB_IDENTITY_TOKEN_FILE", "", SettingType::kString, false, "web identity token file (IRSA; read again at every refresh)", ""},
      {"AWS_ROLE_SESSION_NAME", "", SettingType::kString, false, "session name for AssumeRoleWithWebIdentity (default: podmon-<time>)", ""},
      {"AWS_ENDPOINT_URL_STS", "", SettingType::kUrl, false, "STS endpoint (default: https://sts.<AWS_REGION>.amazonaws.com)", ""},
      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "", SettingType::kUrl, false, "container credentials endpoint (EKS Pod Identity)", ""},
      {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "", SettingType::kString, false, "file holding the container credentials authorization token (read again at every refresh)", ""},
      {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "", SettingType::kUrl, false, "EC2 instance metadata endpoint (IMDSv2; default http://169.254.169.254)", ""},
      {"AWS_EC2_METADATA_DISABLED", "false", SettingType::kBool, false, "never ask the EC2 instance metadata service for credentials", ""},
      {"SPOOL_DIR", "", SettingType::kString, false, "folder of the local spool: crashes and Slack outcomes the store cannot take yet are kept there on disk until it can (empty = in memory, lost if podmon is killed)", ""},
      {"SPOOL_MAX_BYTES", "256Mi", SettingType::kString, false, "size limit of the crash spool (bytes, or with a unit: 256Mi, 1Gi); when reached, logs are dropped first, then the watch waits", ""},
      {"CHECK_INTERVAL", "", SettingType::kString, false, "the original's polling interval: not needed, podmon watches pods and sees each change as it happens", "", true},
      {"MAX_RETRIES", "", SettingType::kString, false, "the original's re-checks of a crashed container: not needed, each crash is recorded once and its delivery retried from the outbox", "", true},
      {"MAX_PARALLELISM", "", SettingType::kString, false, "the original's pods checked at once per poll: not needed, podmon streams pod changes (ENRICH_WORKERS bounds the work per crash)", "", true},
      {"ELASTICSEARCH_SCHEME", "", SettingType::kString, false, "the original's Elasticsearch scheme: not needed, the scheme is ELASTICSEARCH_URL's (http:// or https://)", "", true},
      {"ELASTICSEARCH_BUFFER_SIZE", "", SettingType::kString, false, "the original's in-memory document buffer: not needed, documents wait in the durable outbox", "", true},
      {"ELASTICSEARCH_BATCH_SIZE", "", SettingType::kString, false, "the original's documents per bulk request: not needed, the outbox sends what is waiting in each _bulk request", "", true},
      {"ELASTICSEARCH_FLUSH_SECONDS", "", SettingType::kString, false, "the original's flush interval: not needed, documents are sent as soon as they are stored", "", true},
      {"ELASTICSEARCH_V7", "", SettingType::kString, false, "the original's switch for Elasticsearch 7: not needed, podmon sends typeless requests (Elasticsearch 7 and later, OpenSearch)", "", true},
      {"ELASTICSEARCH_DOC_TYPE", "", SettingType::kString, false, "the original's document type before Elasticsearch 7: not needed, podmon sends typeless requests", "", true},
      {"SQL_CONNECTION_LIFETIME", "", SettingType::kString, false, "the original's MySQL connection lifetime: not needed, podmon closes idle connections and reconnects lost ones itself (SQL_TIMEOUT bounds each call)", "", true},
      {"SQL_TABLE_NAME", "", SettingType::kString, false, "the original's restart-count table name: not needed, podmon's tables have fixed names (the original's default k8s_crash_monitor is kept)", "", true},
};
// clang-format on

}  // namespace

const std::vector<SettingSpec>& settingSpecs() {
  static const std::vector<SettingSpec> specs(std::begin(kSettingSpecs), std::end(kSettingSpecs));
  return specs;
}

std::chrono::milliseconds parseDuration(const std::string& text, const std::string& settingName) {
  std::string t = trim(text);
  auto fail = [&]() -> std::chrono::milliseconds {
    throw ConfigException(settingName + ": '" + text + "' is not a duration (examples: 10m, 30s, 1h, 0)");
  };
  if (t.empty()) return fail();
  if (t.find_first_not_of("0123456789") == std::string::npos) {
    if (t.size() > 9) return fail();
    return std::chrono::seconds(std::stoll(t));
  }
  long long total = 0;
  std::size_t i = 0;
  while (i < t.size()) {
    std::size_t start = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == start || i - start > 9) return fail();
    long long n = std::stoll(t.substr(start, i - start));
    std::size_t u = i;
    while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) ++i;
    std::string unit = t.substr(u, i - u);
    if (unit == "ms") total += n;
    else if (unit == "s") total += n * 1000;
    else if (unit == "m") total += n * 60'000;
    else if (unit == "h") total += n * 3'600'000;
    else if (unit == "d") total += n * 86'400'000;
    else return fail();
  }
  return std::chrono::milliseconds(total);
}

std::optional<std::string> Config::processEnvironment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

std::string Config::readWholeFile(const std::string& path) {
  std::error_code ignored;
  // A directory opens like a file and reads as nothing.
  if (std::filesystem::is_directory(path, ignored))
    throw ConfigException("cannot read " + path + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigException("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Config Config::load(const std::vector<std::string>& args) {
  FlagParser parser(throwConfigException);
  return load(args, parser);
}

Config Config::load(const std::vector<std::string>& args, FlagParser& parser) {
  return load(args, processEnvironment, readWholeFile, parser, fileExists);
}

bool Config::fileExists(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::exists(path, ignored);
}

const std::vector<std::string>& Config::originalConfigFiles() {
  static const std::vector<std::string> files = {"config/application.yml", "config/application.yaml"};
  return files;
}

Config Config::load(const std::vector<std::string>& args, const EnvLookup& env, const FileReader& readFile) {
  FlagParser parser(throwConfigException);
  return load(args, env, readFile, parser);
}

Config Config::load(const std::vector<std::string>& args, const EnvLookup& env, const FileReader& readFile,
                    FlagParser& parser) {
  return load(args, env, readFile, parser, nullptr);
}

Config Config::load(const std::vector<std::string>& args, const EnvLookup& env, const FileReader& readFile,
                    FlagParser& parser, const FileExists& exists) {
  Config config;
  const CommandLineValues commandLine = parseCommandLine(args, parser);
  config.positional_ = commandLine.positional;
  config.help_ = commandLine.help;
  config.version_ = commandLine.version;
  std::vector<Layer> layers = fileLayers(commandLine.configFile, readFile, exists, config.warnings_);
  Layer environment{{}, "environment", "environment variable"};
  for (const auto& spec : settingSpecs()) {
    if (auto e = env(spec.name)) environment.values[spec.name] = *e;
  }
  layers.push_back(std::move(environment));
  layers.push_back({commandLine.flags, "flag", "flag"});
  for (const auto& spec : settingSpecs()) {
    std::string value = spec.defaultValue;
    std::string source = "default";
    std::string origin = "default";
    for (const auto& layer : layers) {
      auto given = layer.values.find(spec.name);
      if (given == layer.values.end()) continue;
      if (given->second.empty()) {
        config.givenEmpty_.insert(spec.name);  // "" counts as unset, as with the original's viper
        continue;
      }
      value = normalized(spec, given->second);
      source = layer.source;
      origin = layer.source == "flag" ? "flag " + flagName(spec.name) : layer.origin;
    }
    if (source != "default") validate(spec, value, origin);
    config.values_[spec.name] = value;
    config.sources_[spec.name] = source;
  }
  for (const auto& spec : settingSpecs()) {
    if (spec.secret) config.readSecretFile(spec, readFile);
  }
  return config;
}

void Config::readSecretFile(const SettingSpec& spec, const FileReader& readFile) {
  const std::string fileSetting = std::string(spec.name) + "_FILE";
  if (!findSpec(fileSetting)) return;
  const std::string path = values_[fileSetting];
  if (path.empty()) return;
  const std::string origin = fileSetting + " (" + originOf(sources_[fileSetting]) + ")";
  if (!values_[spec.name].empty()) {
    throw ConfigException(std::string(spec.name) + " (" + originOf(sources_[spec.name]) + ") and " + origin +
                          " are both set: give the secret one way");
  }
  std::string value;
  try {
    value = readFile(path);
  } catch (const ConfigException& e) {
    throw ConfigException(origin + ": " + e.message());
  }
  // A file written by `echo` or a text editor ends with a newline that is no part of the secret.
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  if (value.empty()) throw ConfigException(origin + ": " + path + " is empty");
  validate(spec, value, "read from " + fileSetting);
  values_[spec.name] = value;
  sources_[spec.name] = fileSetting;
}

std::string Config::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw ConfigException("unknown setting " + name);
  return it->second;
}

int Config::getInt(const std::string& name) const {
  std::string v = get(name);
  return v.empty() ? 0 : std::stoi(v);
}

bool Config::getBool(const std::string& name) const { return parseBool(get(name)).value_or(false); }

std::chrono::milliseconds Config::getDuration(const std::string& name) const { return parseDuration(get(name), name); }

std::vector<std::string> Config::getList(const std::string& name) const {
  std::vector<std::string> out;
  std::stringstream ss(get(name));
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<std::string> Config::getLines(const std::string& name) const {
  std::vector<std::string> out;
  std::stringstream ss(get(name));
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!trim(line).empty()) out.push_back(line);
  }
  return out;
}

bool Config::isSet(const std::string& name) const { return !get(name).empty(); }

std::string Config::source(const std::string& name) const {
  auto it = sources_.find(name);
  return it == sources_.end() ? "default" : it->second;
}

Config Config::with(const std::string& name, const std::string& value, const std::string& source) const {
  const auto& specs = settingSpecs();
  if (std::none_of(specs.begin(), specs.end(), [&](const SettingSpec& s) { return name == s.name; })) {
    throw ConfigException("unknown setting " + name);
  }
  Config copy = *this;
  copy.values_[name] = value;
  copy.sources_[name] = source;
  return copy;
}

void Config::requireForDaemon() const { Settings::from(*this).requireForDaemon(); }

std::string Config::describe() const {
  std::string out;
  for (const auto& spec : settingSpecs()) {
    std::string v = get(spec.name);
    if (spec.secret) v = v.empty() ? "(not set)" : "(set, hidden)";
    out += std::string(spec.name) + "=" + v + " (" + source(spec.name) + ")\n";
  }
  return out;
}

std::string Config::helpText(const std::string& program) {
  std::string out = "Usage: " + program +
                    " [--config FILE] [--flag value ...]\n\n"
                    "Every setting is an environment variable, a --flag and a key of the --config YAML file;\n"
                    "a flag beats the environment, which beats the file.\n\n";
  for (const auto& spec : settingSpecs()) {
    std::string line = "  " + flagName(spec.name) + " / " + spec.name;
    line.resize(std::max<std::size_t>(48, line.size() + 2), ' ');  // long names keep a gap before the help
    line += spec.help;
    if (spec.type == SettingType::kEnum) line += std::string(" (") + spec.choices + ")";
    if (!spec.secret && spec.defaultValue[0] != '\0') line += std::string(" [default: ") + spec.defaultValue + "]";
    if (spec.secret) line += " [secret]";
    out += line + "\n";
  }
  out +=
      "  --context NAME                                alias of --kube-context\n"
      "  --help, --version\n";
  return out;
}

}  // namespace podmon
