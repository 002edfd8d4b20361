#include "aws/credentials_chain.h"

#include <algorithm>
#include <cctype>

#include "aws/container_credentials_source.h"
#include "aws/imds_credentials_source.h"
#include "aws/refreshing_credentials_provider.h"
#include "aws/static_credentials_provider.h"
#include "aws/web_identity_credentials_source.h"
#include "core/errors.h"

namespace podmon::aws {

namespace {

void requireBoth(bool first, const char* firstName, bool second, const char* secondName) {
  if (first != second) {
    throw CredentialsError(std::string(first ? firstName : secondName) + " is set but " +
                           (first ? secondName : firstName) + " is not: set both, or neither");
  }
}

CredentialsProvider::Ptr refreshing(CredentialsSource::Ptr source, Clock::Ptr clock) {
  return std::make_shared<RefreshingCredentialsProvider>(std::move(source), std::move(clock));
}

bool onlyOf(const std::string& text, const std::string& allowedPunctuation) {
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || allowedPunctuation.find(c) != std::string::npos;
  });
}

// What STS would refuse at every refresh is refused at start-up instead.
void checkWebIdentitySettings(const AwsSettings& settings) {
  const std::string& name = settings.roleSessionName;
  if (!name.empty() && (name.size() < 2 || name.size() > 64 || !onlyOf(name, "_+=,.@-"))) {
    throw ConfigException("AWS_ROLE_SESSION_NAME must be 2 to 64 letters, digits or _+=,.@- (as STS requires)");
  }
  if (settings.stsEndpoint.empty() && !onlyOf(settings.region, "-")) {
    throw ConfigException("AWS_REGION '" + settings.region + "' is not a region name (like eu-west-1)");
  }
}

CredentialsSource::Ptr webIdentity(const AwsSettings& settings) {
  checkWebIdentitySettings(settings);
  WebIdentityCredentialsSource::Options options;
  options.roleArn = settings.roleArn;
  options.tokenFile = settings.webIdentityTokenFile;
  options.sessionName = settings.roleSessionName;
  options.stsUrl = settings.stsEndpoint.empty() ? WebIdentityCredentialsSource::regionalStsUrl(settings.region)
                                                : settings.stsEndpoint;
  return std::make_shared<WebIdentityCredentialsSource>(std::move(options));
}

}  // namespace

CredentialsProvider::Ptr makeCredentialsChain(const AwsSettings& settings, Clock::Ptr clock) {
  requireBoth(!settings.accessKeyId.empty(), "AWS_ACCESS_KEY_ID", !settings.secretAccessKey.empty(),
              "AWS_SECRET_ACCESS_KEY");
  if (!settings.accessKeyId.empty()) {
    return std::make_shared<StaticCredentialsProvider>(
        AwsCredentials{settings.accessKeyId, settings.secretAccessKey, settings.sessionToken, std::nullopt});
  }
  requireBoth(!settings.roleArn.empty(), "AWS_ROLE_ARN", !settings.webIdentityTokenFile.empty(),
              "AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!settings.roleArn.empty()) return refreshing(webIdentity(settings), std::move(clock));
  if (!settings.containerCredentialsUri.empty()) {
    return refreshing(
        std::make_shared<ContainerCredentialsSource>(settings.containerCredentialsUri, settings.containerAuthTokenFile),
        std::move(clock));
  }
  if (!settings.ec2MetadataDisabled) {
    return refreshing(std::make_shared<ImdsCredentialsSource>(settings.ec2MetadataEndpoint, clock), clock);
  }
  throw CredentialsError(
      "no AWS credentials for signing: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_ROLE_ARN and "
      "AWS_WEB_IDENTITY_TOKEN_FILE (IRSA), or AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity), or let "
      "EC2 instance metadata serve them (AWS_EC2_METADATA_DISABLED is true)");
}

}  // namespace podmon::aws
