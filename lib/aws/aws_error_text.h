#pragma once

#include <string>
#include <string_view>

// Reading AWS's authentication errors, pure. AWS's 403 "signature does not match" answer echoes
// the canonical request it expected, session token included when one was signed: that text must
// never be logged or stored.
namespace podmon::aws {

// What an AWS 401/403 answer says about the request's credentials.
enum class AwsAuthError {
  kNone,               // not an authentication error AWS words this way
  kSignatureMismatch,  // "The request signature we calculated does not match ..."
  kTokenExpired,       // "The security token included in the request is expired"
  kTokenInvalid,       // "The security token included in the request is invalid." (unknown key id)
};
AwsAuthError classifyAwsAuthError(std::string_view body);

// `text` with the canonical request and string to sign AWS echoes cut off, and any
// x-amz-security-token value, X-Amz-Credential secret part or signature masked: safe to log and
// to store as an outbox item's last error.
std::string redactAwsErrorText(std::string_view text);

}  // namespace podmon::aws
