// The /aws/ paths of sinks-sim's control port drive the AWS credentials stand-in as the e2e
// scripts rely on: every knob, what was issued, and 400/404 for bad requests.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "servers/aws_credentials_test_server.h"
#include "servers/es_test_server.h"
#include "servers/sinks_control_server.h"
#include "servers/slack_test_server.h"

namespace podmon::testing {
namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class AwsControlTest : public ::testing::Test {
 protected:
  void SetUp() override { control_.setAws(&aws_); }
  int status(const std::string& path) { return control_.handle(path).status; }

  EsTestServer es_;
  SlackTestServer slack_;
  AwsCredentialsTestServer aws_;
  SinksControlServer control_{es_, slack_};
};

TEST_F(AwsControlTest, KnobsReachTheStandIn) {
  ASSERT_EQ(status("/aws/sts/token?value=tok-2"), 200);
  ASSERT_EQ(status("/aws/lifetime?seconds=120"), 200);
  auto replyTo = [&](const std::string& token) {
    AwsCredentialsTestServer::Request request{
        "POST",
        "/",
        {{"content-type", "application/x-www-form-urlencoded"}},
        std::string("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::1:role/r") +
            "&RoleSessionName=s&WebIdentityToken=" + token};
    return aws_.handle(request);
  };
  EXPECT_EQ(replyTo("tok-1").status, 400);
  EXPECT_EQ(replyTo("tok-2").status, 200);
  ASSERT_EQ(status("/aws/sts/fail?code=AccessDenied&n=1"), 200);
  EXPECT_EQ(replyTo("tok-2").status, 403);
  EXPECT_EQ(replyTo("tok-2").status, 200);

  const auto credentials = json(control_.handle("/aws/credentials").body);
  EXPECT_EQ(credentials->getArray("issued")->size(), 2u);
  const auto current = credentials->getObject("current");
  ASSERT_TRUE(current);
  EXPECT_EQ(current->getValue<std::string>("access_key_id"), aws_.issued().back().accessKeyId);
  EXPECT_EQ(current->getValue<std::string>("secret_access_key"), aws_.issued().back().secretAccessKey);
  EXPECT_EQ(current->getValue<std::string>("session_token"), aws_.issued().back().sessionToken);
  EXPECT_EQ(current->getValue<std::string>("via"), "sts");
  EXPECT_EQ(json(control_.handle("/aws/requests").body)->getValue<int>("sts"), 4);

  ASSERT_EQ(status("/aws/container/authorization?value=abc"), 200);
  EXPECT_EQ(aws_.handle({"GET", "/v1/credentials", {{"authorization", "xyz"}}, ""}).status, 401);
  ASSERT_EQ(status("/aws/container/fail?status=503&n=1"), 200);
  EXPECT_EQ(aws_.handle({"GET", "/v1/credentials", {{"authorization", "abc"}}, ""}).status, 503);
  EXPECT_EQ(aws_.handle({"GET", "/v1/credentials", {{"authorization", "abc"}}, ""}).status, 200);

  const auto token = aws_.handle({"PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}}, ""});
  ASSERT_EQ(token.status, 200);
  const std::string rolePath = "/latest/meta-data/iam/security-credentials/";
  EXPECT_EQ(aws_.handle({"GET", rolePath, {{"x-aws-ec2-metadata-token", token.body}}, ""}).body,
            AwsCredentialsTestServer::kRole);
  ASSERT_EQ(status("/aws/imds/expire-tokens"), 200);
  EXPECT_EQ(aws_.handle({"GET", rolePath, {{"x-aws-ec2-metadata-token", token.body}}, ""}).status, 401);
  EXPECT_EQ(aws_.handle({"GET", rolePath, {}, ""}).status, 401);

  ASSERT_EQ(status("/aws/down"), 200);
  ASSERT_EQ(status("/aws/up"), 200);
}

TEST_F(AwsControlTest, BadRequestsAreNamed) {
  const auto reply = control_.handle("/aws/lifetime?seconds=soon");
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("seconds"), std::string::npos);
  EXPECT_EQ(status("/aws/nothing"), 404);
  SinksControlServer withoutAws(es_, slack_);
  EXPECT_EQ(withoutAws.handle("/aws/credentials").status, 404);
}

}  // namespace
}  // namespace podmon::testing
