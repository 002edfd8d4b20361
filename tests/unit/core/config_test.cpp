#include "core/config.h"

#include <gtest/gtest.h>

#include <map>

#include "core/errors.h"
#include "core/flag_parser.h"

namespace podmon {
namespace {

struct Inputs {
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> files;

  Config load(const std::vector<std::string>& args) const {
    return Config::load(
        args,
        [this](const std::string& n) -> std::optional<std::string> {
          auto it = env.find(n);
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        [this](const std::string& p) {
          auto it = files.find(p);
          if (it == files.end()) throw ConfigException("cannot read " + p + ": No such file or directory");
          return it->second;
        });
  }
};

// As Inputs::load, with the original's config/application.yml read when it is among `files`.
Config loadWithOriginalFile(const Inputs& in, const std::vector<std::string>& args) {
  FlagParser parser([](const std::string& message) { throw ConfigException(message); });
  return Config::load(
      args,
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = in.env.find(n);
        if (it == in.env.end()) return std::nullopt;
        return it->second;
      },
      [&](const std::string& p) { return in.files.at(p); }, parser,
      [&](const std::string& p) { return in.files.count(p) > 0; });
}

std::string errorOf(const Inputs& in, const std::vector<std::string>& args) {
  try {
    in.load(args);
  } catch (const ConfigException& e) {
    return e.message();
  }
  return "no error";
}

TEST(Config, DefaultsMatchTheContract) {
  Config c = Inputs{}.load({});
  EXPECT_EQ(c.getInt("SQL_PORT"), 3306);
  EXPECT_EQ(c.get("SQL_DBNAME"), "kubernetes_pod_monitor");
  EXPECT_EQ(c.getInt("MAX_CRASHLOG_LENGTH"), 1000000);
  EXPECT_EQ(c.getInt("LOG_TAIL_LINES"), 500);
  EXPECT_EQ(c.get("ELASTICSEARCH_INDEX"), "k8s-crash-monitor-");
  EXPECT_EQ(c.get("SLACK_CHANNEL"), "pod-crash-alerts");
  EXPECT_TRUE(c.getBool("SLACK_NOTIFY"));
  EXPECT_EQ(c.get("SLACK_API_URL"), "https://slack.com/api");
  EXPECT_EQ(c.getDuration("ALERT_COOLDOWN"), std::chrono::minutes(10));
  EXPECT_EQ(c.getInt("SERVER_PORT"), 8080);
  EXPECT_EQ(c.source("SQL_PORT"), "default");
  EXPECT_THROW(c.requireForDaemon(), ConfigException);
}

TEST(Config, FlagBeatsEnvironmentBeatsFile) {
  Inputs in;
  in.files["/etc/podmon.yaml"] =
      "CLUSTER_NAME: from-file\nsql_host: db.file\nSQL_PORT: 3310\nwatch_namespaces: [a, b]\n";
  in.env["SQL_HOST"] = "db.env";
  in.env["CLUSTER_NAME"] = "from-env";
  Config c = in.load({"--config", "/etc/podmon.yaml", "--cluster-name=from-flag"});
  EXPECT_EQ(c.get("CLUSTER_NAME"), "from-flag");
  EXPECT_EQ(c.source("CLUSTER_NAME"), "flag");
  EXPECT_EQ(c.get("SQL_HOST"), "db.env");
  EXPECT_EQ(c.source("SQL_HOST"), "environment");
  EXPECT_EQ(c.getInt("SQL_PORT"), 3310);
  EXPECT_EQ(c.source("SQL_PORT"), "file");
  EXPECT_EQ(c.getList("WATCH_NAMESPACES"), (std::vector<std::string>{"a", "b"}));
  EXPECT_NO_THROW(c.requireForDaemon());
}

TEST(Config, FlagsTakeSeparateOrJoinedValuesAndKeepPositionals) {
  Config c = Inputs{}.load({"migrate", "--sql-port", "3307", "--context", "kind-dev", "--kubeconfig=/k"});
  EXPECT_EQ(c.getInt("SQL_PORT"), 3307);
  EXPECT_EQ(c.get("KUBE_CONTEXT"), "kind-dev");
  EXPECT_EQ(c.get("KUBECONFIG"), "/k");
  EXPECT_EQ(c.positional(), (std::vector<std::string>{"migrate"}));
}

TEST(Config, BadInputNamesTheSetting) {
  Inputs in;
  EXPECT_EQ(errorOf(in, {"--sql-prot", "1"}), "unknown flag --sql-prot (see --help)");
  EXPECT_EQ(errorOf(in, {"--sql-port"}), "--sql-port needs a value");
  EXPECT_NE(errorOf(in, {"--sql-port", "abc"}).find("SQL_PORT (flag --sql-port): 'abc' is not a non-negative integer"),
            std::string::npos);
  EXPECT_NE(errorOf(in, {"--log-level", "loud"}).find("LOG_LEVEL"), std::string::npos);
  EXPECT_NE(errorOf(in, {"--alert-cooldown", "soon"}).find("ALERT_COOLDOWN"), std::string::npos);
  EXPECT_NE(errorOf(in, {"--slack-notify", "maybe"}).find("SLACK_NOTIFY"), std::string::npos);
  EXPECT_NE(errorOf(in, {"--elasticsearch-url", "es:9200"}).find("ELASTICSEARCH_URL"), std::string::npos);
  in.env["SQL_PORT"] = "-1";
  EXPECT_NE(errorOf(in, {}).find("SQL_PORT (environment variable)"), std::string::npos);
  in.env.clear();
  in.files["/c.yaml"] = "SQL_PORT: [1\n";
  EXPECT_NE(errorOf(in, {"--config", "/c.yaml"}).find("--config /c.yaml: invalid YAML at line"), std::string::npos);
  in.files["/c.yaml"] = "NOT_A_SETTING: 1\n";
  EXPECT_NE(errorOf(in, {"--config", "/c.yaml"}).find("unknown setting 'NOT_A_SETTING'"), std::string::npos);
  EXPECT_NE(errorOf(in, {"--config", "/missing.yaml"}).find("/missing.yaml"), std::string::npos);
}

TEST(Config, IntegersBeyondAnIntAreConfigErrors) {
  // Found by fuzz_config: a value that passed validation made getInt() throw std::out_of_range.
  Inputs in;
  in.files["/c.yaml"] = "SQL_PORT: 99997434606065\n";
  EXPECT_NE(errorOf(in, {"--config", "/c.yaml"}).find("SQL_PORT (in /c.yaml): '99997434606065' is too large"),
            std::string::npos);
  EXPECT_NE(errorOf(in, {"--sql-port", "2147483648"}).find("is too large (at most 2147483647)"), std::string::npos);
  EXPECT_EQ(in.load({"--sql-port", "2147483647"}).getInt("SQL_PORT"), 2147483647);
}

TEST(Config, NestedValuesInTheFileAreConfigErrors) {
  // Found by fuzz_config: a list item or key that is itself a list or mapping made yaml-cpp throw
  // its own exception instead of a message naming the setting.
  Inputs in;
  in.files["/c.yaml"] = "REDACT_PATTERNS:\n  - 'a+'\n  - {b: c}\n";
  EXPECT_NE(
      errorOf(in, {"--config", "/c.yaml"}).find("--config /c.yaml: REDACT_PATTERNS must be a list of single values"),
      std::string::npos)
      << errorOf(in, {"--config", "/c.yaml"});
  in.files["/c.yaml"] = "WATCH_NAMESPACES: [[a, b]]\n";
  EXPECT_NE(errorOf(in, {"--config", "/c.yaml"}).find("WATCH_NAMESPACES must be a list of single values"),
            std::string::npos);
  in.files["/c.yaml"] = "? [SQL_HOST]\n: db\n";
  EXPECT_NE(errorOf(in, {"--config", "/c.yaml"}).find("line 1: keys must be setting names"), std::string::npos)
      << errorOf(in, {"--config", "/c.yaml"});
}

TEST(Config, SecretsNeverShown) {
  Inputs in;
  in.env["SQL_PASSWORD"] = "hunter2-secret";
  in.env["SLACK_TOKEN"] = "xoxb-very-secret";
  in.env["SLACK_WEBHOOK_URL"] = "not a url secret";
  std::string error = errorOf(in, {});
  EXPECT_EQ(error.find("secret"), std::string::npos) << error;
  EXPECT_NE(error.find("SLACK_WEBHOOK_URL"), std::string::npos);
  in.env.erase("SLACK_WEBHOOK_URL");
  Config c = in.load({});
  std::string described = c.describe();
  EXPECT_EQ(described.find("hunter2"), std::string::npos);
  EXPECT_EQ(described.find("xoxb"), std::string::npos);
  EXPECT_NE(described.find("SQL_PASSWORD=(set, hidden)"), std::string::npos);
  EXPECT_EQ(c.get("SQL_PASSWORD"), "hunter2-secret");
  std::string help = Config::helpText("podmon");
  EXPECT_NE(help.find("--sql-password / SQL_PASSWORD"), std::string::npos);
  EXPECT_NE(help.find("[default: kubernetes_pod_monitor]"), std::string::npos);
  EXPECT_NE(help.find("--slack-webhook-url-file / SLACK_WEBHOOK_URL_FILE  file holding"), std::string::npos) << help;
}

TEST(Config, PasswordFromFile) {
  Inputs in;
  in.files["/run/secrets/pw"] = "s3cret\n";
  Config c = in.load({"--sql-password-file", "/run/secrets/pw"});
  EXPECT_EQ(c.get("SQL_PASSWORD"), "s3cret");
  EXPECT_EQ(c.source("SQL_PASSWORD"), "SQL_PASSWORD_FILE");
}

// Every secret setting has a NAME_FILE (Kubernetes Secrets and Docker secrets mounted as files):
// the file's content without its trailing newline (\n or \r\n) is the value.
TEST(Config, EverySecretCanComeFromAFile) {
  const std::vector<std::string> secrets = {"SQL_PASSWORD",           "SLACK_TOKEN",           "SLACK_WEBHOOK_URL",
                                            "ELASTICSEARCH_PASSWORD", "ELASTICSEARCH_API_KEY", "API_TOKEN",
                                            "AWS_SECRET_ACCESS_KEY",  "AWS_SESSION_TOKEN"};
  std::vector<std::string> inTable;
  for (const auto& spec : settingSpecs()) {
    if (spec.secret) inTable.emplace_back(spec.name);
  }
  EXPECT_EQ(inTable.size(), secrets.size()) << "a new secret setting needs its NAME_FILE (and this list)";
  for (const auto& name : secrets) {
    Inputs in;
    const std::string value = name == "SLACK_WEBHOOK_URL" ? "https://hooks.example/T/B/x" : "v-" + name;
    in.files["/run/secrets/" + name] = value + (name == "API_TOKEN" ? "\r\n" : "\n");
    in.env[name + "_FILE"] = "/run/secrets/" + name;
    Config c = in.load({});
    EXPECT_EQ(c.get(name), value) << name;
    EXPECT_EQ(c.source(name), name + "_FILE");
    EXPECT_EQ(c.describe().find(value), std::string::npos) << name;
  }
  Inputs inner;
  inner.files["/t"] = "  tok en\t\n\n";  // only the trailing line ends go: the rest is the secret's
  inner.env["SLACK_TOKEN_FILE"] = "/t";
  EXPECT_EQ(inner.load({}).get("SLACK_TOKEN"), "  tok en\t");
}

TEST(Config, SecretFileErrorsNameTheSettingNeverTheValue) {
  Inputs in;
  in.env["SLACK_TOKEN"] = "xoxb-env-secret";
  in.files["/run/secrets/slack"] = "xoxb-file-secret\n";
  in.env["SLACK_TOKEN_FILE"] = "/run/secrets/slack";
  std::string both = errorOf(in, {});
  EXPECT_NE(both.find("SLACK_TOKEN (environment variable) and SLACK_TOKEN_FILE (environment variable) are both set"),
            std::string::npos)
      << both;
  EXPECT_EQ(both.find("xoxb"), std::string::npos) << both;
  EXPECT_NE(errorOf(Inputs{{}, in.files}, {"--api-token", "tok", "--api-token-file", "/run/secrets/slack"})
                .find("API_TOKEN (flag)"),
            std::string::npos);

  in.env.erase("SLACK_TOKEN");
  in.env["SLACK_TOKEN_FILE"] = "/run/secrets/missing";
  std::string missing = errorOf(in, {});
  EXPECT_NE(missing.find("SLACK_TOKEN_FILE (environment variable): cannot read /run/secrets/missing"),
            std::string::npos)
      << missing;

  in.files["/run/secrets/empty"] = "\n";
  in.env["SLACK_TOKEN_FILE"] = "/run/secrets/empty";
  EXPECT_NE(errorOf(in, {}).find("SLACK_TOKEN_FILE (environment variable): /run/secrets/empty is empty"),
            std::string::npos)
      << errorOf(in, {});

  in.env.erase("SLACK_TOKEN_FILE");
  in.files["/run/secrets/hook"] = "hooks.example/not-a-url-secret\n";
  in.env["SLACK_WEBHOOK_URL_FILE"] = "/run/secrets/hook";
  std::string badUrl = errorOf(in, {});
  EXPECT_NE(badUrl.find("SLACK_WEBHOOK_URL (read from SLACK_WEBHOOK_URL_FILE): (hidden) is not an http"),
            std::string::npos)
      << badUrl;
  EXPECT_EQ(badUrl.find("not-a-url-secret"), std::string::npos) << badUrl;
}

TEST(Config, ReadWholeFileSaysWhyAFileCannotBeRead) {
  const std::string dir = ::testing::TempDir();
  try {
    Config::readWholeFile(dir);
    ADD_FAILURE() << "a directory read as a file";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("it is a directory"), std::string::npos) << e.message();
  }
  try {
    Config::readWholeFile(dir + "/podmon-no-such-file");
    ADD_FAILURE() << "a missing file read";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("podmon-no-such-file: No such file or directory"), std::string::npos) << e.message();
  }
}

