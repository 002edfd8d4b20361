#include "kube/kube_config.h"

#include <yaml-cpp/yaml.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Environment.h>
#include <Poco/String.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/errors.h"
#include "kube/credential_sources.h"

namespace podmon::kube {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw ConfigException("kubeconfig " + where + ": " + message);
}

// One named entry (cluster, user or context) with where it came from, so errors and relative
// paths refer to the file that defined it.
struct Entry {
  YAML::Node body;    // the inner `cluster:` / `user:` / `context:` mapping
  std::string file;   // the kubeconfig file that defined it
  std::string field;  // e.g. users[2].user
};

// Several kubeconfig files merged like client-go: the first file to define a name wins, the
// first non-empty current-context wins.
struct MergedConfig {
  std::map<std::string, Entry> clusters;
  std::map<std::string, Entry> users;
  std::map<std::string, Entry> contexts;
  std::string currentContext;
  std::string currentContextFile;
};

std::string joinNames(const std::map<std::string, Entry>& entries) {
  if (entries.empty()) return "none defined";
  std::string out;
  for (const auto& [name, entry] : entries) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string scalar(const Entry& entry, const char* key) {
  const YAML::Node& body = entry.body;
  const YAML::Node value = body[key];
  if (!value || value.IsNull()) return "";
  if (!value.IsScalar()) fail(entry.file, entry.field + "." + key + " must be a string");
  return value.Scalar();
}

bool boolean(const Entry& entry, const char* key) {
  const YAML::Node& body = entry.body;
  const YAML::Node value = body[key];
  if (!value || value.IsNull()) return false;
  bool result = false;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result)) {
    fail(entry.file, entry.field + "." + key + " must be true or false");
  }
  return result;
}

std::string decodeBase64(const Entry& entry, const char* key, const std::string& encoded) {
  std::istringstream in(encoded);
  Poco::Base64Decoder decoder(in);
  // read() in blocks, not istreambuf_iterator: an invalid character after more than a short
  // string's worth of valid data threw out of std::string's iterator constructor and leaked the
  // partly decoded text (found by fuzz_kubeconfig under LeakSanitizer).
  std::string decoded;
  char buffer[4096];
  try {
    while (decoder.read(buffer, sizeof buffer) || decoder.gcount() > 0) {
      decoded.append(buffer, static_cast<std::size_t>(decoder.gcount()));
    }
  } catch (const Poco::Exception&) {
    fail(entry.file, entry.field + "." + key + " is not valid base64");
  }
  if (decoder.bad()) fail(entry.file, entry.field + "." + key + " is not valid base64");
  return decoded;
}

std::string resolvePath(const std::string& kubeconfigFile, const std::string& reference) {
  fs::path ref(reference);
  if (ref.is_absolute()) return reference;
  return (fs::path(kubeconfigFile).parent_path() / ref).lexically_normal().string();
}

std::string readReferencedFile(const Entry& entry, const char* key, const std::string& path) {
  try {
    return readWholeFile(path);
  } catch (const std::exception& e) {
    fail(entry.file, entry.field + "." + key + ": cannot read " + path + ": " + e.what());
  }
}

// PEM material from `key-data` (base64, wins like in client-go) or the file named by `key`.
std::string pemField(const Entry& entry, const std::string& key, const char* pemKind) {
  const std::string dataKey = key + "-data";
  std::string pem;
  std::string used;
  if (std::string data = scalar(entry, dataKey.c_str()); !data.empty()) {
    pem = decodeBase64(entry, dataKey.c_str(), data);
    used = dataKey;
  } else if (std::string file = scalar(entry, key.c_str()); !file.empty()) {
    pem = readReferencedFile(entry, key.c_str(), resolvePath(entry.file, file));
    used = key;
  } else {
    return "";
  }
  if (pem.find("-----BEGIN") == std::string::npos) {
    fail(entry.file, entry.field + "." + used + " does not contain a PEM " + pemKind);
  }
  return pem;
}

void collectSection(const YAML::Node& root, const std::string& file, const char* section, const char* inner,
                    std::map<std::string, Entry>& into) {
  const YAML::Node list = root[section];
  if (!list || list.IsNull()) return;
  if (!list.IsSequence()) fail(file, std::string(section) + " must be a list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string field = std::string(section) + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) fail(file, field + " must be a mapping with name and " + inner);
    const YAML::Node name = item["name"];
    if (!name || !name.IsScalar() || name.Scalar().empty()) fail(file, field + ".name is missing");
    const YAML::Node found = item[inner];
    if (found && !found.IsNull() && !found.IsMap()) fail(file, field + "." + inner + " must be a mapping");
    // A new node, never an assignment: assigning to (or reset() of) the invalid node a missing key
    // gives throws YAML::InvalidNode (found by fuzz_kubeconfig).
    const YAML::Node body = found && !found.IsNull() ? found : YAML::Node(YAML::NodeType::Map);
    into.try_emplace(name.Scalar(), Entry{body, file, field + "." + inner});
  }
}

