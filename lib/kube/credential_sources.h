#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "kube/kube_config.h"

// The ways a kubeconfig or the in-cluster environment can authenticate us, each behind the
// CredentialSource interface so the transport only ever asks for a header value.
namespace podmon::kube {

// Reads a whole (small) file. Throws std::runtime_error with the OS reason, never the content.
std::string readWholeFile(const std::string& path);

// A bearer token written literally in the kubeconfig: it never changes.
class StaticTokenSource : public CredentialSource {
 public:
  explicit StaticTokenSource(std::string token);
  std::string authorizationHeader() override;

 private:
  std::string header_;
};

// A bearer token kept in a file that someone else rotates (the kubelet rotates projected
// service account tokens). Like client-go, the file is re-read at least every refresh period
// and after a 401; when a re-read fails the last good token is kept.
class TokenFileSource : public CredentialSource {
 public:
  static constexpr std::chrono::seconds kDefaultRefresh{60};

  TokenFileSource(std::string path, Clock::Ptr clock, std::chrono::seconds refresh = kDefaultRefresh);
  // Throws ConfigException naming the file when it cannot be read or is empty and no earlier
  // token is cached.
  std::string authorizationHeader() override;
  void invalidate() override;

 private:
  std::string path_;
  Clock::Ptr clock_;
  std::chrono::seconds refresh_;
  std::mutex mutex_;
  std::string token_;
  std::optional<std::chrono::steady_clock::time_point> readAt_;
};

// HTTP basic auth from kubeconfig username/password.
class BasicAuthSource : public CredentialSource {
 public:
  BasicAuthSource(const std::string& username, const std::string& password);
  std::string authorizationHeader() override;

 private:
  std::string header_;
};

// The `users[].user.exec` block of a kubeconfig.
struct ExecPluginConfig {
  std::string apiVersion;  // client.authentication.k8s.io/v1 or v1beta1
  std::string command;     // absolute, relative to the kubeconfig dir (if it has a '/'), or on PATH
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to the process environment
  std::string installHint;                               // shown when the command cannot be found
};

// Runs a client-go credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin ...)
// and caches the ExecCredential token until shortly before its expirationTimestamp, because
// plugins are slow (often a network round trip). invalidate() (after a 401) forces a re-run.
// The plugin's run time is bounded by `timeout`; failures name the command and quote its stderr.
class ExecCredentialSource : public CredentialSource {
 public:
  static constexpr std::chrono::seconds kDefaultTimeout{30};
  // A token is refreshed this long before it expires, so requests never race its expiry.
  static constexpr std::chrono::seconds kExpiryMargin{10};

  ExecCredentialSource(ExecPluginConfig config, Clock::Ptr clock, std::chrono::milliseconds timeout = kDefaultTimeout);
  // Throws ConfigException when the plugin cannot be run, fails, times out or prints an
  // unusable ExecCredential. The message never contains the plugin's stdout (it holds secrets).
  std::string authorizationHeader() override;
  void invalidate() override;

 private:
  void runPlugin();

  ExecPluginConfig config_;
  Clock::Ptr clock_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::string token_;
  std::optional<std::chrono::system_clock::time_point> expiry_;
};

}  // namespace podmon::kube
