#pragma once

#include <chrono>
#include <string>

#include "aws/credentials_endpoint.h"
#include "aws/credentials_source.h"
#include "core/clock.h"

namespace podmon::aws {

// EC2 instance metadata, IMDSv2 only: PUT /latest/api/token (a session token kept for its 6 h
// TTL), then GET /latest/meta-data/iam/security-credentials/ for the instance profile's role and
// GET .../<role> for its credentials. A 401 (the session token expired or was refused) gets one
// new session token and one more try. Deadlines of 1 s, as the SDKs use, so a machine that is not
// on EC2 fails fast.
class ImdsCredentialsSource : public CredentialsSource {
 public:
  static constexpr const char* kDefaultEndpoint = "http://169.254.169.254";
  static constexpr std::chrono::seconds kTokenTtl{21600};

  // `endpoint`: AWS_EC2_METADATA_SERVICE_ENDPOINT ("" = kDefaultEndpoint). Throws ConfigException
  // when it is not an http(s) URL.
  ImdsCredentialsSource(const std::string& endpoint, Clock::Ptr clock);

  AwsCredentials fetch() override;
  std::string describe() const override;

 private:
  // A GET under the session token; one new token and one more try after a 401. Returns the body
  // of a 200; throws CredentialsError for any other answer.
  std::string getWithToken(const std::string& path, const std::string& what);
  http::HttpResponse sendGet(const std::string& path);
  std::string sessionToken();  // the kept one, or a new one
  [[noreturn]] void fail(const std::string& cause) const;

  CredentialsEndpoint endpoint_;
  std::string basePath_;  // the endpoint URL's path without a trailing '/'
  Clock::Ptr clock_;
  std::string token_;
  std::chrono::steady_clock::time_point tokenRenewAt_{};
};

}  // namespace podmon::aws
