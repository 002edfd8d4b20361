#include "aws/container_credentials_source.h"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>

#include <chrono>

#include "aws/credentials_json.h"
#include "aws/service_message.h"
#include "core/errors.h"

namespace podmon::aws {

namespace {

constexpr std::chrono::milliseconds kContainerTimeout{2000};

}  // namespace

bool ContainerCredentialsSource::isAllowedHttpHost(const std::string& host) {
  if (host == "localhost") return true;
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(host, address)) return false;
  if (address.isLoopback()) return true;
  for (const char* agent : {"169.254.170.2", "169.254.170.23", "fd00:ec2::23"}) {
    if (address == Poco::Net::IPAddress(agent)) return true;
  }
  return false;
}

ContainerCredentialsSource::ContainerCredentialsSource(const std::string& fullUri, std::string authorizationTokenFile)
    : endpoint_(CredentialsEndpoint::fromUrl(fullUri, "AWS_CONTAINER_CREDENTIALS_FULL_URI", kContainerTimeout)),
      tokenFile_(std::move(authorizationTokenFile)) {
  if (endpoint_.scheme == "http" && !isAllowedHttpHost(endpoint_.host)) {
    throw ConfigException(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is allowed only to a loopback address or "
        "the EKS/ECS agent (169.254.170.2, 169.254.170.23, fd00:ec2::23), not to " +
        endpoint_.host + "; use https");
  }
}

std::string ContainerCredentialsSource::describe() const {
  return "container credentials (" + endpoint_.client->describe() + ")";
}

AwsCredentials ContainerCredentialsSource::fetch() {
  http::HttpRequest request;
  request.target = endpoint_.target;
  request.setHeader("Accept", "application/json");
  std::string token;
  if (!tokenFile_.empty()) {
    token = readTokenFile(tokenFile_, describe() + ": the container authorization token file");
    if (token.find_first_of("\r\n") != std::string::npos) {
      throw CredentialsError(describe() + ": the container authorization token file " + tokenFile_ +
                             " holds a line break");
    }
    request.setHeader("Authorization", token);
  }
  http::HttpResponse response;
  try {
    response = endpoint_.client->send(std::move(request));
  } catch (const Poco::Exception& e) {
    throw CredentialsError(describe() + ": no answer: " + serviceMessage(e.displayText(), token));
  }
  if (response.status != 200) {
    const std::string error = credentialsErrorJson(response.body);
    throw CredentialsError(describe() + ": answered " + std::to_string(response.status) +
                           (error.empty() ? "" : " " + serviceMessage(error, token)));
  }
  try {
    return parseCredentialsJson(response.body);
  } catch (const CredentialsError& e) {
    throw CredentialsError(describe() + ": " + e.what());
  }
}

}  // namespace podmon::aws
