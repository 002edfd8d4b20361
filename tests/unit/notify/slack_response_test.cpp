#include "notify/slack_response.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

using Kind = SlackPostResult::Kind;
using namespace std::chrono_literals;

SlackPostResult api(int status, const std::string& body, std::optional<std::chrono::milliseconds> after = {}) {
  return classifyApiResponse(SlackHttpResponse{status, body, after});
}

TEST(SlackResponseTest, ApiOkCarriesChannelAndTs) {
  const auto r = api(200, R"({"ok":true,"channel":"C123","ts":"1503435956.000247","message":{}})");
  EXPECT_EQ(r.kind, Kind::kOk);
  EXPECT_EQ(r.channel, "C123");
  EXPECT_EQ(r.ts, "1503435956.000247");
}

TEST(SlackResponseTest, ApiErrorsByCode) {
  EXPECT_EQ(api(200, R"({"ok":false,"error":"ratelimited"})").kind, Kind::kRateLimited);
  EXPECT_EQ(api(200, R"({"ok":false,"error":"internal_error"})").kind, Kind::kUnavailable);
  for (const char* e : {"channel_not_found", "not_in_channel", "is_archived"}) {
    EXPECT_EQ(api(200, std::string(R"({"ok":false,"error":")") + e + "\"}").kind, Kind::kChannelUnusable) << e;
  }
  for (const char* e : {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "missing_scope"}) {
    EXPECT_EQ(api(200, std::string(R"({"ok":false,"error":")") + e + "\"}").kind, Kind::kAuthFailure) << e;
  }
  for (const char* e : {"invalid_blocks", "msg_too_long", "no_text"}) {
    EXPECT_EQ(api(200, std::string(R"({"ok":false,"error":")") + e + "\"}").kind, Kind::kRejected) << e;
  }
  const auto unknown = api(200, R"({"ok":false,"error":"something_new"})");
  EXPECT_EQ(unknown.kind, Kind::kUnknown);
  EXPECT_EQ(unknown.error, "something_new");
}

TEST(SlackResponseTest, ApiStatusCodes) {
  const auto limited = api(429, R"({"ok":false,"error":"ratelimited"})", 30s);
  EXPECT_EQ(limited.kind, Kind::kRateLimited);
  EXPECT_EQ(limited.retryAfter, 30s);
  EXPECT_EQ(api(503, "<html>down</html>").kind, Kind::kUnavailable);
  EXPECT_EQ(api(200, "not json").kind, Kind::kUnavailable);
  EXPECT_EQ(api(401, "").kind, Kind::kAuthFailure);
  EXPECT_EQ(api(404, "nope").kind, Kind::kUnknown);
}

TEST(SlackResponseTest, Webhook) {
  const auto hook = [](int status, const std::string& body) {
    return classifyWebhookResponse(SlackHttpResponse{status, body, std::nullopt});
  };
  EXPECT_EQ(hook(200, "ok").kind, Kind::kOk);
  EXPECT_EQ(hook(429, "rate_limited").kind, Kind::kRateLimited);
  EXPECT_EQ(hook(500, "rollup_error").kind, Kind::kUnavailable);
  EXPECT_EQ(hook(404, "channel_not_found").kind, Kind::kChannelUnusable);
  EXPECT_EQ(hook(410, "channel_is_archived").kind, Kind::kChannelUnusable);
  EXPECT_EQ(hook(404, "no_service").kind, Kind::kAuthFailure);
  EXPECT_EQ(hook(403, "action_prohibited").kind, Kind::kAuthFailure);
  EXPECT_EQ(hook(400, "invalid_payload").kind, Kind::kRejected);
  EXPECT_EQ(hook(400, "invalid_payload").error, "invalid_payload");
  EXPECT_EQ(hook(400, "").kind, Kind::kRejected);
}

}  // namespace
}  // namespace podmon::notify
