#pragma once

#include <string>

#include "aws/aws_credentials.h"

namespace podmon::aws {

// Credentials given outright (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN): the
// first source of AWS's chain. They never change while podmon runs, so invalidate() does nothing;
// a session token given this way simply fails once it expires (the log says so).
class StaticCredentialsProvider : public CredentialsProvider {
 public:
  // Throws CredentialsError naming the variable when the key id or the secret key is empty.
  explicit StaticCredentialsProvider(AwsCredentials credentials, std::string source = "environment");

  AwsCredentials credentials() override { return credentials_; }
  void invalidate() override {}
  std::string describe() const override;

 private:
  AwsCredentials credentials_;
  std::string source_;
};

}  // namespace podmon::aws
