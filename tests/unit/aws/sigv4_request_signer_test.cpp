#include "aws/sigv4_request_signer.h"

#include <gtest/gtest.h>

#include "aws/sigv4_signer.h"
#include "core/rfc3339.h"
#include "fakes/manual_clock.h"

namespace podmon::aws {
namespace {

// Hands out fixed credentials and counts invalidate() calls.
class CountingProvider : public CredentialsProvider {
 public:
  explicit CountingProvider(AwsCredentials credentials) : credentials_(std::move(credentials)) {}
  AwsCredentials credentials() override { return credentials_; }
  void invalidate() override { ++invalidations; }
  std::string describe() const override { return "test"; }
  int invalidations = 0;

 private:
  AwsCredentials credentials_;
};

const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::string kToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

std::string header(const http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<missing>";
}

struct Fixture {
  explicit Fixture(const std::string& token = "",
                   std::optional<std::chrono::system_clock::time_point> expiration = std::nullopt)
      : clock(std::make_shared<testing::ManualClock>(parseRfc3339("2015-08-30T12:36:00Z").value())),
        provider(std::make_shared<CountingProvider>(AwsCredentials{"AKIDEXAMPLE", kSecret, token, expiration})),
        signer(provider, "us-east-1", "service", clock) {}
  std::shared_ptr<testing::ManualClock> clock;
  std::shared_ptr<CountingProvider> provider;
  SigV4RequestSigner signer;
};

// The signer's headers reproduce the suite's vanilla case with a session token, plus the body
// hash AWS wants on every request to OpenSearch.
TEST(SigV4RequestSignerTest, AddsDateHashTokenAndAuthorization) {
  Fixture f(kToken);
  http::HttpRequest request;
  request.headers = {{"Host", "example.amazonaws.com"}, {"Accept", "application/json"}};
  f.signer.sign(request);
  EXPECT_EQ(header(request, "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(header(request, "X-Amz-Content-Sha256"), sigv4::sha256Hex(""));
  EXPECT_EQ(header(request, "X-Amz-Security-Token"), kToken);

  sigv4::SigningInput expected{"GET", "/", {}, sigv4::sha256Hex("")};
  expected.headers = {{"host", "example.amazonaws.com"},
                      {"x-amz-date", "20150830T123600Z"},
                      {"x-amz-content-sha256", sigv4::sha256Hex("")},
                      {"x-amz-security-token", kToken}};
  const auto result = sigv4::sign(expected, f.provider->credentials(), {"us-east-1", "service", f.clock->now(), true});
  EXPECT_EQ(header(request, "Authorization"), result.authorization);
  EXPECT_NE(result.authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"),
            std::string::npos);
}

TEST(SigV4RequestSignerTest, SignsContentTypeAndBodyAndNoTokenForLongTermKeys) {
  Fixture f;
  http::HttpRequest request;
  request.method = "POST";
  request.target = "/_bulk?filter_path=errors,items.*.status";
  request.body = "{}\n";
  request.contentType = "application/x-ndjson";
  request.headers = {{"Host", "search.example:9200"}};
  f.signer.sign(request);
  EXPECT_EQ(header(request, "X-Amz-Security-Token"), "<missing>");
  EXPECT_EQ(header(request, "X-Amz-Content-Sha256"), sigv4::sha256Hex("{}\n"));
  EXPECT_NE(header(request, "Authorization").find("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"),
            std::string::npos);
  EXPECT_EQ(request.target, "/_bulk?filter_path=errors,items.*.status");  // the wire keeps the plain query
}

TEST(SigV4RequestSignerTest, RequestWithoutHostIsRefused) {
  Fixture f;
  http::HttpRequest request;
  EXPECT_THROW(f.signer.sign(request), std::invalid_argument);
}

TEST(SigV4RequestSignerTest, ExpiredTokenAnswerDropsTemporaryCredentialsOnce) {
  Fixture f(kToken, parseRfc3339("2015-08-30T13:36:00Z").value());
  EXPECT_TRUE(f.signer.credentialsRejected(
      {403, R"({"message":"The security token included in the request is expired"})", {}}));
  EXPECT_EQ(f.provider->invalidations, 1);
  // A plain authorization failure with fresh temporary credentials is not theirs to fix.
  EXPECT_FALSE(f.signer.credentialsRejected(
      {403, R"({"Message":"User: arn:aws:sts::1:assumed-role/x is not authorized"})", {}}));
  EXPECT_EQ(f.provider->invalidations, 1);
  // ...unless they are about to expire.
  f.clock->advance(std::chrono::minutes(57));
  EXPECT_TRUE(f.signer.credentialsRejected({403, R"({"Message":"not authorized"})", {}}));
  EXPECT_EQ(f.provider->invalidations, 2);
}

TEST(SigV4RequestSignerTest, LongTermKeysAreNeverRefreshed) {
  Fixture f;
  EXPECT_FALSE(f.signer.credentialsRejected(
      {403, R"({"message":"The request signature we calculated does not match the signature you provided."})", {}}));
  EXPECT_EQ(f.provider->invalidations, 0);
}

TEST(SigV4RequestSignerTest, SignatureMismatchWithSessionTokenRefreshes) {
  Fixture f(kToken);
  EXPECT_TRUE(f.signer.credentialsRejected(
      {403, R"({"message":"The request signature we calculated does not match the signature you provided."})", {}}));
  EXPECT_EQ(f.provider->invalidations, 1);
}

}  // namespace
}  // namespace podmon::aws