void mergeDocument(const std::string& yamlText, const std::string& file, MergedConfig& merged) {
  YAML::Node root;
  try {
    root = YAML::Load(yamlText);
  } catch (const YAML::Exception& e) {
    // e.msg describes the syntax problem without quoting the document (which may hold secrets).
    fail(file, "YAML syntax error at line " + std::to_string(e.mark.line + 1) + ", column " +
                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) return;  // an empty file is an empty config, as in kubectl
  if (!root.IsMap()) fail(file, "not a kubeconfig (the top level must be a mapping)");
  collectSection(root, file, "clusters", "cluster", merged.clusters);
  collectSection(root, file, "users", "user", merged.users);
  collectSection(root, file, "contexts", "context", merged.contexts);
  const YAML::Node current = root["current-context"];
  if (current && !current.IsNull()) {
    if (!current.IsScalar()) fail(file, "current-context must be a string");
    if (merged.currentContext.empty() && !current.Scalar().empty()) {
      merged.currentContext = current.Scalar();
      merged.currentContextFile = file;
    }
  }
}

std::string normalizeServer(const Entry& cluster, const std::string& clusterName) {
  std::string server = Poco::trim(scalar(cluster, "server"));
  if (server.empty())
    fail(cluster.file, "cluster \"" + clusterName + "\" has no server (" + cluster.field + ".server)");
  auto scheme = server.find("://");
  if (scheme == std::string::npos) {
    server = "https://" + server;  // client-go's default for host:port
  } else {
    std::string name = Poco::toLower(server.substr(0, scheme));
    if (name != "http" && name != "https") {
      fail(cluster.file, cluster.field + ".server \"" + server + "\" must start with http:// or https://");
    }
  }
  while (server.size() > 1 && server.back() == '/') server.pop_back();
  return server;
}

// The user's client certificate and key (both or neither) into `connection`.
void clientCertificate(const Entry& user, KubeConnection& connection) {
  connection.clientCertPem = pemField(user, "client-certificate", "certificate");
  connection.clientKeyPem = pemField(user, "client-key", "private key");
  if (!connection.clientCertPem.empty() && connection.clientKeyPem.empty()) {
    fail(user.file, user.field + " has client-certificate but no client-key");
  }
  if (connection.clientCertPem.empty() && !connection.clientKeyPem.empty()) {
    fail(user.file, user.field + " has client-key but no client-certificate");
  }
}

// The exec plugin of a user entry (`exec` is its mapping), checked as kubectl checks it.
ExecPluginConfig execPluginConfig(const Entry& user, const YAML::Node& exec) {
  const std::string field = user.field + ".exec";
  if (!exec.IsMap()) fail(user.file, field + " must be a mapping");
  Entry execEntry{exec, user.file, field};
  ExecPluginConfig config;
  config.apiVersion = scalar(execEntry, "apiVersion");
  if (config.apiVersion != "client.authentication.k8s.io/v1" &&
      config.apiVersion != "client.authentication.k8s.io/v1beta1") {
    fail(user.file,
         field + ".apiVersion must be client.authentication.k8s.io/v1 or v1beta1" +
             (config.apiVersion.empty() ? std::string(" (it is missing)") : " (it is \"" + config.apiVersion + "\")"));
  }
  config.command = scalar(execEntry, "command");
  if (config.command.empty()) fail(user.file, field + ".command is missing");
  if (config.command.find('/') != std::string::npos) config.command = resolvePath(user.file, config.command);
  config.installHint = scalar(execEntry, "installHint");
  if (scalar(execEntry, "interactiveMode") == "Always") {
    fail(user.file, field + ".interactiveMode is Always, but podmon runs without a terminal");
  }
  if (const YAML::Node args = exec["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) fail(user.file, field + ".args must be a list of strings");
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (!args[i].IsScalar()) fail(user.file, field + ".args[" + std::to_string(i) + "] must be a string");
      config.args.push_back(args[i].Scalar());
    }
  }
  if (const YAML::Node env = exec["env"]; env && !env.IsNull()) {
    if (!env.IsSequence()) fail(user.file, field + ".env must be a list of {name, value}");
    for (std::size_t i = 0; i < env.size(); ++i) {
      Entry item{env[i], user.file, field + ".env[" + std::to_string(i) + "]"};
      if (!env[i].IsMap()) fail(user.file, item.field + " must be a mapping with name and value");
      std::string name = scalar(item, "name");
      if (name.empty()) fail(user.file, item.field + ".name is missing");
      config.env.emplace_back(name, scalar(item, "value"));
    }
  }
  return config;
}

CredentialSource::Ptr userCredentials(const Entry& user, KubeConnection& connection, const Clock::Ptr& clock) {
  if (const YAML::Node provider = user.body["auth-provider"]; provider && !provider.IsNull()) {
    fail(user.file, user.field + ".auth-provider is not supported (removed from kubectl); use an exec plugin");
  }
  clientCertificate(user, connection);

  const std::string token = scalar(user, "token");
  const std::string tokenFile = scalar(user, "tokenFile");
  const std::string username = scalar(user, "username");
  const std::string password = scalar(user, "password");
  const YAML::Node exec = user.body["exec"];
  const bool hasExec = exec && !exec.IsNull();
  int methods = (!token.empty() || !tokenFile.empty()) + (!username.empty() || !password.empty()) + hasExec;
  if (methods > 1) {
    fail(user.file, user.field +
                        " sets more than one of token/tokenFile, username/password and exec; "
                        "only one authentication method is allowed");
  }

  if (!token.empty()) return std::make_shared<StaticTokenSource>(token);
  if (!tokenFile.empty()) {
    std::string path = resolvePath(user.file, tokenFile);
    readReferencedFile(user, "tokenFile", path);  // fail fast at start-up when it is missing
    return std::make_shared<TokenFileSource>(path, clock);
  }
  if (!username.empty() || !password.empty()) {
    if (username.empty()) fail(user.file, user.field + " has a password but no username");
    return std::make_shared<BasicAuthSource>(username, password);
  }
  if (hasExec) return std::make_shared<ExecCredentialSource>(execPluginConfig(user, exec), clock);
  return nullptr;
}

KubeConnection buildConnection(const MergedConfig& merged, const std::string& where,
                               const std::string& requestedContext, const Clock::Ptr& clock) {
  std::string contextName = requestedContext.empty() ? merged.currentContext : requestedContext;
  if (contextName.empty()) {
    fail(where, "current-context is not set and no context was given (contexts: " + joinNames(merged.contexts) + ")");
  }
  auto contextIt = merged.contexts.find(contextName);
  if (contextIt == merged.contexts.end()) {
    fail(requestedContext.empty() ? merged.currentContextFile : where,
         "context \"" + contextName + "\" not found (contexts: " + joinNames(merged.contexts) + ")");
  }
  const Entry& context = contextIt->second;

  const std::string clusterName = scalar(context, "cluster");
  if (clusterName.empty())
    fail(context.file, "context \"" + contextName + "\" has no cluster (" + context.field + ".cluster)");
  auto clusterIt = merged.clusters.find(clusterName);
  if (clusterIt == merged.clusters.end()) {
    fail(context.file, "context \"" + contextName + "\" refers to cluster \"" + clusterName +
                           "\", which is not defined (clusters: " + joinNames(merged.clusters) + ")");
  }
  const Entry& cluster = clusterIt->second;

  KubeConnection connection;
  connection.server = normalizeServer(cluster, clusterName);
  connection.caPem = pemField(cluster, "certificate-authority", "certificate");
  connection.insecureSkipTlsVerify = boolean(cluster, "insecure-skip-tls-verify");
  if (connection.insecureSkipTlsVerify && !connection.caPem.empty()) {
    fail(cluster.file, "cluster \"" + clusterName +
                           "\" sets both insecure-skip-tls-verify and a certificate "
                           "authority; remove one (kubectl refuses this too)");
  }
  connection.tlsServerName = scalar(cluster, "tls-server-name");

  const std::string userName = scalar(context, "user");
  if (!userName.empty()) {
    auto userIt = merged.users.find(userName);
    if (userIt == merged.users.end()) {
      fail(context.file, "context \"" + contextName + "\" refers to user \"" + userName +
                             "\", which is not defined (users: " + joinNames(merged.users) + ")");
    }
    connection.credentials = userCredentials(userIt->second, connection, clock);
  }

  connection.defaultNamespace = scalar(context, "namespace");
  if (connection.defaultNamespace.empty()) connection.defaultNamespace = "default";
  connection.origin = "kubeconfig " + where + " (context " + contextName + ")";
  connection.contextName = contextName;
  connection.clusterName = clusterName;
  return connection;
}

std::vector<std::string> splitList(const std::string& list) {
  std::vector<std::string> out;
  std::istringstream in(list);
  std::string item;
  while (std::getline(in, item, ':')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string joinPaths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& path : paths) out += (out.empty() ? "" : ":") + path;
  return out;
}

std::string readServiceAccountFile(const std::string& path) {
  try {
    return readWholeFile(path);
  } catch (const std::exception& e) {
    throw ConfigException("in-cluster config: cannot read " + path + ": " + e.what());
  }
}

}  // namespace

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    return std::nullopt;
  };
}

