// SigV4 end to end inside one process: podmon's signer and Elasticsearch client against the
// stand-in's SigV4 check, and the stand-in's check against AWS's published test suite (so the
// stand-in does not merely agree with the signer it tests).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>

#include "aws/sigv4_request_signer.h"
#include "core/clock.h"
#include "index/elasticsearch_deliverer.h"
#include "index/poco_es_http_client.h"
#include "servers/es_test_server.h"
#include "support/sigv4_test_suite.h"

namespace podmon::testing {
namespace {

using Kind = delivery::DeliveryOutcome::Kind;

const std::string kKeyId = "AKIAPODMONTEST000001";
const std::string kSecret = "podmonTestSecretKey/0123456789abcdefghijkl";
const std::string kToken = "IQoJb3JpZ2luX2VjEPODMONSESSIONTOKEN0001";

std::string messageOf(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("message");
}

// The suite's signed requests pass; with one signature digit changed they get AWS's 403, which
// echoes the suite's canonical request and string to sign.
TEST(Sigv4VerifierSuiteTest, AcceptsThePublishedSignaturesAndEchoesThePublishedCanonicalRequest) {
  int checked = 0;
  for (const auto& name : sigv4SuiteCaseNames()) {
    const auto c = loadSigv4SuiteCase(name);
    if (!c.scope.normalizePath) continue;  // S3-style cases: the stand-in checks like OpenSearch
    Sigv4Verifier verifier;
    verifier.enable(c.scope.region, c.scope.service);
    verifier.addCredentials(c.credentials.accessKeyId, c.credentials.secretAccessKey, c.credentials.sessionToken);
    auto headers = sigv4SuiteInput(c).headers;
    if (c.omitSessionToken) headers.emplace_back("X-Amz-Security-Token", c.credentials.sessionToken);
    std::string signedNames;
    for (const auto& [header, value] : sigv4SuiteInput(c).headers) {
      (void)value;
      signedNames += (signedNames.empty() ? "" : ";") + Poco::toLower(header);
    }
    auto withSignature = [&](const std::string& signature) {
      auto out = headers;
      // SignedHeaders in the published order (sorted, lower case) as the suite's signed request has it.
      out.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + c.credentials.accessKeyId +
                                            "/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
                                            aws::sigv4::canonicalHeaders(sigv4SuiteInput(c).headers).second +
                                            ", Signature=" + signature);
      return out;
    };
    EXPECT_FALSE(verifier.verify(c.method, c.target, withSignature(c.signature), c.body)) << name;
    std::string wrong = c.signature;
    wrong[0] = wrong[0] == '0' ? '1' : '0';
    const auto rejection = verifier.verify(c.method, c.target, withSignature(wrong), c.body);
    ASSERT_TRUE(rejection) << name;
    EXPECT_EQ(rejection->status, 403);
    const std::string message = messageOf(rejection->body);
    EXPECT_NE(message.find("\n'" + c.canonicalRequest + "'\n"), std::string::npos) << name;
    EXPECT_NE(message.find("\n'" + c.stringToSign + "'\n"), std::string::npos) << name;
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

TEST(Sigv4VerifierTest, UnknownKeyExpiredTokenAndServerlessWithoutBodyHash) {
  Sigv4Verifier verifier;
  verifier.enable("eu-west-1", "aoss");
  verifier.addCredentials(kKeyId, kSecret, kToken);
  const std::string auth =
      "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN/20240501/eu-west-1/aoss/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=00";
  auto rejection = verifier.verify("GET", "/", {{"Authorization", auth}, {"Host", "x"}}, "");
  ASSERT_TRUE(rejection);
  EXPECT_EQ(messageOf(rejection->body), "The security token included in the request is invalid.");

  std::string known = auth;
  known.replace(known.find("AKIAUNKNOWN"), 11, kKeyId);
  rejection = verifier.verify("GET", "/", {{"Authorization", known}, {"X-Amz-Security-Token", kToken}}, "");
  ASSERT_TRUE(rejection);
  EXPECT_NE(messageOf(rejection->body).find("x-amz-content-sha256"), std::string::npos);

  verifier.expireToken(kToken);
  rejection = verifier.verify("GET", "/", {{"Authorization", known}, {"X-Amz-Security-Token", kToken}}, "");
  ASSERT_TRUE(rejection);
  EXPECT_EQ(messageOf(rejection->body), "The security token included in the request is expired");
  EXPECT_EQ(verifier.rejections(), 3U);
}

// Credentials that change on invalidate(): the second set after the first is dropped.
class RotatingProvider : public aws::CredentialsProvider {
 public:
  explicit RotatingProvider(std::vector<aws::AwsCredentials> sets) : sets_(std::move(sets)) {}
  aws::AwsCredentials credentials() override { return sets_.at(std::min<std::size_t>(current_, sets_.size() - 1)); }
  void invalidate() override { ++current_; }
  std::string describe() const override { return "test rotation"; }
  std::atomic<std::size_t> current_{0};

 private:
  std::vector<aws::AwsCredentials> sets_;
};

store::OutboxItem crashItem(std::int64_t id) {
  store::OutboxItem item;
  item.id = id;
  item.attempts = 1;
  item.createdAt = std::chrono::system_clock::now();
  item.crash.id = id;
  item.crash.crashKey = "key-" + std::to_string(id);
  auto& e = item.crash.record.event;
  e.clusterName = "test";
  e.namespace_ = "default";
  e.podName = "web";
  e.podUid = "uid";
  e.containerName = "app";
  e.reason = "Error";
  e.finishedAt = "2024-05-01T10:00:00Z";
  e.detectedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1714557935));
  return item;
}

class EsSigv4Test : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.sigv4().enable("eu-west-1", "es");
    server_.sigv4().addCredentials(kKeyId, kSecret);
  }
  index::ElasticsearchDeliverer deliverer(aws::CredentialsProvider::Ptr provider) {
    index::ElasticsearchOptions options;
    options.url = server_.url();
    options.timeout = std::chrono::milliseconds(2000);
    auto signer = std::make_shared<aws::SigV4RequestSigner>(provider, "eu-west-1", "es", SystemClock::instance());
    return index::ElasticsearchDeliverer(options, std::make_shared<index::PocoEsHttpClient>(options, signer));
  }
  static aws::CredentialsProvider::Ptr keys(const std::string& secret, const std::string& token = "") {
    return std::make_shared<RotatingProvider>(std::vector<aws::AwsCredentials>{{kKeyId, secret, token, std::nullopt}});
  }
  EsTestServer server_;
};

