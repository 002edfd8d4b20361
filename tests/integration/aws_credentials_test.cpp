// The AWS credential sources with the real Poco client against AwsCredentialsTestServer (STS,
// container credentials, IMDSv2 on 127.0.0.1, port 0): success, each documented error, token
// file rotation, the Expiration honoured, IMDS session token expiry, a service that is down, and
// no secret in any error message. Time is a ManualClock shared by the stand-in and the cache.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "aws/container_credentials_source.h"
#include "aws/credentials_chain.h"
#include "aws/imds_credentials_source.h"
#include "aws/refreshing_credentials_provider.h"
#include "aws/web_identity_credentials_source.h"
#include "core/errors.h"
#include "fakes/manual_clock.h"
#include "servers/aws_credentials_test_server.h"

namespace podmon::aws {
namespace {

using namespace std::chrono_literals;
using Server = testing::AwsCredentialsTestServer;

constexpr const char* kRoleArn = "arn:aws:iam::111122223333:role/podmon";
constexpr const char* kToken1 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2Rtb24iLCJuIjoxfQ.c2lnLTE";
constexpr const char* kToken2 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2Rtb24iLCJuIjoyfQ.c2lnLTI";

class AwsCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("podmon-aws-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    tokenFile_ = (dir_ / "token").string();
    writeToken(kToken1);
    server_.setExpectedWebIdentityToken(kToken1);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void writeToken(const std::string& token) { std::ofstream(tokenFile_, std::ios::trunc) << token << "\n"; }

  std::shared_ptr<WebIdentityCredentialsSource> webIdentity(const std::string& stsUrl = "") {
    return std::make_shared<WebIdentityCredentialsSource>(
        WebIdentityCredentialsSource::Options{kRoleArn, tokenFile_, "", stsUrl.empty() ? server_.url() : stsUrl});
  }
  std::shared_ptr<RefreshingCredentialsProvider> cached(CredentialsSource::Ptr source) {
    RefreshingCredentialsProvider::Options options;
    options.seed = 7;
    return std::make_shared<RefreshingCredentialsProvider>(std::move(source), clock_, options);
  }

  // The message names no secret: neither a token podmon sent nor credentials it was given.
  void expectNoSecret(const std::string& message) {
    for (const std::string& secret : {std::string(kToken1), std::string(kToken2)}) {
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
    }
    for (const auto& issued : server_.issued()) {
      EXPECT_EQ(message.find(issued.secretAccessKey), std::string::npos) << message;
      EXPECT_EQ(message.find(issued.sessionToken), std::string::npos) << message;
    }
  }

  std::shared_ptr<testing::ManualClock> clock_ = std::make_shared<testing::ManualClock>();
  Server server_{clock_};
  std::filesystem::path dir_;
  std::string tokenFile_;
};

TEST_F(AwsCredentialsTest, WebIdentityExchangesTheTokenForTheRolesCredentials) {
  auto provider = cached(webIdentity());
  const AwsCredentials got = provider->credentials();
  ASSERT_EQ(server_.issued().size(), 1u);
  const auto issued = server_.issued()[0];
  EXPECT_EQ(got.accessKeyId, issued.accessKeyId);
  EXPECT_EQ(got.secretAccessKey, issued.secretAccessKey);
  EXPECT_EQ(got.sessionToken, issued.sessionToken);
  ASSERT_TRUE(got.expiration.has_value());
  EXPECT_EQ(*got.expiration, issued.expiration);
  const auto params = server_.lastStsParameters();
  EXPECT_EQ(params.at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(params.at("Version"), "2011-06-15");
  EXPECT_EQ(params.at("RoleArn"), kRoleArn);
  EXPECT_EQ(params.at("WebIdentityToken"), kToken1);
  EXPECT_EQ(params.at("RoleSessionName").rfind("podmon-", 0), 0u);
  EXPECT_NE(provider->describe().find(kRoleArn), std::string::npos);
  // Kept: no second exchange while they are fresh.
  EXPECT_EQ(provider->credentials().accessKeyId, got.accessKeyId);
  EXPECT_EQ(server_.counts().sts, 1);
}

TEST_F(AwsCredentialsTest, EachDocumentedStsErrorIsACredentialsErrorWithCodeAndNoSecret) {
  const std::map<std::string, int> statuses = {{"InvalidIdentityToken", 400},
                                               {"ExpiredTokenException", 400},
                                               {"AccessDenied", 403},
                                               {"IDPCommunicationError", 400},
                                               {"Throttling", 400}};
  auto source = webIdentity();
  for (const auto& [code, status] : statuses) {
    server_.failSts(code, 1);
    try {
      source->fetch();
      ADD_FAILURE() << code << " did not throw";
    } catch (const CredentialsError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("STS answered " + std::to_string(status) + " " + code), std::string::npos) << message;
      EXPECT_NE(message.find(kRoleArn), std::string::npos) << message;
      expectNoSecret(message);
    }
  }
  EXPECT_TRUE(server_.issued().empty());
}

TEST_F(AwsCredentialsTest, AWrongTokenIsRefusedAsInvalidIdentityToken) {
  server_.setExpectedWebIdentityToken(kToken2);
  try {
    webIdentity()->fetch();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("InvalidIdentityToken"), std::string::npos) << e.what();
    expectNoSecret(e.what());
  }
}

TEST_F(AwsCredentialsTest, TheTokenFileIsReadAgainAtEveryRefresh) {
  server_.setLifetime(900s);
  auto provider = cached(webIdentity());
  const auto first = provider->credentials();
  writeToken(kToken2);  // the kubelet rotated it
  server_.setExpectedWebIdentityToken(kToken2);
  clock_->advance(11min);  // past the refresh time (5 to 6 min before, at most half the 15 min)
  const auto second = provider->credentials();
  EXPECT_EQ(server_.lastWebIdentityToken(), kToken2);
  EXPECT_NE(second.accessKeyId, first.accessKeyId);
  EXPECT_EQ(server_.counts().sts, 2);
}

TEST_F(AwsCredentialsTest, TheExpirationStsReturnsIsHonouredForShortLivedCredentials) {
  server_.setLifetime(60s);  // shorter than anything asked for: refreshed at half their life
  auto provider = cached(webIdentity());
  const auto first = provider->credentials();
  clock_->advance(29s);
  EXPECT_EQ(provider->credentials().accessKeyId, first.accessKeyId);
  clock_->advance(2s);
  const auto second = provider->credentials();
  EXPECT_NE(second.accessKeyId, first.accessKeyId);
  EXPECT_GT(*second.expiration, *first.expiration);
  EXPECT_EQ(server_.counts().sts, 2);
}

TEST_F(AwsCredentialsTest, AFailedRefreshKeepsValidCredentialsAndRetriesAfterBackoff) {
  server_.setLifetime(3600s);
  auto provider = cached(webIdentity());
  const auto first = provider->credentials();
  server_.failSts("Throttling", 1);
  clock_->advance(56min);  // in the refresh window, still valid for 4 min
  EXPECT_EQ(provider->credentials().accessKeyId, first.accessKeyId);
  EXPECT_EQ(server_.counts().sts, 2);
  EXPECT_EQ(provider->credentials().accessKeyId, first.accessKeyId);  // backing off: not asked again
  EXPECT_EQ(server_.counts().sts, 2);
  clock_->advance(3s);  // the first backoff is 1 to 2 s
  EXPECT_NE(provider->credentials().accessKeyId, first.accessKeyId);
  EXPECT_EQ(server_.counts().sts, 3);
}

TEST_F(AwsCredentialsTest, ExpiredCredentialsAndAFailingRefreshNameTheSourceAndCause) {
  server_.setLifetime(900s);
  auto provider = cached(webIdentity());
  provider->credentials();
  server_.failSts("ExpiredTokenException", 100);
  clock_->advance(16min);
  try {
    provider->credentials();
    FAIL() << "expired credentials were handed out";
  } catch (const CredentialsError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("web identity"), std::string::npos) << message;
    EXPECT_NE(message.find("ExpiredTokenException"), std::string::npos) << message;
    EXPECT_NE(message.find("expired at"), std::string::npos) << message;
    expectNoSecret(message);
  }
  const int asked = server_.counts().sts;
  EXPECT_THROW(provider->credentials(), CredentialsError);  // backing off: STS is not asked again
  EXPECT_EQ(server_.counts().sts, asked);
}

