#include "aws/aws_error_text.h"

#include <gtest/gtest.h>

namespace podmon::aws {
namespace {

const std::string kToken = "FwoGZXIvYXdzEBYaDEXAMPLETOKENxyz";

// AWS's answer to a wrong signature, as the Elasticsearch stand-in and the real service send it.
const std::string kMismatch =
    R"({"message":"The request signature we calculated does not match the signature you provided. Check your AWS )"
    R"(Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical )"
    R"(String for this request should have been\n'POST\n/_bulk\nfilter_path=errors%2Citems.%2A.status\nhost:x\n)"
    R"(x-amz-security-token:)" +
    kToken +
    R"(\n\nhost;x-amz-security-token\nabc'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n...'\n"})";

TEST(AwsErrorTextTest, ClassifiesAwsAnswers) {
  EXPECT_EQ(classifyAwsAuthError(kMismatch), AwsAuthError::kSignatureMismatch);
  EXPECT_EQ(classifyAwsAuthError(R"({"message":"The security token included in the request is expired"})"),
            AwsAuthError::kTokenExpired);
  EXPECT_EQ(classifyAwsAuthError(R"({"message":"The security token included in the request is invalid."})"),
            AwsAuthError::kTokenInvalid);
  EXPECT_EQ(classifyAwsAuthError(R"({"error":"forbidden"})"), AwsAuthError::kNone);
}

TEST(AwsErrorTextTest, EchoedCanonicalRequestIsCutOff) {
  const std::string redacted = redactAwsErrorText(kMismatch);
  EXPECT_EQ(redacted.find(kToken), std::string::npos);
  EXPECT_EQ(redacted.find("Canonical String"), std::string::npos);
  EXPECT_NE(redacted.find("The request signature we calculated does not match"), std::string::npos);
  EXPECT_NE(redacted.find("not shown"), std::string::npos);
}

TEST(AwsErrorTextTest, TokensAndSignaturesElsewhereAreMasked) {
  const std::string text = "X-Amz-Security-Token: " + kToken + " and Signature=0123abcd, done";
  const std::string redacted = redactAwsErrorText(text);
  EXPECT_EQ(redacted, "X-Amz-Security-Token: [REDACTED] and Signature=[REDACTED], done");
}

}  // namespace
}  // namespace podmon::aws
