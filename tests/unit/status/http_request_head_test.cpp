#include "status/http_request_head.h"

#include <gtest/gtest.h>

namespace podmon::status {
namespace {

using Status = HeadParse::Status;

TEST(HttpRequestHead, ParsesACompleteHead) {
  auto p = parseRequestHead("GET /readyz?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization:  Bearer t \r\n\r\n", 8192);
  ASSERT_EQ(p.status, Status::kComplete);
  EXPECT_EQ(p.head.method, "GET");
  EXPECT_EQ(p.head.target, "/readyz?x=1");
  EXPECT_EQ(p.head.version, "HTTP/1.1");
  EXPECT_EQ(p.head.header("authorization"), "Bearer t");
  EXPECT_EQ(p.head.header("host"), "a");
  EXPECT_EQ(p.head.header("missing"), "");
}

TEST(HttpRequestHead, BareLineFeedsAndLeadingBlankLines) {
  auto p = parseRequestHead("\r\nHEAD /healthz HTTP/1.0\nHost: a\n\n", 8192);
  ASSERT_EQ(p.status, Status::kComplete);
  EXPECT_EQ(p.head.method, "HEAD");
  EXPECT_EQ(p.head.header("host"), "a");
}

TEST(HttpRequestHead, IncompleteUntilTheBlankLine) {
  EXPECT_EQ(parseRequestHead("", 8192).status, Status::kIncomplete);
  EXPECT_EQ(parseRequestHead("GET /healthz HTTP/1.1\r\nHost: a\r\n", 8192).status, Status::kIncomplete);
  EXPECT_EQ(parseRequestHead("GET /heal", 8192).status, Status::kIncomplete);
}

TEST(HttpRequestHead, TooLargeWithoutAnEnd) {
  std::string big = "GET /" + std::string(100, 'a');
  EXPECT_EQ(parseRequestHead(big, 64).status, Status::kTooLarge);
  EXPECT_EQ(parseRequestHead(big + " HTTP/1.1\r\n\r\n", 64).status, Status::kTooLarge);
  EXPECT_EQ(parseRequestHead(big + " HTTP/1.1\r\n\r\n", 8192).status, Status::kComplete);
}

TEST(HttpRequestHead, RejectsWhatIsNotAPlainRequest) {
  for (const char* text :
       {"GET\r\n\r\n", "GET /a\r\n\r\n", "GET http://x/ HTTP/1.1\r\n\r\n", "GET /a HTTP/2\r\n\r\n",
        "G(T /a HTTP/1.1\r\n\r\n", "GET /a\x1b[2J HTTP/1.1\r\n\r\n", "GET /a HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET /a HTTP/1.1\r\nBad name: x\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n"}) {
    auto p = parseRequestHead(text, 8192);
    EXPECT_EQ(p.status, Status::kBad) << text;
    EXPECT_FALSE(p.error.empty());
  }
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(parseRequestHead(many + "\r\n", 8192).status, Status::kBad);
}

TEST(HttpRequestHead, PathForLogDropsTheQuery) {
  auto p = parseRequestHead("GET /api/v1/crashes?token=s3cret&limit=1 HTTP/1.1\r\n\r\n", 8192);
  ASSERT_EQ(p.status, Status::kComplete);
  EXPECT_EQ(p.head.pathForLog(), "/api/v1/crashes");
  auto q = parseRequestHead("GET /" + std::string(300, 'a') + "#frag HTTP/1.1\r\n\r\n", 8192);
  ASSERT_EQ(q.status, Status::kComplete);
  EXPECT_EQ(q.head.pathForLog().size(), 203U);  // 200 and "..."
}

}  // namespace
}  // namespace podmon::status
