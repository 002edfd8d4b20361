#pragma once

#include <string>

#include "aws/aws_credentials.h"

namespace podmon::aws {

// The JSON credentials answer of the container credentials endpoint (EKS Pod Identity, ECS) and
// of EC2 instance metadata: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration" (RFC 3339)},
// plus "Code" from instance metadata, which must be "Success" when present. Pure. Throws
// CredentialsError when a field is missing or malformed, quoting none of the body.
AwsCredentials parseCredentialsJson(const std::string& json);

// "code: message" from an error answer ({"code","message"} or {"Code","Message"}), bounded and
// escaped for a log line; "" when the body is not such JSON. Pure; never throws.
std::string credentialsErrorJson(const std::string& json);

}  // namespace podmon::aws
