#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace podmon::notify {

// The raw answer to one post.
struct SlackHttpResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::milliseconds> retryAfter;  // from a Retry-After header (seconds)
};

// Posts one JSON payload to Slack: chat.postMessage with a bot token, or an incoming webhook; and
// with a token, chat.update (the crash-storm groups' messages are updated in place).
// The HTTP exchange only; what the answer means is classifySlackResponse()'s business.
class SlackClient {
 public:
  using Ptr = std::shared_ptr<SlackClient>;
  virtual ~SlackClient() = default;

  // Throws SinkException when no answer came (connection refused or lost, timeout, TLS failure);
  // the message must not contain the token.
  virtual SlackHttpResponse post(const std::string& jsonBody) = 0;
  // chat.update with a body naming channel and ts; answers like post(). Throws SinkException like
  // post(), and when the client cannot update messages (webhooks: callers post anew instead).
  virtual SlackHttpResponse update(const std::string& jsonBody) = 0;
  // True for an incoming webhook: the channel is fixed, there are no threads, answers are plain text.
  virtual bool usesWebhook() const = 0;
  // Where it posts, without secrets (for logs).
  virtual std::string describe() const = 0;
};

}  // namespace podmon::notify
