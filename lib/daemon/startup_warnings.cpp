#include "daemon/startup_warnings.h"

#include "core/config.h"

namespace podmon::daemon {

namespace {

bool isPlainHttp(const std::string& url) { return url.rfind("http://", 0) == 0; }

// "http://user:pw@host/..." carries credentials in the URL itself.
bool hasUserInfo(const std::string& url) {
  const std::size_t start = url.find("://");
  if (start == std::string::npos) return false;
  const std::size_t end = url.find_first_of("/?#", start + 3);
  return url.substr(start + 3, end == std::string::npos ? std::string::npos : end - start - 3).find('@') !=
         std::string::npos;
}

bool hasFileVariant(const std::string& name) {
  const std::string file = name + "_FILE";
  for (const auto& spec : settingSpecs()) {
    if (file == spec.name) return true;
  }
  return false;
}

std::string flagWarning(const std::string& name) {
  return name + " was given as a command-line flag: any user of this host can read it in /proc/PID/cmdline " +
         "(ps); pass it as the environment variable " + name +
         (hasFileVariant(name) ? " or in " + name + "_FILE" : "") + " instead";
}

void elasticsearchWarnings(const ElasticsearchSettings& es, std::vector<std::string>& out) {
  if (!isPlainHttp(es.url)) return;
  std::string what;
  if (!es.apiKey.empty()) what = "ELASTICSEARCH_API_KEY";
  else if (!es.password.empty()) what = "ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD";
  else if (!es.username.empty()) what = "ELASTICSEARCH_USERNAME";
  else if (hasUserInfo(es.url)) what = "the user and password in the URL";
  if (what.empty()) return;
  out.push_back("ELASTICSEARCH_URL is http://, so the Elasticsearch credentials (" + what +
                ") cross the network unencrypted: use https://");
}

void slackWarnings(const SlackSettings& slack, std::vector<std::string>& out) {
  if (!slack.notify) return;
  // The token wins over the webhook (PocoSlackClient): only the one in use is sent anywhere.
  if (!slack.token.empty()) {
    if (isPlainHttp(slack.apiUrl)) {
      out.push_back("SLACK_API_URL is http://, so SLACK_TOKEN crosses the network unencrypted: use https://");
    }
  } else if (isPlainHttp(slack.webhookUrl)) {
    out.push_back(
        "SLACK_WEBHOOK_URL is http://, so the webhook URL (itself the secret) crosses the network unencrypted: use "
        "https://");
  }
}

// MySQL over the network without TLS: the password (mysql_native_password) and every crash log
// cross it readable. A local socket or loopback host is not a network.
void sqlWarnings(const StoreSettings& store, std::vector<std::string>& out) {
  if (store.sqlHost.empty() || store.sqlHost == "localhost" || store.sqlHost == "127.0.0.1" || store.sqlHost == "::1")
    return;
  if (store.sqlTls == "disabled" || store.sqlTls == "preferred") {
    out.push_back("SQL_TLS is " + store.sqlTls + " with a MySQL server on the network (SQL_HOST): the crash logs " +
                  (store.sqlTls == "preferred" ? "may cross it unencrypted (a server without TLS is accepted)"
                                               : "cross it unencrypted") +
                  "; set SQL_TLS=verify-identity with SQL_TLS_CA");
  }
}

// One line for all the original's settings podmon does not need, each with why.
std::string originalOnlyWarning(const std::vector<std::string>& names) {
  std::string out = "settings of the original kubernetes-pod-monitor that podmon does not need are ignored:";
  for (const auto& name : names) {
    for (const auto& spec : settingSpecs()) {
      if (name == spec.name) out += std::string(" ") + spec.name + " (" + spec.help + ");";
    }
  }
  out.back() = '.';
  return out;
}

}  // namespace

std::vector<std::string> startupWarnings(const Settings& settings, const TransportFacts& facts) {
  std::vector<std::string> out = settings.configWarnings;
  if (!settings.originalOnlySettingsGiven.empty())
    out.push_back(originalOnlyWarning(settings.originalOnlySettingsGiven));
  for (const auto& name : settings.secretsGivenAsFlags) out.push_back(flagWarning(name));
  if (facts.kubeInsecureSkipTlsVerify) {
    out.push_back(
        "the kubeconfig sets insecure-skip-tls-verify: the Kubernetes API server's certificate is not checked, so "
        "anyone on the path can read the credentials and the pods' logs; set certificate-authority instead");
  }
  elasticsearchWarnings(settings.elasticsearch, out);
  slackWarnings(settings.slack, out);
  sqlWarnings(settings.store, out);
  return out;
}

}  // namespace podmon::daemon
