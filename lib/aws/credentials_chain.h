#pragma once

#include "aws/aws_credentials.h"
#include "core/clock.h"
#include "core/settings.h"

namespace podmon::aws {

// The credentials source AWS users expect, picked once in the AWS SDKs' order from what is
// configured, and kept (describe() names it):
//   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)
//   2. web identity (IRSA): AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, through STS
//      (AWS_ENDPOINT_URL_STS, else the regional endpoint of AWS_REGION)
//   3. container credentials (EKS Pod Identity): AWS_CONTAINER_CREDENTIALS_FULL_URI
//      (+ AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)
//   4. EC2 instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED
// Temporary credentials (2-4) are kept and refreshed by RefreshingCredentialsProvider on `clock`.
// Builds the providers only: nothing is fetched yet. Throws CredentialsError, naming the variables
// to set, when a source is half configured (a key id without its secret, a role without its token
// file) or nothing is configured; ConfigException naming the setting when a URL is unusable.
CredentialsProvider::Ptr makeCredentialsChain(const AwsSettings& settings, Clock::Ptr clock);

}  // namespace podmon::aws
