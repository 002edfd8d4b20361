#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

// How to reach and authenticate to the Kubernetes API, resolved like kubectl does:
// --kubeconfig, then KUBECONFIG (a ':'-separated list, merged), then in-cluster
// (KUBERNETES_SERVICE_HOST/PORT with the service account files), then ~/.kube/config.
namespace podmon::kube {

// Produces the Authorization header value for each request ("" = none). Implementations:
// static bearer token, token file re-read at least every minute, basic auth, exec plugin.
class CredentialSource {
 public:
  using Ptr = std::shared_ptr<CredentialSource>;
  virtual ~CredentialSource() = default;
  // Throws ConfigException when the credential cannot be produced (file unreadable, plugin failed).
  virtual std::string authorizationHeader() = 0;
  // Called after a 401: drop any cached token so the next call fetches a fresh one.
  virtual void invalidate() {}
};

struct KubeConnection {
  std::string server;  // e.g. https://10.0.0.1:443 or http://127.0.0.1:8001
  std::string caPem;   // PEM of the certificate authority ("" = system default)
  bool insecureSkipTlsVerify = false;
  std::string tlsServerName;
  std::string clientCertPem;  // client certificate auth (PEM), with clientKeyPem
  std::string clientKeyPem;
  std::string defaultNamespace;
  CredentialSource::Ptr credentials;  // may be null: no Authorization header
  std::string origin;                 // e.g. "kubeconfig /home/u/.kube/config, context kind-dev" (for logs)
  std::string contextName;            // the kubeconfig context used ("" in-cluster)
  std::string clusterName;            // that context's cluster name ("" in-cluster): CLUSTER_NAME's default
};

struct KubeConfigOptions {
  std::string kubeconfigPath;  // --kubeconfig (empty: KUBECONFIG env, in-cluster, ~/.kube/config)
  std::string context;         // --context (empty: current-context)
};

// Environment lookups go through this so tests can supply their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnv();

// Resolves the connection. Throws ConfigException with one clear message naming the file and the
// field when a kubeconfig is missing or broken.
KubeConnection resolveKubeConnection(const KubeConfigOptions& options, const EnvLookup& env,
                                     Clock::Ptr clock = SystemClock::instance());

// Parses one kubeconfig document (already merged if needed). `path` is used in error messages and
// to resolve relative file references.
KubeConnection parseKubeConfig(const std::string& yamlText, const std::string& path, const std::string& context,
                               Clock::Ptr clock = SystemClock::instance());

// Reads and merges kubeconfig files the way KUBECONFIG lists are merged: the first file that
// defines a cluster, user or context name wins, and the first non-empty current-context wins.
// Relative file references resolve against the directory of the file that made them. Throws
// ConfigException naming the file and the field.
KubeConnection loadKubeConfigFiles(const std::vector<std::string>& paths, const std::string& context,
                                   Clock::Ptr clock = SystemClock::instance());

// In-cluster configuration from KUBERNETES_SERVICE_HOST/PORT and the service account directory.
KubeConnection inClusterConnection(
    const EnvLookup& env, const std::string& serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount",
    Clock::Ptr clock = SystemClock::instance());

}  // namespace podmon::kube
