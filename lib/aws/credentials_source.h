#pragma once

#include <memory>
#include <string>

#include "aws/aws_credentials.h"

namespace podmon::aws {

// One place temporary credentials are fetched from (STS web identity, the container credentials
// endpoint, EC2 instance metadata), without caching: RefreshingCredentialsProvider decides when to
// call it and calls it from one thread at a time.
class CredentialsSource {
 public:
  using Ptr = std::shared_ptr<CredentialsSource>;
  virtual ~CredentialsSource() = default;

  // Fetches fresh credentials. Throws CredentialsError naming the source and the cause (the
  // server's error code and message, a file that cannot be read, no answer): never a secret.
  virtual AwsCredentials fetch() = 0;

  // Which source, for logs and error messages ("web identity (role arn:...)"): no secret.
  virtual std::string describe() const = 0;
};

}  // namespace podmon::aws
