#pragma once

#include <atomic>
#include <mutex>
#include <ostream>
#include <string>

#include "notify/slack_client.h"

namespace podmon::notify {

// Alerts on the console when neither SLACK_TOKEN nor SLACK_WEBHOOK_URL is set: a SlackClient that
// prints each message as a readable block (formatMessageForConsole) instead of posting it, and
// answers like chat.postMessage. A terminal cannot change what it printed, so an update
// (chat.update of a crash-storm group) prints the message again under "Update of alert N" and answers
// with the same ts. Sitting under SlackDeliverer, console alerts get exactly what
// Slack would: the same message, routes, ignore rules and crash-loop folding, fed from the outbox.
class ConsoleSlackClient : public SlackClient {
 public:
  // `out` must outlive the client (std::cout in podmon).
  explicit ConsoleSlackClient(std::ostream& out);

  // Throws SinkException when the body is not a message or the stream fails (the outbox retries).
  SlackHttpResponse post(const std::string& jsonBody) override;
  // Same throws as post().
  SlackHttpResponse update(const std::string& jsonBody) override;
  bool usesWebhook() const override { return false; }
  std::string describe() const override { return "the console (stdout)"; }

  std::uint64_t printed() const { return printed_.load(); }

 private:
  SlackHttpResponse print(const std::string& jsonBody, bool update);

  std::ostream& out_;
  std::mutex mutex_;
  std::atomic<std::uint64_t> printed_{0};
};

}  // namespace podmon::notify