TEST_F(AwsCredentialsTest, StsDownIsACredentialsErrorWithoutAHang) {
  server_.setDown(true);
  auto provider = cached(webIdentity());
  const auto started = std::chrono::steady_clock::now();
  try {
    provider->credentials();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("no answer"), std::string::npos) << e.what();
    expectNoSecret(e.what());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  server_.setDown(false);
  clock_->advance(3s);
  EXPECT_FALSE(provider->credentials().accessKeyId.empty());
}

TEST_F(AwsCredentialsTest, InvalidateForcesTheNextCallToRefresh) {
  auto provider = cached(webIdentity());
  const auto first = provider->credentials();
  provider->invalidate();
  EXPECT_NE(provider->credentials().accessKeyId, first.accessKeyId);
  EXPECT_EQ(server_.counts().sts, 2);
}

TEST_F(AwsCredentialsTest, ConcurrentCallersShareOneExchange) {
  auto provider = cached(webIdentity());
  std::vector<std::thread> threads;
  std::vector<std::string> keys(8);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] { keys[i] = provider->credentials().accessKeyId; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(server_.counts().sts, 1);
  for (const auto& key : keys) EXPECT_EQ(key, keys[0]);
}

TEST_F(AwsCredentialsTest, HostileStsAnswersAreRefusedWithoutQuotingThem) {
  auto source = webIdentity();
  server_.answerNextWith(200, std::string(1 << 20, 'A'));
  EXPECT_THROW(source->fetch(), CredentialsError);
  server_.answerNextWith(200, "<AssumeRoleWithWebIdentityResponse><oops");
  try {
    source->fetch();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(std::string(e.what()).find("oops"), std::string::npos) << e.what();
  }
  server_.answerNextWith(502, "<html>\x1b]0;owned\x07 bad gateway</html>");
  try {
    source->fetch();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("STS answered 502"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos);
  }
}

