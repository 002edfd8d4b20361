#pragma once

// THE SEAM FOR AWS'S CREDENTIAL CHAIN. defaultCredentialsProvider() is what the Elasticsearch
// wiring (pipeline/es_request_signing) calls when ELASTICSEARCH_AWS_SIGV4 is on; its signature is
// meant to stay as it is. Its body is AWS's chain (aws/credentials_chain.h): environment -> web
// identity through STS -> container credentials -> EC2 instance metadata.

#include "aws/aws_credentials.h"
#include "core/clock.h"

namespace podmon {
struct AwsSettings;
}

namespace podmon::aws {

// The credentials AWS's SDKs would use for these settings. Builds the provider only: nothing is
// fetched yet. Throws CredentialsError, naming the variables to set, when no source is
// configured at all or one is half configured (a key id without its secret key).
CredentialsProvider::Ptr defaultCredentialsProvider(const AwsSettings& settings, Clock::Ptr clock);

}  // namespace podmon::aws
