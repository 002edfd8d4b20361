#pragma once

#include <string>
#include <utility>

#include "servers/aws_credentials_test_server.h"

namespace podmon::testing {

// The /aws/ paths of sinks-sim's control port (SinksControlServer hands them here), so e2e
// scripts drive the AWS credentials stand-in:
//   POST /aws/sts/token?value=T             the web identity token STS accepts ("" = any)
//   POST /aws/sts/fail?code=C&n=N           next N STS requests fail with error code C
//                                           (InvalidIdentityToken, ExpiredTokenException, AccessDenied,
//                                           IDPCommunicationError, Throttling; "" clears)
//   POST /aws/container/authorization?value=V   the Authorization the container endpoint wants
//   POST /aws/container/fail?status=S&n=N   next N container requests fail with S
//   POST /aws/imds/expire-tokens            every IMDS session token so far is refused (401)
//   POST /aws/lifetime?seconds=S            credentials issued from now on expire S after issue
//   POST /aws/down, /aws/up                 refuse connections / serve again (same port)
//   GET  /aws/credentials                   {"current": {...} or null, "issued": [{"access_key_id",
//                                           "secret_access_key","session_token","expiration","via"}]}
//   GET  /aws/requests                      {"sts":N,"container":N,"imds_token":N,"imds":N}
// Returns {status, JSON body}; bad parameters get a 400 naming them.
std::pair<int, std::string> handleAwsControl(AwsCredentialsTestServer& aws, const std::string& pathAndQuery);

}  // namespace podmon::testing
