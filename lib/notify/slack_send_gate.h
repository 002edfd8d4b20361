#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "delivery/delivery_outcome.h"
#include "notify/channel_pacer.h"
#include "notify/slack_client.h"
#include "notify/slack_message.h"
#include "notify/slack_response.h"
#include "store/outbox_item.h"

namespace podmon::notify {

struct SlackSendGateOptions {
  std::string defaultChannel = "pod-crash-alerts";    // where a message for an unusable channel goes
  std::chrono::milliseconds channelInterval{1000};    // at most one post per channel per this
  std::chrono::milliseconds rateLimitDefault{30000};  // a rate limit without Retry-After waits this
  std::chrono::milliseconds authRetry{600000};        // after an auth failure: wait, then try once
  int maxUnknownAttempts = 5;                         // unknown Slack errors are retried this often
  // How the gate waits for the channel pacing (never empty).
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Everything between "this message should go out" and Slack: it holds posts back while Slack
// refuses the credentials or rate-limits podmon (and for the rest of a batch once Slack is down),
// paces posts per channel, turns Slack's answer into an outcome, and posts once more to the default
// channel when the routed channel cannot be used. One per SlackDeliverer; not thread-safe (the
// Slack worker is one thread) except authFailing() and the counters.
class SlackSendGate {
 public:
  // The result of posting one message (with the default-channel fallback).
  struct Sent {
    bool ok = false;
    delivery::DeliveryOutcome failure;  // when !ok
    std::string channel;                // where it went (Slack's channel ID with the token API)
    std::string ts;
    bool fellBack = false;
    // update(): Slack will not update that message (it is gone, or podmon may not edit it): post anew.
    bool cannotUpdate = false;
  };
  // Builds the message for a channel; `note` ("" or a warning) goes on top of a fallback message.
  using Build = std::function<SlackMessage(const std::string& channel, const std::string& note)>;

  SlackSendGate(SlackSendGateOptions options, SlackClient::Ptr client, Clock::Ptr clock);

  // A new batch: Slack may be back.
  void startBatch() { unavailableThisBatch_ = false; }
  // Posts build(channel) for `item`, or build(default channel, note) when the channel cannot be
  // used. Never throws for Slack's or the network's failures: they come back in Sent::failure.
  Sent post(const Build& build, const std::string& channel, const store::OutboxItem& item);

  // chat.update of message.ts in message.channel, paced and held back like a post (an update
  // counts against the channel's pace too). Never throws for Slack's or the network's failures;
  // Sent::cannotUpdate when Slack answers that this message cannot be updated (message_not_found,
  // cant_update_message, edit_window_closed, channel_not_found, is_archived, ...).
  Sent update(const SlackMessage& message, const store::OutboxItem& item);

  // True while Slack refuses the credentials (for /readyz).
  bool authFailing() const { return authFailing_.load(); }
  std::uint64_t fallbacks() const { return fallbacks_.load(); }
  std::uint64_t failures() const { return failures_.load(); }

 private:
  // Why nothing may be posted now (auth failure, rate limit, Slack down in this batch), if so.
  std::optional<delivery::DeliveryOutcome> blockedNow() const;
  // One paced post; *result is Slack's classified answer (kUnavailable when none came).
  Sent postOnce(const SlackMessage& message, const store::OutboxItem& item, SlackPostResult* result);
  // Sends and classifies, after waiting for the channel's pace.
  SlackPostResult exchange(const SlackMessage& message, bool update = false);
  // The outcome of a failed post; notes pauses (rate limit, auth) and logs.
  delivery::DeliveryOutcome failureOf(const SlackPostResult& result, const std::string& where,
                                      const store::OutboxItem& item);

  SlackSendGateOptions options_;
  SlackClient::Ptr client_;
  Clock::Ptr clock_;
  ChannelPacer pacer_;
  std::optional<std::chrono::steady_clock::time_point> rateLimitedUntil_;
  std::optional<std::chrono::steady_clock::time_point> authBlockedUntil_;
  bool unavailableThisBatch_ = false;
  std::atomic<bool> authFailing_{false};
  std::atomic<std::uint64_t> fallbacks_{0};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace podmon::notify
