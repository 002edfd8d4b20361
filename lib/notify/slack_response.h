#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "notify/slack_client.h"

namespace podmon::notify {

// What an answer from Slack means for the message, from the documented error codes.
struct SlackPostResult {
  enum class Kind {
    kOk,
    kRateLimited,      // 429 or "ratelimited": wait retryAfter (or a default), then retry
    kUnavailable,      // 5xx, internal_error, unreadable reply: back off and retry
    kChannelUnusable,  // channel_not_found, not_in_channel, is_archived: try the default channel
    kAuthFailure,      // invalid_auth, token_revoked, ...: stop sending until someone fixes it
    kRejected,         // our payload is wrong (invalid_blocks, msg_too_long): never retry
    kUnknown,          // an error code we do not know: retry a few times
  };
  Kind kind = Kind::kUnknown;
  std::string error;    // Slack's error code or "http 503"
  std::string channel;  // kOk, token API: the channel ID the message went to
  std::string ts;       // kOk, token API: the message's ts (a thread's parent)
  std::optional<std::chrono::milliseconds> retryAfter;
};

// chat.postMessage: HTTP 200 with {"ok":..., "error":...}; 429 with Retry-After.
SlackPostResult classifyApiResponse(const SlackHttpResponse& response);
// Incoming webhook: 200 "ok", otherwise a status with a plain-text error code.
SlackPostResult classifyWebhookResponse(const SlackHttpResponse& response);

const char* toString(SlackPostResult::Kind kind);

}  // namespace podmon::notify