TEST_F(AwsCredentialsTest, AMissingTokenFileIsNamed) {
  std::filesystem::remove(tokenFile_);
  try {
    webIdentity()->fetch();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find(tokenFile_), std::string::npos) << e.what();
  }
  EXPECT_EQ(server_.counts().sts, 0);
}

TEST_F(AwsCredentialsTest, ContainerCredentialsSendTheTokenFileAsAuthorizationReadAtEachRefresh) {
  server_.setExpectedContainerAuthorization(kToken1);
  server_.setLifetime(900s);
  auto provider = cached(std::make_shared<ContainerCredentialsSource>(server_.containerUrl(), tokenFile_));
  const auto first = provider->credentials();
  EXPECT_EQ(first.accessKeyId, server_.issued().at(0).accessKeyId);
  EXPECT_EQ(first.sessionToken, server_.issued().at(0).sessionToken);
  EXPECT_EQ(*first.expiration, server_.issued().at(0).expiration);
  EXPECT_EQ(server_.lastContainerAuthorization(), kToken1);
  writeToken(kToken2);
  server_.setExpectedContainerAuthorization(kToken2);
  clock_->advance(11min);
  EXPECT_NE(provider->credentials().accessKeyId, first.accessKeyId);
  EXPECT_EQ(server_.lastContainerAuthorization(), kToken2);
}

TEST_F(AwsCredentialsTest, ContainerErrorsNameStatusAndCodeButNotTheToken) {
  server_.setExpectedContainerAuthorization(kToken2);  // the file holds kToken1
  ContainerCredentialsSource source(server_.containerUrl(), tokenFile_);
  try {
    source.fetch();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("answered 401 AccessDeniedException"), std::string::npos) << e.what();
    expectNoSecret(e.what());
  }
  server_.setExpectedContainerAuthorization("");
  server_.failContainer(500, 1);
  EXPECT_THROW(source.fetch(), CredentialsError);
  EXPECT_FALSE(source.fetch().accessKeyId.empty());
}

TEST_F(AwsCredentialsTest, ContainerCredentialsOverPlainHttpOnlyToLoopbackOrTheAgent) {
  EXPECT_THROW(ContainerCredentialsSource("http://10.0.0.7/v1/credentials", ""), ConfigException);
  EXPECT_THROW(ContainerCredentialsSource("http://example.com/creds", ""), ConfigException);
  EXPECT_NO_THROW(ContainerCredentialsSource("https://example.com/creds", ""));
  for (const char* host :
       {"127.0.0.1", "127.0.0.2", "::1", "localhost", "169.254.170.23", "fd00:ec2::23", "169.254.170.2"}) {
    EXPECT_TRUE(ContainerCredentialsSource::isAllowedHttpHost(host)) << host;
  }
  EXPECT_FALSE(ContainerCredentialsSource::isAllowedHttpHost("169.254.169.254"));
}

TEST_F(AwsCredentialsTest, ImdsV2GetsASessionTokenThenTheRoleThenItsCredentials) {
  ImdsCredentialsSource source(server_.url(), clock_);
  const auto first = source.fetch();
  EXPECT_EQ(first.accessKeyId, server_.issued().at(0).accessKeyId);
  EXPECT_EQ(server_.issued().at(0).via, "imds");
  EXPECT_EQ(server_.counts().imdsToken, 1);
  EXPECT_EQ(server_.counts().imds, 2);
  source.fetch();  // the session token is kept for its TTL
  EXPECT_EQ(server_.counts().imdsToken, 1);
}

