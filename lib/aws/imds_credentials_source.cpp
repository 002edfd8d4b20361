#include "aws/imds_credentials_source.h"

#include <Poco/Exception.h>

#include "aws/credentials_json.h"
#include "aws/service_message.h"

namespace podmon::aws {

namespace {

constexpr std::chrono::milliseconds kImdsTimeout{1000};
constexpr const char* kCredentialsPath = "/latest/meta-data/iam/security-credentials/";

}  // namespace

ImdsCredentialsSource::ImdsCredentialsSource(const std::string& endpoint, Clock::Ptr clock)
    : endpoint_(CredentialsEndpoint::fromUrl(endpoint.empty() ? kDefaultEndpoint : endpoint,
                                             "AWS_EC2_METADATA_SERVICE_ENDPOINT", kImdsTimeout)),
      clock_(std::move(clock)) {
  basePath_ = endpoint_.target.substr(0, endpoint_.target.find('?'));
  while (!basePath_.empty() && basePath_.back() == '/') basePath_.pop_back();
}

std::string ImdsCredentialsSource::describe() const {
  return "EC2 instance metadata (" + endpoint_.client->describe() + ")";
}

void ImdsCredentialsSource::fail(const std::string& cause) const { throw CredentialsError(describe() + ": " + cause); }

AwsCredentials ImdsCredentialsSource::fetch() {
  std::string role = getWithToken(kCredentialsPath, "the instance profile's role");
  role = role.substr(0, role.find_first_of("\r\n"));
  if (role.empty()) fail("no instance profile role is attached");
  if (role.find_first_of("/?#% ") != std::string::npos) fail("the role name it gave is not a role name");
  const std::string body = getWithToken(kCredentialsPath + role, "the role's credentials");
  try {
    return parseCredentialsJson(body);
  } catch (const CredentialsError& e) {
    fail(e.what());
  }
}

std::string ImdsCredentialsSource::sessionToken() {
  if (!token_.empty() && clock_->steadyNow() < tokenRenewAt_) return token_;
  http::HttpRequest request;
  request.method = "PUT";
  request.target = basePath_ + "/latest/api/token";
  request.setHeader("X-aws-ec2-metadata-token-ttl-seconds", std::to_string(kTokenTtl.count()));
  const auto askedAt = clock_->steadyNow();
  http::HttpResponse response;
  try {
    response = endpoint_.client->send(std::move(request));
  } catch (const Poco::Exception& e) {
    fail("no answer for a session token: " + serviceMessage(e.displayText()));
  }
  if (response.status != 200) fail("answered " + std::to_string(response.status) + " for a session token");
  if (response.body.empty() || response.body.find_first_of("\r\n") != std::string::npos) {
    fail("its session token is empty or holds a line break");
  }
  token_ = response.body;
  tokenRenewAt_ = askedAt + kTokenTtl - std::chrono::minutes(1);
  return token_;
}

http::HttpResponse ImdsCredentialsSource::sendGet(const std::string& path) {
  http::HttpRequest request;
  request.target = basePath_ + path;
  request.setHeader("X-aws-ec2-metadata-token", sessionToken());
  try {
    return endpoint_.client->send(std::move(request));
  } catch (const Poco::Exception& e) {
    fail("no answer: " + serviceMessage(e.displayText(), token_));
  }
}

std::string ImdsCredentialsSource::getWithToken(const std::string& path, const std::string& what) {
  http::HttpResponse response = sendGet(path);
  if (response.status == 401) {
    token_.clear();  // expired or refused: one new session token, one more try
    response = sendGet(path);
  }
  if (response.status == 404) fail("has no " + what + " (404: no instance profile?)");
  if (response.status != 200) fail("answered " + std::to_string(response.status) + " for " + what);
  return response.body;
}

}  // namespace podmon::aws
