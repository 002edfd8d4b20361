#pragma once

#include <string>

#include "aws/credentials_endpoint.h"
#include "aws/credentials_source.h"

namespace podmon::aws {

// EKS Pod Identity (and ECS): GET AWS_CONTAINER_CREDENTIALS_FULL_URI with the content of
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read anew at every fetch: the agent rotates it) as
// Authorization. Like the AWS SDKs, plain http only to a loopback address or the EKS/ECS
// link-local agent (169.254.170.2, 169.254.170.23, fd00:ec2::23); anything else must be https.
class ContainerCredentialsSource : public CredentialsSource {
 public:
  // Throws ConfigException when the URI is not usable or is plain http to another host.
  ContainerCredentialsSource(const std::string& fullUri, std::string authorizationTokenFile);

  // Whether plain http to `host` is allowed (loopback or the agents' link-local addresses).
  static bool isAllowedHttpHost(const std::string& host);

  AwsCredentials fetch() override;
  std::string describe() const override;

 private:
  CredentialsEndpoint endpoint_;
  std::string tokenFile_;
};

}  // namespace podmon::aws