// As with the original's viper: an empty environment variable (or file value, or flag) counts as
// unset, so the next source down decides; Config remembers it was given empty.
TEST(Config, EmptyValuesCountAsUnset) {
  Inputs in;
  in.files["/c.yaml"] = "SQL_HOST: db.file\nSLACK_CHANNEL: ''\n";
  in.env["SQL_HOST"] = "";
  in.env["SQL_USERNAME"] = "";
  in.env["LOG_LEVEL"] = "";
  Config c = in.load({"--config", "/c.yaml", "--sql-dbname="});
  EXPECT_EQ(c.get("SQL_HOST"), "db.file");
  EXPECT_EQ(c.source("SQL_HOST"), "file");
  EXPECT_EQ(c.get("SQL_USERNAME"), "root");
  EXPECT_EQ(c.source("SQL_USERNAME"), "default");
  EXPECT_TRUE(c.givenEmpty("SQL_USERNAME"));
  EXPECT_EQ(c.get("LOG_LEVEL"), "info");
  EXPECT_EQ(c.get("SLACK_CHANNEL"), "pod-crash-alerts");
  EXPECT_EQ(c.get("SQL_DBNAME"), "kubernetes_pod_monitor");
  EXPECT_TRUE(c.givenEmpty("SQL_DBNAME"));
  EXPECT_FALSE(c.givenEmpty("SQL_PORT"));
  in.env["SQL_PORT"] = "";  // not an integer, but empty: unset, no error
  EXPECT_EQ(in.load({}).getInt("SQL_PORT"), 3306);
}