KubeConnection parseKubeConfig(const std::string& yamlText, const std::string& path, const std::string& context,
                               Clock::Ptr clock) {
  MergedConfig merged;
  mergeDocument(yamlText, path, merged);
  return buildConnection(merged, path, context, clock);
}

KubeConnection loadKubeConfigFiles(const std::vector<std::string>& paths, const std::string& context,
                                   Clock::Ptr clock) {
  MergedConfig merged;
  for (const auto& path : paths) {
    std::string text;
    try {
      text = readWholeFile(path);
    } catch (const std::exception& e) {
      fail(path, std::string("cannot read the file: ") + e.what());
    }
    mergeDocument(text, path, merged);
  }
  return buildConnection(merged, joinPaths(paths), context, clock);
}

KubeConnection inClusterConnection(const EnvLookup& env, const std::string& serviceAccountDir, Clock::Ptr clock) {
  std::string host = env("KUBERNETES_SERVICE_HOST").value_or("");
  std::string port = env("KUBERNETES_SERVICE_PORT").value_or("");
  if (host.empty() || port.empty()) {
    throw ConfigException("in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set");
  }
  KubeConnection connection;
  const bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  connection.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  connection.caPem = readServiceAccountFile(serviceAccountDir + "/ca.crt");
  const std::string tokenPath = serviceAccountDir + "/token";
  readServiceAccountFile(tokenPath);  // fail fast; the source re-reads it as the kubelet rotates it
  connection.credentials = std::make_shared<TokenFileSource>(tokenPath, std::move(clock));
  try {
    connection.defaultNamespace = Poco::trim(readWholeFile(serviceAccountDir + "/namespace"));
  } catch (const std::exception&) {
    // optional, as in client-go
  }
  if (connection.defaultNamespace.empty()) connection.defaultNamespace = "default";
  connection.origin = "in-cluster service account (" + serviceAccountDir + ")";
  return connection;
}

