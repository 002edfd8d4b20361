#include "aws/web_identity_credentials_source.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>

#include "aws/service_message.h"
#include "aws/sts_response.h"

namespace podmon::aws {

namespace {

constexpr std::chrono::milliseconds kStsTimeout{5000};

std::string formEncode(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]~", out);  // everything but unreserved characters
  return out;
}

std::string defaultSessionName() {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return "podmon-" + std::to_string(ms.count());
}

}  // namespace

std::string WebIdentityCredentialsSource::regionalStsUrl(const std::string& region) {
  return region.empty() ? "https://sts.amazonaws.com" : "https://sts." + region + ".amazonaws.com";
}

WebIdentityCredentialsSource::WebIdentityCredentialsSource(Options options)
    : options_(std::move(options)),
      sts_(CredentialsEndpoint::fromUrl(options_.stsUrl, "AWS_ENDPOINT_URL_STS", kStsTimeout)) {
  if (options_.sessionName.empty()) options_.sessionName = defaultSessionName();
}

std::string WebIdentityCredentialsSource::describe() const {
  return "web identity (role " + options_.roleArn + " through STS at " + sts_.client->describe() + ")";
}

std::string WebIdentityCredentialsSource::requestBody(const std::string& token) const {
  return "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + formEncode(options_.roleArn) +
         "&RoleSessionName=" + formEncode(options_.sessionName) + "&WebIdentityToken=" + formEncode(token);
}

AwsCredentials WebIdentityCredentialsSource::fetch() {
  const std::string token = readTokenFile(options_.tokenFile, describe() + ": the web identity token file");
  http::HttpRequest request;
  request.method = "POST";
  request.target = sts_.target;
  request.contentType = "application/x-www-form-urlencoded; charset=utf-8";
  request.setHeader("Accept", "text/xml");
  request.body = requestBody(token);
  http::HttpResponse response;
  try {
    response = sts_.client->send(std::move(request));
  } catch (const Poco::Exception& e) {
    throw CredentialsError(describe() + ": no answer: " + serviceMessage(e.displayText(), token));
  }
  if (response.status != 200) throwAnswerError(response.status, response.body, token);
  try {
    return parseAssumeRoleWithWebIdentityResponse(response.body);
  } catch (const CredentialsError& e) {
    throw CredentialsError(describe() + ": " + e.what());
  }
}

void WebIdentityCredentialsSource::throwAnswerError(int status, const std::string& body,
                                                    const std::string& token) const {
  const StsError error = parseStsError(body);
  std::string cause = "STS answered " + std::to_string(status);
  if (!error.code.empty()) cause += " " + serviceMessage(error.code, token);
  if (!error.message.empty()) cause += ": " + serviceMessage(error.message, token);
  throw CredentialsError(describe() + ": " + cause);
}

}  // namespace podmon::aws