// The original's chart passes SQL_PASSWORD="" next to podmon's SQL_PASSWORD_FILE: not "both set".
TEST(Config, AnEmptySecretLeavesRoomForItsFile) {
  Inputs in;
  in.env["SQL_PASSWORD"] = "";
  in.env["SQL_PASSWORD_FILE"] = "/run/secrets/pw";
  in.files["/run/secrets/pw"] = "from-file\n";
  Config c = in.load({});
  EXPECT_EQ(c.get("SQL_PASSWORD"), "from-file");
  EXPECT_EQ(c.source("SQL_PASSWORD"), "SQL_PASSWORD_FILE");
}

// LOG_LEVEL=INFO and DEBUG are the original's; any case works, and logrus's warning, fatal and
// panic too; a value no one knows stays an error naming the choices.
TEST(Config, EnumerationsMatchInAnyCase) {
  const std::map<std::string, std::string> levels = {{"INFO", "info"},    {"DEBUG", "debug"}, {"Warn", "warn"},
                                                     {"WARNING", "warn"}, {"error", "error"}, {"FATAL", "error"},
                                                     {"panic", "error"},  {"Trace", "trace"}};
  for (const auto& [given, level] : levels) {
    Inputs in;
    in.env["LOG_LEVEL"] = given;
    EXPECT_EQ(in.load({}).get("LOG_LEVEL"), level) << given;
  }
  Inputs in;
  in.env["LOG_LEVEL"] = "loud";
  EXPECT_NE(errorOf(in, {}).find("LOG_LEVEL (environment variable): 'loud' is not one of trace|debug|info|warn|error"),
            std::string::npos)
      << errorOf(in, {});
  EXPECT_EQ(Inputs{}.load({"--sql-tls", "REQUIRED"}).get("SQL_TLS"), "required");
}

