#pragma once

#include <string>

#include "aws/aws_credentials.h"

namespace podmon::aws {

// An STS Query API error answer: <ErrorResponse><Error><Type/><Code/><Message/></Error>...
struct StsError {
  std::string type;     // "Sender" or "Receiver"
  std::string code;     // "InvalidIdentityToken", "ExpiredTokenException", "Throttling", ...
  std::string message;  // as sent (not yet bounded or escaped)
};

// Reads the credentials out of an AssumeRoleWithWebIdentityResponse (XML, as STS documents it).
// Pure. Throws CredentialsError when the XML is malformed or a credential field is missing, with
// a message that quotes none of the body.
AwsCredentials parseAssumeRoleWithWebIdentityResponse(const std::string& xml);

// The error in an STS ErrorResponse; empty fields when the body is not one (a proxy's HTML page).
// Pure; never throws.
StsError parseStsError(const std::string& xml);

}  // namespace podmon::aws
