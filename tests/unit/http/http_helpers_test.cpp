// The pure pieces of the shared HTTP client: Retry-After, base64 auth headers, request headers.
#include <gtest/gtest.h>

#include "http/base64.h"
#include "http/http_request.h"
#include "http/retry_after.h"
#include "http/url_for_log.h"

namespace podmon::http {
namespace {

using namespace std::chrono_literals;

TEST(RetryAfterTest, SecondsAreReadAndAnythingElseIsIgnored) {
  EXPECT_EQ(parseRetryAfter("30"), std::optional<std::chrono::milliseconds>(30000ms));
  EXPECT_EQ(parseRetryAfter(" 5 "), std::optional<std::chrono::milliseconds>(5000ms));
  EXPECT_EQ(parseRetryAfter("0"), std::optional<std::chrono::milliseconds>(0ms));
  EXPECT_EQ(parseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(parseRetryAfter(""), std::nullopt);
  EXPECT_EQ(parseRetryAfter("900"), std::optional<std::chrono::milliseconds>(900000ms));
  EXPECT_EQ(parseRetryAfter("86400"), std::optional<std::chrono::milliseconds>(kMaxRetryAfter));  // capped
  EXPECT_EQ(kMaxRetryAfter, 15min);
}

TEST(Base64Test, EncodesWithPaddingAndWithoutLineBreaks) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("elastic:s3cret"), "ZWxhc3RpYzpzM2NyZXQ=");
  EXPECT_EQ(basicAuthorization("elastic", "s3cret"), "Basic ZWxhc3RpYzpzM2NyZXQ=");
  const std::string encoded = base64Encode(std::string(200, 'x'));
  EXPECT_EQ(encoded.find('\n'), std::string::npos);
  EXPECT_EQ(encoded.size(), 268u);
}

TEST(HttpRequestTest, SetHeaderReplacesOneOfTheSameNameWhateverItsCase) {
  HttpRequest request;
  request.setHeader("Authorization", "Basic a");
  request.setHeader("X-Amz-Date", "20240501T100000Z");
  request.setHeader("authorization", "AWS4-HMAC-SHA256 ...");
  ASSERT_EQ(request.headers.size(), 2u);
  EXPECT_EQ(request.headers[0].first, "Authorization");
  EXPECT_EQ(request.headers[0].second, "AWS4-HMAC-SHA256 ...");
  EXPECT_EQ(request.headers[1].second, "20240501T100000Z");
}

}  // namespace
}  // namespace podmon::http

namespace podmon::http {
namespace {

TEST(UrlForLogTest, CredentialsAndQueryNeverReachTheLog) {
  EXPECT_EQ(urlForLog("https://elastic:s3cret@es.example.com:9200/prefix"), "https://es.example.com:9200/prefix");
  EXPECT_EQ(urlForLog("http://es:9200"), "http://es:9200");
  EXPECT_EQ(urlForLog("https://slack.com/api"), "https://slack.com/api");
  EXPECT_EQ(urlForLog("https://user@host/x?token=abc&sig=def#frag"), "https://host/x?…");
  EXPECT_EQ(urlForLog("http://[::1]:8080/p"), "http://[::1]:8080/p");
}

TEST(UrlForLogTest, SomethingThatIsNotAUrlIsNotEchoed) {
  EXPECT_EQ(urlForLog("s3cret-without-scheme"), "(unreadable URL)");
  EXPECT_EQ(urlForLog("http://host:notaport/"), "(unreadable URL)");
  EXPECT_EQ(urlForLog(""), "(unreadable URL)");
}

}  // namespace
}  // namespace podmon::http
