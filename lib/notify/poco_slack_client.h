#pragma once

#include <Poco/URI.h>

#include <chrono>
#include <string>

#include "http/http_client.h"
#include "notify/slack_client.h"

namespace podmon {
struct SlackSettings;
}

namespace podmon::notify {

struct SlackClientOptions {
  std::string apiUrl = "https://slack.com/api";  // SLACK_API_URL; chat.postMessage is appended
  std::string token;                             // SLACK_TOKEN (secret)
  std::string webhookUrl;                        // SLACK_WEBHOOK_URL (secret); used when there is no token
  std::chrono::milliseconds timeout{10000};      // connect, send and receive each

  static SlackClientOptions fromSettings(const SlackSettings& settings);
};

// SlackClient over the shared HTTP client (http::PocoHttpClient), one connection per post: at about
// one message per second a kept-alive connection saves little, and a fresh one never reuses a
// socket Slack closed. TLS verifies the server against the system CAs. The token goes only into the Authorization
// header and the webhook URL (a secret too) never into a message.
class PocoSlackClient : public SlackClient {
 public:
  // Throws ConfigException when neither a token nor a webhook URL is given or a URL is unusable.
  explicit PocoSlackClient(SlackClientOptions options);

  SlackHttpResponse post(const std::string& jsonBody) override;
  SlackHttpResponse update(const std::string& jsonBody) override;
  bool usesWebhook() const override { return webhook_; }
  std::string describe() const override;

 private:
  SlackClientOptions options_;
  bool webhook_ = false;
  // One exchange with `target` on the client's host.
  SlackHttpResponse send(const std::string& target, const std::string& jsonBody);

  Poco::URI uri_;
  std::string updateTarget_;  // chat.update's path (token API only)
  http::HttpClient::Ptr http_;
};

}  // namespace podmon::notify