KubeConnection resolveKubeConnection(const KubeConfigOptions& options, const EnvLookup& env, Clock::Ptr clock) {
  if (!options.kubeconfigPath.empty()) {
    return loadKubeConfigFiles({options.kubeconfigPath}, options.context, std::move(clock));
  }
  std::vector<std::string> tried;
  const std::string kubeconfigEnv = env("KUBECONFIG").value_or("");
  if (!kubeconfigEnv.empty()) {
    std::vector<std::string> existing;
    for (const auto& path : splitList(kubeconfigEnv)) {
      std::error_code ec;
      if (fs::exists(path, ec)) existing.push_back(path);
    }
    if (!existing.empty()) return loadKubeConfigFiles(existing, options.context, std::move(clock));
    tried.push_back("KUBECONFIG=" + kubeconfigEnv + " (no such file)");
  } else {
    tried.push_back("KUBECONFIG (not set)");
  }

  const bool inCluster =
      env("KUBERNETES_SERVICE_HOST").value_or("") != "" && env("KUBERNETES_SERVICE_PORT").value_or("") != "";
  if (inCluster) {
    if (!options.context.empty()) {
      throw ConfigException("context \"" + options.context +
                            "\" was given, but there is no kubeconfig "
                            "(running in-cluster, which has no contexts)");
    }
    return inClusterConnection(env, "/var/run/secrets/kubernetes.io/serviceaccount", std::move(clock));
  }
  tried.push_back("in-cluster (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT not set)");

  if (auto home = env("HOME"); home && !home->empty()) {
    std::string path = *home + "/.kube/config";
    std::error_code ec;
    if (fs::exists(path, ec)) return loadKubeConfigFiles({path}, options.context, std::move(clock));
    tried.push_back(path + " (no such file)");
  } else {
    tried.push_back("$HOME/.kube/config (HOME not set)");
  }

  std::string message = "no Kubernetes configuration found; tried ";
  for (std::size_t i = 0; i < tried.size(); ++i) message += (i ? ", " : "") + tried[i];
  message += ". Pass --kubeconfig or set KUBECONFIG.";
  throw ConfigException(message);
}

}  // namespace podmon::kube
