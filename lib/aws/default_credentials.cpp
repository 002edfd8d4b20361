#include "aws/default_credentials.h"

#include "aws/static_credentials_provider.h"
#include "core/settings.h"

namespace podmon::aws {

CredentialsProvider::Ptr defaultCredentialsProvider(const AwsSettings& settings, Clock::Ptr clock) {
  (void)clock;  // the refreshing sources of the chain read it
  if (!settings.accessKeyId.empty() || !settings.secretAccessKey.empty()) {
    return std::make_shared<StaticCredentialsProvider>(
        AwsCredentials{settings.accessKeyId, settings.secretAccessKey, settings.sessionToken, std::nullopt});
  }
  throw CredentialsError(
      "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary "
      "ones), or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE (IRSA)");
}

}  // namespace podmon::aws