// The original's config/application.yml, read from the working directory when present: below the
// --config file, the environment and the flags; unknown keys are warnings.
TEST(Config, ReadsTheOriginalsApplicationYmlBelowEverythingElse) {
  Inputs in;
  in.files["config/application.yml"] =
      "CLUSTER_NAME: from-yml\nlog:\n  level: DEBUG\nsql:\n  host: db.yml\n  port: 3307\n  dbname: yml_db\n"
      "elasticsearch:\n  port: 9200\n  url: http://es\naws:\n  region: eu-west-1\nDEPLOY_ENV: local\n"
      "slack:\n  colour: red\n";
  in.files["/c.yaml"] = "SQL_PORT: 3310\n";
  in.env["SQL_HOST"] = "db.env";
  in.env["SQL_DBNAME"] = "";  // empty: the file below decides
  Config c = loadWithOriginalFile(in, {"--config", "/c.yaml"});
  EXPECT_EQ(c.get("CLUSTER_NAME"), "from-yml");
  EXPECT_EQ(c.source("CLUSTER_NAME"), "config/application.yml");
  EXPECT_EQ(c.get("LOG_LEVEL"), "debug");
  EXPECT_EQ(c.get("SQL_HOST"), "db.env");
  EXPECT_EQ(c.getInt("SQL_PORT"), 3310);
  EXPECT_EQ(c.get("SQL_DBNAME"), "yml_db");
  EXPECT_EQ(c.get("ELASTICSEARCH_PORT"), "9200");
  EXPECT_EQ(c.get("AWS_REGION"), "eu-west-1");
  EXPECT_EQ(c.get("DEPLOY_ENV"), "local");
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_NE(c.warnings()[0].find("unknown key 'slack.colour'"), std::string::npos);

  in.files["config/application.yml"] = "sql:\n  port: many\n";
  EXPECT_EQ(in.load({}).getInt("SQL_PORT"), 3306);  // the loads without FileExists never read it
  try {
    loadWithOriginalFile(in, {});
    ADD_FAILURE() << "a bad value in application.yml was accepted";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("SQL_PORT (in config/application.yml): 'many'"), std::string::npos) << e.message();
  }
  in.files.erase("config/application.yml");
  in.files["config/application.yaml"] = "server:\n  port: 9090\n";
  EXPECT_EQ(loadWithOriginalFile(in, {}).getInt("SERVER_PORT"), 9090);
}