TEST_F(EsSigv4Test, StaticKeysDeliverThroughTemplateAndBulk) {
  auto d = deliverer(keys(kSecret));
  d.prepare();
  EXPECT_TRUE(d.templateInstalled());
  const auto outcomes = d.deliver({crashItem(1), crashItem(2)});
  ASSERT_EQ(outcomes.size(), 2U);
  EXPECT_EQ(outcomes[0].kind, Kind::kDelivered);
  EXPECT_EQ(outcomes[1].kind, Kind::kDelivered);
  EXPECT_EQ(server_.documentCount(), 2U);
  EXPECT_EQ(server_.sigv4().rejections(), 0U);
}

TEST_F(EsSigv4Test, SessionTokenIsSentAndSigned) {
  server_.sigv4().addCredentials(kKeyId, kSecret, kToken);
  auto d = deliverer(keys(kSecret, kToken));
  EXPECT_EQ(d.deliver({crashItem(1)})[0].kind, Kind::kDelivered);
  EXPECT_EQ(server_.sigv4().rejections(), 0U);
}

TEST_F(EsSigv4Test, WrongSecretStaysOwedAndTheErrorHoldsNoSecret) {
  server_.sigv4().addCredentials(kKeyId, kSecret, kToken);
  auto d = deliverer(keys("wrongSecretKey/abcdefghijklmnopqrstuvwxyz0123", kToken));
  const auto outcome = d.deliver({crashItem(1)})[0];
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_EQ(outcome.cause, "http_403");
  EXPECT_NE(outcome.error.find("signature we calculated does not match"), std::string::npos);
  EXPECT_EQ(outcome.error.find(kToken), std::string::npos);
  EXPECT_EQ(outcome.error.find("Canonical String"), std::string::npos);
  EXPECT_EQ(server_.documentCount(), 0U);
  // Temporary credentials: one refresh and one retry per request, then the 403 stands.
  EXPECT_EQ(server_.sigv4().rejections(), 2U);
}

TEST_F(EsSigv4Test, ExpiredTokenIsRefreshedOnceAndTheBulkGoesThrough) {
  const std::string fresh = "IQoJb3JpZ2luX2VjEPODMONSESSIONTOKEN0002";
  server_.sigv4().addCredentials(kKeyId, kSecret, kToken);
  server_.sigv4().expireToken(kToken);
  server_.sigv4().addCredentials("AKIAPODMONTEST000002", kSecret, fresh);
  auto provider = std::make_shared<RotatingProvider>(std::vector<aws::AwsCredentials>{
      {kKeyId, kSecret, kToken, std::nullopt}, {"AKIAPODMONTEST000002", kSecret, fresh, std::nullopt}});
  auto d = deliverer(provider);
  EXPECT_EQ(d.deliver({crashItem(1)})[0].kind, Kind::kDelivered);
  EXPECT_EQ(provider->current_.load(), 1U);
  EXPECT_EQ(server_.sigv4().rejections(), 1U);
  EXPECT_EQ(server_.documentCount(), 1U);
}

}  // namespace
}  // namespace podmon::testing
