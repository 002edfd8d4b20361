#pragma once

#include <string>

#include "aws/credentials_endpoint.h"
#include "aws/credentials_source.h"

namespace podmon::aws {

// IRSA: exchanges the Kubernetes service account token (AWS_WEB_IDENTITY_TOKEN_FILE, read anew at
// every fetch because the kubelet rotates it) for temporary credentials of AWS_ROLE_ARN through
// STS AssumeRoleWithWebIdentity (Query API, 2011-06-15, form POST, unsigned). The Expiration STS
// returns is what counts, whatever duration STS chose.
class WebIdentityCredentialsSource : public CredentialsSource {
 public:
  struct Options {
    std::string roleArn;
    std::string tokenFile;
    std::string sessionName;  // "" = podmon-<epoch ms> at construction
    std::string stsUrl;       // AWS_ENDPOINT_URL_STS, else https://sts.<region>.amazonaws.com
  };

  // The regional STS endpoint for `region` ("" = the global https://sts.amazonaws.com).
  static std::string regionalStsUrl(const std::string& region);

  // Throws ConfigException when the STS URL is not usable.
  explicit WebIdentityCredentialsSource(Options options);

  AwsCredentials fetch() override;
  std::string describe() const override;

 private:
  std::string requestBody(const std::string& token) const;
  [[noreturn]] void throwAnswerError(int status, const std::string& body, const std::string& token) const;

  Options options_;
  CredentialsEndpoint sts_;
};

}  // namespace podmon::aws
