#include "pipeline/es_request_signing.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/settings.h"

namespace podmon::pipeline {
namespace {

Settings sigv4Settings() {
  Settings settings;
  settings.elasticsearch.url = "https://search-x.eu-west-1.es.amazonaws.com";
  settings.aws.sigv4 = true;
  settings.aws.service = "es";
  settings.aws.region = "eu-west-1";
  settings.aws.accessKeyId = "AKIDEXAMPLE";
  settings.aws.secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return settings;
}

std::string configError(const Settings& settings) {
  try {
    esRequestSigning(settings, SystemClock::instance());
  } catch (const ConfigException& e) {
    return e.message();
  }
  return "";
}

TEST(EsRequestSigningTest, OffGivesNoSigner) {
  Settings settings = sigv4Settings();
  settings.aws.sigv4 = false;
  EXPECT_EQ(esRequestSigning(settings, SystemClock::instance()).signer, nullptr);
}

TEST(EsRequestSigningTest, OnGivesASignerAndSaysSo) {
  const auto signing = esRequestSigning(sigv4Settings(), SystemClock::instance());
  ASSERT_NE(signing.signer, nullptr);
  EXPECT_EQ(signing.startupNote, ", signed with SigV4 (service es, region eu-west-1, credentials: environment)");
}

TEST(EsRequestSigningTest, MissingRegionNamesAwsRegion) {
  Settings settings = sigv4Settings();
  settings.aws.region = "";
  EXPECT_NE(configError(settings).find("set AWS_REGION"), std::string::npos);
}

TEST(EsRequestSigningTest, BasicAuthOrApiKeyWithSigV4IsRefused) {
  Settings settings = sigv4Settings();
  settings.elasticsearch.username = "elastic";
  EXPECT_NE(configError(settings).find("not both"), std::string::npos);
  settings = sigv4Settings();
  settings.elasticsearch.apiKey = "abc";
  EXPECT_NE(configError(settings).find("not both"), std::string::npos);
  settings = sigv4Settings();
  settings.elasticsearch.url = "https://user:pw@search-x";
  EXPECT_NE(configError(settings).find("not both"), std::string::npos);
}

TEST(EsRequestSigningTest, NoCredentialsNamesTheVariables) {
  Settings settings = sigv4Settings();
  settings.aws.accessKeyId = "";
  settings.aws.secretAccessKey = "";
  // With no keys, AWS's chain falls back to EC2 instance metadata; with that disabled there is none.
  EXPECT_NO_THROW(esRequestSigning(settings, SystemClock::instance()));
  settings.aws.ec2MetadataDisabled = true;
  const std::string none = configError(settings);
  EXPECT_NE(none.find("no AWS credentials for signing: set AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(none.find("AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE"), std::string::npos);
  settings.aws.accessKeyId = "AKIDEXAMPLE";
  const std::string halfSet = configError(settings);
  EXPECT_NE(halfSet.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
  EXPECT_EQ(halfSet.find("wJalr"), std::string::npos);
}

TEST(EsRequestSigningTest, DeployEnvIsNamedAsTheReason) {
  Settings settings = sigv4Settings();
  settings.aws.sigv4FromDeployEnv = true;
  settings.aws.deployEnv = "production";
  settings.aws.region = "";
  EXPECT_NE(configError(settings).find("DEPLOY_ENV=production"), std::string::npos);
}

}  // namespace
}  // namespace podmon::pipeline
