// The pure parsers of the AWS credential answers: STS XML (success, ErrorResponse, malformed and
// hostile documents), the container/IMDS JSON, and the bounding of service messages.
#include <gtest/gtest.h>

#include "aws/credentials_json.h"
#include "aws/service_message.h"
#include "aws/sts_response.h"
#include "core/rfc3339.h"

namespace podmon::aws {
namespace {

// As documented in the STS API reference (AssumeRoleWithWebIdentity, "Example").
constexpr const char* kStsAnswer =
    R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
    <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2014-10-24T23:00:23Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>www.amazon.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)";

TEST(StsResponse, ReadsTheDocumentedAnswer) {
  const AwsCredentials c = parseAssumeRoleWithWebIdentityResponse(kStsAnswer);
  EXPECT_EQ(c.accessKeyId, "ASgeIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(c.secretAccessKey, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_EQ(c.sessionToken, "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE");
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_EQ(formatRfc3339Seconds(*c.expiration), "2014-10-24T23:00:23Z");
}

TEST(StsResponse, AMissingFieldOrAMalformedDocumentIsACredentialsErrorQuotingNothing) {
  std::string noToken = kStsAnswer;
  noToken.replace(noToken.find("<SessionToken>"), noToken.find("</SessionToken>") + 15 - noToken.find("<SessionToken>"),
                  "");
  EXPECT_THROW(parseAssumeRoleWithWebIdentityResponse(noToken), CredentialsError);
  std::string badTime = kStsAnswer;
  badTime.replace(badTime.find("2014-10-24T23:00:23Z"), 20, "tomorrow");
  EXPECT_THROW(parseAssumeRoleWithWebIdentityResponse(badTime), CredentialsError);
  try {
    parseAssumeRoleWithWebIdentityResponse("<a><SecretAccessKey>hush</SecretAccessKey>");
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(std::string(e.what()).find("hush"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parseAssumeRoleWithWebIdentityResponse(""), CredentialsError);
  EXPECT_THROW(parseAssumeRoleWithWebIdentityResponse("{\"json\": true}"), CredentialsError);
}

TEST(StsResponse, EntityExpansionBombsAreRefused) {
  std::string bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string("<!ENTITY ") + c + " \"" + std::string(10, '&') + "\">";
    std::string refs;
    for (int i = 0; i < 10; ++i) refs += std::string("&") + static_cast<char>(c - 1) + ";";
    bomb.replace(bomb.size() - 12, 10, refs);
  }
  bomb += "]><AssumeRoleWithWebIdentityResponse>&j;</AssumeRoleWithWebIdentityResponse>";
  try {
    parseAssumeRoleWithWebIdentityResponse(bomb);  // 10 GB if expanded
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("not XML"), std::string::npos) << e.what();  // refused, not expanded
  }
  const std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<ErrorResponse><Error><Code>&x;</Code></Error></ErrorResponse>";
  EXPECT_EQ(parseStsError(external).code.find("root:"), std::string::npos);
}

TEST(StsResponse, ReadsTheErrorResponse) {
  const StsError e =
      parseStsError(R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>)"
                    R"(<Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error>)"
                    R"(<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>)");
  EXPECT_EQ(e.type, "Sender");
  EXPECT_EQ(e.code, "InvalidIdentityToken");
  EXPECT_EQ(e.message, "Incorrect token audience");
  EXPECT_TRUE(parseStsError("<html>502 Bad Gateway</html>").code.empty());
  EXPECT_TRUE(parseStsError("not xml at all <").code.empty());
}

TEST(CredentialsJson, ReadsTheContainerAndImdsAnswers) {
  const AwsCredentials container = parseCredentialsJson(
      R"({"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"s3cr3t","Token":"tok","AccountId":"111122223333",)"
      R"("Expiration":"2024-05-01T11:00:00Z"})");
  EXPECT_EQ(container.accessKeyId, "ASIAEXAMPLE");
  EXPECT_EQ(container.secretAccessKey, "s3cr3t");
  EXPECT_EQ(container.sessionToken, "tok");
  EXPECT_EQ(formatRfc3339Seconds(*container.expiration), "2024-05-01T11:00:00Z");
  const AwsCredentials imds = parseCredentialsJson(
      R"({"Code":"Success","LastUpdated":"2024-05-01T10:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIA2",)"
      R"("SecretAccessKey":"s","Token":"t","Expiration":"2024-05-01T16:00:00Z"})");
  EXPECT_EQ(imds.accessKeyId, "ASIA2");
}

TEST(CredentialsJson, RefusesFailuresMissingFieldsAndNonJsonWithoutQuotingSecrets) {
  EXPECT_THROW(parseCredentialsJson(R"({"Code":"AssumeRoleUnauthorizedAccess","AccessKeyId":"A"})"), CredentialsError);
  EXPECT_THROW(parseCredentialsJson(R"({"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"2024-05-01T11:00:00Z"})"),
               CredentialsError);
  EXPECT_THROW(parseCredentialsJson(R"({"AccessKeyId":"A","SecretAccessKey":"s","Token":"t","Expiration":5})"),
               CredentialsError);
  EXPECT_THROW(parseCredentialsJson("[1,2]"), CredentialsError);
  try {
    parseCredentialsJson(R"({"AccessKeyId":"A","SecretAccessKey":"hush","Token":"t"})");
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(std::string(e.what()).find("hush"), std::string::npos);
  }
  EXPECT_EQ(credentialsErrorJson(R"({"code":"InvalidTokenException","message":"bad token"})"),
            "InvalidTokenException: bad token");
  EXPECT_EQ(credentialsErrorJson("<html>"), "");
}

TEST(ServiceMessage, IsBoundedEscapedAndRedactsTheSecretSent) {
  EXPECT_EQ(serviceMessage("token tok123 is bad, tok123!", "tok123"), "token (redacted) is bad, (redacted)!");
  EXPECT_EQ(serviceMessage("a\x1b]0;x\x07\nb"), "a?]0;x? b");
  const std::string longText(1000, 'x');
  EXPECT_EQ(serviceMessage(longText).size(), kMaxServiceMessage + 3);
}

}  // namespace
}  // namespace podmon::aws
