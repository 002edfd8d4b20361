#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_credentials.h"

// AWS Signature Version 4 (header signing), pure: no I/O, no clock. The steps follow AWS's
// "Create a signed AWS API request" and its published test suite (tests/testdata/
// aws-sigv4-test-suite): canonical request -> string to sign -> signing key -> signature.
//
// Canonical URI: the path as it goes on the wire, dot segments and repeated slashes removed
// (`normalize`, every service but S3), then each byte outside RFC 3986's unreserved set
// percent-encoded, '/' kept. A path already holding %XX is thereby encoded a second time, which is
// what AWS means by "URI-encode each path segment twice" for services other than S3 (botocore does
// the same). podmon's own paths (/_bulk, /_index_template/<name>, /) need no encoding at all.
//
// Canonical query: each name and value percent-decoded, then encoded with the unreserved set
// only, so ',' and '*' become %2C and %2A (`filter_path=errors,items.*.status` is signed as
// `filter_path=errors%2Citems.%2A.status` while the wire keeps the plain form), then sorted by
// name and value.
namespace podmon::aws::sigv4 {

using Headers = std::vector<std::pair<std::string, std::string>>;

// What is signed: every header in `headers` is signed (names case-insensitive; a repeated name
// joins its values with ','), so the caller picks them (host, x-amz-date, ...).
struct SigningInput {
  std::string method;
  std::string target;  // path and query as sent, starting with '/'
  Headers headers;
  std::string payloadHash;  // hex SHA-256 of the body (sha256Hex)
};

// Where and when: the credential scope.
struct SigningScope {
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point time;
  bool normalizePath = true;  // false only for S3
};

// Each intermediate result, for tests and for the Elasticsearch stand-in's 403 answer.
struct SigningResult {
  std::string canonicalRequest;
  std::string stringToSign;
  std::string signedHeaders;  // "host;x-amz-date"
  std::string signature;      // 64 hex digits
  std::string authorization;  // the Authorization header value
};

// Hex (lower case) SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
// Raw HMAC-SHA256 of `data` under `key`.
std::string hmacSha256(std::string_view key, std::string_view data);

// `text` with every byte outside A-Z a-z 0-9 - . _ ~ written %XX (upper-case hex); '/' kept when
// `keepSlash`.
std::string uriEncode(std::string_view text, bool keepSlash);
// %XX sequences decoded; anything else, malformed escapes included, kept as is.
std::string percentDecode(std::string_view text);
std::string canonicalUri(std::string_view path, bool normalize);
std::string canonicalQuery(std::string_view query);
// Lower-cased names sorted, values trimmed with inner runs of whitespace folded to one space.
std::pair<std::string, std::string> canonicalHeaders(const Headers& headers);  // {block, signed names}

// 20150830T123600Z (UTC).
std::string amzDate(std::chrono::system_clock::time_point time);

// The whole signature of `input` with `credentials` (only the key id and secret key are used: a
// session token is signed when the caller put x-amz-security-token into the headers).
SigningResult sign(const SigningInput& input, const AwsCredentials& credentials, const SigningScope& scope);

}  // namespace podmon::aws::sigv4
