#pragma once

#include <string>

#include "aws/aws_credentials.h"

namespace podmon::aws {

// Long-term keys (or a fixed session) from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN: nothing to fetch or refresh. (Minimal version for the credentials chain;
// the signer branch has the full one.)
class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(AwsCredentials credentials) : credentials_(std::move(credentials)) {}

  AwsCredentials credentials() override { return credentials_; }
  void invalidate() override {}
  std::string describe() const override { return "environment (access key " + credentials_.accessKeyId + ")"; }

 private:
  AwsCredentials credentials_;
};

}  // namespace podmon::aws
