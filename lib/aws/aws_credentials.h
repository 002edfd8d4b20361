#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace podmon::aws {

// One set of AWS credentials: static keys, or temporary ones (session token, expiration).
struct AwsCredentials {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string sessionToken;                                         // "" for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // none for long-term keys
};

// No credentials could be had from a source (a file missing, STS refusing, an endpoint down).
// The message names the source and the cause, never a secret.
class CredentialsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a request signer gets its credentials: the environment, web identity through STS, the
// container credentials endpoint, EC2 instance metadata, or a chain of them in AWS's order.
// Implementations are thread-safe: several outbox workers may sign at once.
class CredentialsProvider {
 public:
  using Ptr = std::shared_ptr<CredentialsProvider>;
  virtual ~CredentialsProvider() = default;

  // Current credentials, fetched or refreshed first when there are none yet or they expire within
  // the refresh window. Throws CredentialsError when none can be had.
  virtual AwsCredentials credentials() = 0;

  // Forgets cached temporary credentials, so the next credentials() fetches anew (a 403 from the
  // domain after they expired). Does nothing for long-term keys.
  virtual void invalidate() = 0;

  // Which source, for logs ("environment", "web identity (role arn:aws:iam::1:role/x)"): no secret.
  virtual std::string describe() const = 0;
};

}  // namespace podmon::aws