// The original's settings podmon does not need are accepted from every source, never refused.
TEST(Config, TheOriginalsSettingsPodmonDoesNotNeedAreAccepted) {
  Inputs in;
  in.env["CHECK_INTERVAL"] = "15";
  in.files["/c.yaml"] = "MAX_RETRIES: 10\nelasticsearch:\n  v7: true\n";
  Config c = in.load({"--config", "/c.yaml", "--sql-table-name", "k8s_crash_monitor"});
  EXPECT_EQ(c.source("CHECK_INTERVAL"), "environment");
  EXPECT_EQ(c.source("MAX_RETRIES"), "file");
  EXPECT_EQ(c.source("ELASTICSEARCH_V7"), "file");
  EXPECT_EQ(c.source("SQL_TABLE_NAME"), "flag");
  EXPECT_TRUE(c.warnings().empty());
  std::size_t originalOnly = 0;
  for (const auto& spec : settingSpecs()) originalOnly += spec.originalOnly ? 1 : 0;
  EXPECT_EQ(originalOnly, 11u);
}

TEST(Config, ParsesDurations) {
  EXPECT_EQ(parseDuration("10m", "X"), std::chrono::minutes(10));
  EXPECT_EQ(parseDuration("1h30m", "X"), std::chrono::minutes(90));
  EXPECT_EQ(parseDuration("500ms", "X"), std::chrono::milliseconds(500));
  EXPECT_EQ(parseDuration("0", "X"), std::chrono::milliseconds(0));
  EXPECT_EQ(parseDuration("45", "X"), std::chrono::seconds(45));
  EXPECT_THROW(parseDuration("10 parsecs", "X"), ConfigException);
  EXPECT_THROW(parseDuration("m", "X"), ConfigException);
  EXPECT_THROW(parseDuration("", "X"), ConfigException);
}

}  // namespace
}  // namespace podmon