TEST_F(AwsCredentialsTest, AnExpiredImdsSessionTokenIsReplacedOnce) {
  ImdsCredentialsSource source(server_.url(), clock_);
  source.fetch();
  server_.expireImdsTokens();
  EXPECT_FALSE(source.fetch().accessKeyId.empty());
  EXPECT_EQ(server_.counts().imdsToken, 2);
  server_.answerNextWith(401, "");  // the role lookup is refused once more: one new token again
  EXPECT_FALSE(source.fetch().accessKeyId.empty());
  EXPECT_EQ(server_.counts().imdsToken, 3);
}

TEST_F(AwsCredentialsTest, ImdsDownIsAQuickCredentialsError) {
  server_.setDown(true);
  ImdsCredentialsSource source(server_.url(), clock_);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(source.fetch(), CredentialsError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(AwsCredentialsTest, TheChainPicksTheFirstConfiguredSourceAndKeepsIt) {
  AwsSettings settings;
  settings.region = "eu-west-1";
  settings.roleArn = kRoleArn;
  settings.webIdentityTokenFile = tokenFile_;
  settings.stsEndpoint = server_.url();
  settings.containerCredentialsUri = server_.containerUrl();  // configured too, but comes later
  auto chain = makeCredentialsChain(settings, clock_);
  EXPECT_EQ(chain->describe().rfind("web identity", 0), 0u) << chain->describe();
  const std::string key = chain->credentials().accessKeyId;
  EXPECT_EQ(key, server_.issued().at(0).accessKeyId);
  EXPECT_EQ(server_.issued().at(0).via, "sts");

  settings.accessKeyId = "AKIAIOSFODNN7EXAMPLE";
  settings.secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  auto fromEnvironment = makeCredentialsChain(settings, clock_);
  EXPECT_EQ(fromEnvironment->describe().rfind("environment", 0), 0u);
  EXPECT_EQ(fromEnvironment->credentials().secretAccessKey, settings.secretAccessKey);
  EXPECT_EQ(fromEnvironment->describe().find(settings.secretAccessKey), std::string::npos);

  AwsSettings container;
  container.containerCredentialsUri = server_.containerUrl();
  EXPECT_EQ(makeCredentialsChain(container, clock_)->describe().rfind("container credentials", 0), 0u);
  AwsSettings imds;
  imds.ec2MetadataEndpoint = server_.url();
  auto fromImds = makeCredentialsChain(imds, clock_);
  EXPECT_EQ(fromImds->describe().rfind("EC2 instance metadata", 0), 0u);
  const std::string imdsKey = fromImds->credentials().accessKeyId;
  EXPECT_EQ(imdsKey, server_.issued().back().accessKeyId);
}

TEST_F(AwsCredentialsTest, TheChainRefusesHalfConfiguredOrMissingSources) {
  AwsSettings keyOnly;
  keyOnly.accessKeyId = "AKIAIOSFODNN7EXAMPLE";
  EXPECT_THROW(makeCredentialsChain(keyOnly, clock_), CredentialsError);
  AwsSettings roleOnly;
  roleOnly.roleArn = kRoleArn;
  EXPECT_THROW(makeCredentialsChain(roleOnly, clock_), CredentialsError);
  AwsSettings nothing;
  nothing.ec2MetadataDisabled = true;
  EXPECT_THROW(makeCredentialsChain(nothing, clock_), CredentialsError);
  AwsSettings badUrl;
  badUrl.roleArn = kRoleArn;
  badUrl.webIdentityTokenFile = tokenFile_;
  badUrl.stsEndpoint = "ftp://sts.example.com";
  EXPECT_THROW(makeCredentialsChain(badUrl, clock_), ConfigException);
  badUrl.stsEndpoint = "";
  badUrl.region = "eu-west-1/../x";
  EXPECT_THROW(makeCredentialsChain(badUrl, clock_), ConfigException);
  badUrl.region = "eu-west-1";
  badUrl.roleSessionName = "has space";
  EXPECT_THROW(makeCredentialsChain(badUrl, clock_), ConfigException);
  badUrl.roleSessionName = "podmon@cluster-1";
  EXPECT_NO_THROW(makeCredentialsChain(badUrl, clock_));
  EXPECT_EQ(WebIdentityCredentialsSource::regionalStsUrl("eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
}

}  // namespace
}  // namespace podmon::aws
