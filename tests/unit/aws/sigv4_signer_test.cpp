#include "aws/sigv4_signer.h"

#include <gtest/gtest.h>

#include "core/rfc3339.h"
#include "support/sigv4_test_suite.h"

namespace podmon::aws::sigv4 {
namespace {

using testing::loadSigv4SuiteCase;
using testing::sigv4SuiteCaseNames;

class Sigv4SuiteTest : public ::testing::TestWithParam<std::string> {};

// Every case of AWS's published suite: canonical request, string to sign and signature.
TEST_P(Sigv4SuiteTest, MatchesThePublishedResults) {
  const auto c = loadSigv4SuiteCase(GetParam());
  const SigningResult result = sign(testing::sigv4SuiteInput(c), c.credentials, c.scope);
  EXPECT_EQ(result.canonicalRequest, c.canonicalRequest);
  EXPECT_EQ(result.stringToSign, c.stringToSign);
  EXPECT_EQ(result.signature, c.signature);
}

std::string caseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(AwsTestSuite, Sigv4SuiteTest, ::testing::ValuesIn(sigv4SuiteCaseNames()), caseName);

TEST(Sigv4SuiteCasesTest, AllCasesAreThere) { EXPECT_EQ(sigv4SuiteCaseNames().size(), 38U); }

TEST(Sigv4SignerTest, AuthorizationHeaderOfTheVanillaCase) {
  const auto c = loadSigv4SuiteCase("get-vanilla-with-session-token");
  const SigningResult result = sign(testing::sigv4SuiteInput(c), c.credentials, c.scope);
  EXPECT_EQ(result.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-amz-security-token, "
            "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
}

// podmon's own bulk path: ',' and '*' are encoded in the canonical query (a common signer bug).
TEST(Sigv4SignerTest, BulkFilterPathIsEncodedInTheCanonicalQuery) {
  EXPECT_EQ(canonicalQuery("filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason"),
            "filter_path=errors%2Citems.%2A.status%2Citems.%2A.error.type%2Citems.%2A.error.reason");
  EXPECT_EQ(canonicalQuery("filter_path=errors%2Citems.%2A.status"), "filter_path=errors%2Citems.%2A.status");
}

TEST(Sigv4SignerTest, BulkRequestCanonicalRequest) {
  SigningInput input{"POST", "/_bulk?filter_path=errors,items.*.status", {}, sha256Hex("{}\n")};
  input.headers = {{"Host", "search-x.us-east-1.es.amazonaws.com"},
                   {"X-Amz-Date", "20150830T123600Z"},
                   {"X-Amz-Content-Sha256", input.payloadHash},
                   {"Content-Type", "application/x-ndjson"}};
  AwsCredentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
  SigningScope scope{"us-east-1", "es", parseRfc3339("2015-08-30T12:36:00Z").value(), true};
  const SigningResult result = sign(input, credentials, scope);
  EXPECT_EQ(result.canonicalRequest,
            "POST\n/_bulk\nfilter_path=errors%2Citems.%2A.status\n"
            "content-type:application/x-ndjson\nhost:search-x.us-east-1.es.amazonaws.com\n"
            "x-amz-content-sha256:" +
                input.payloadHash + "\nx-amz-date:20150830T123600Z\n\n" +
                "content-type;host;x-amz-content-sha256;x-amz-date\n" + input.payloadHash);
  EXPECT_EQ(result.stringToSign, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/es/aws4_request\n" +
                                     sha256Hex(result.canonicalRequest));
}

TEST(Sigv4SignerTest, QueryIsSortedAndValuesDecodedOnce) {
  EXPECT_EQ(canonicalQuery("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
  EXPECT_EQ(canonicalQuery("q=a+b%20c&x=%zz"), "q=a%2Bb%20c&x=%25zz");
  EXPECT_EQ(canonicalQuery(""), "");
}

TEST(Sigv4SignerTest, PathAlreadyEncodedIsEncodedAgain) {
  // Services other than S3 sign the path as sent, encoded once more (AWS's "encode twice").
  EXPECT_EQ(canonicalUri("/my%20index/_doc", true), "/my%2520index/_doc");
  EXPECT_EQ(canonicalUri("/a/./b/../c//", true), "/a/c/");
  EXPECT_EQ(canonicalUri("", true), "/");
  EXPECT_EQ(canonicalUri("/a//b", false), "/a//b");
}

TEST(Sigv4SignerTest, HashesAndHmacMatchKnownValues) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 4231 test case 2.
  const std::string mac = hmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(sha256Hex(mac).size(), 64U);
  std::string hex;
  for (unsigned char ch : mac) {
    const char* digits = "0123456789abcdef";
    hex += digits[ch >> 4];
    hex += digits[ch & 15];
  }
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace podmon::aws::sigv4
