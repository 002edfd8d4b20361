#include "notify/slack_send_gate.h"

#include <spdlog/spdlog.h>

#include <set>
#include <utility>

#include "notify/mrkdwn.h"

namespace podmon::notify {

namespace {

using delivery::DeliveryOutcome;
using std::chrono::milliseconds;
using Kind = SlackPostResult::Kind;

milliseconds remaining(std::chrono::steady_clock::time_point until, std::chrono::steady_clock::time_point now) {
  return until > now ? std::chrono::ceil<milliseconds>(until - now) : milliseconds::zero();
}

}  // namespace

SlackSendGate::SlackSendGate(SlackSendGateOptions options, SlackClient::Ptr client, Clock::Ptr clock)
    : options_(std::move(options)),
      client_(std::move(client)),
      clock_(std::move(clock)),
      pacer_(options_.channelInterval) {}

SlackSendGate::Sent SlackSendGate::post(const Build& build, const std::string& channel, const store::OutboxItem& item) {
  SlackPostResult result;
  Sent sent = postOnce(build(channel, ""), item, &result);
  const bool canFallBack = !client_->usesWebhook() && channel != options_.defaultChannel;
  if (sent.ok || result.kind != Kind::kChannelUnusable || !canFallBack) return sent;
  spdlog::warn("slack: channel '{}' cannot be used ({}); posting crash {} to the default channel '{}' instead", channel,
               result.error, item.crash.id, options_.defaultChannel);
  ++fallbacks_;
  const std::string note = ":warning: Meant for `" + escapeMrkdwn(channel) + "`, but Slack answered `" +
                           escapeMrkdwn(result.error) +
                           "` (invite the bot or fix the route), so it is in the default channel.";
  sent = postOnce(build(options_.defaultChannel, note), item, &result);
  sent.fellBack = true;
  return sent;
}

SlackSendGate::Sent SlackSendGate::update(const SlackMessage& message, const store::OutboxItem& item) {
  Sent sent;
  if (auto blocked = blockedNow()) {
    sent.failure = *blocked;
    return sent;
  }
  const SlackPostResult result = exchange(message, true);
  if (result.kind == Kind::kOk) {
    sent.ok = true;
    sent.channel = result.channel.empty() ? message.channel : result.channel;
    sent.ts = result.ts.empty() ? message.ts : result.ts;
    return sent;
  }
  static const std::set<std::string> kCannotUpdate = {"message_not_found", "cant_update_message", "edit_window_closed",
                                                      "channel_not_found", "is_archived",         "not_in_channel"};
  if (kCannotUpdate.count(result.error) != 0) {
    spdlog::warn("slack: cannot update message {} in channel '{}' ({}); posting a new one", message.ts, message.channel,
                 result.error);
    sent.cannotUpdate = true;
    return sent;
  }
  sent.failure = failureOf(result, "channel '" + message.channel + "' (update)", item);
  ++failures_;
  return sent;
}

std::optional<DeliveryOutcome> SlackSendGate::blockedNow() const {
  const auto now = clock_->steadyNow();
  if (authBlockedUntil_ && now < *authBlockedUntil_) {
    return DeliveryOutcome::retry("auth_paused", "Slack rejected the credentials; not sending until they are fixed",
                                  remaining(*authBlockedUntil_, now));
  }
  if (rateLimitedUntil_ && now < *rateLimitedUntil_) {
    return DeliveryOutcome::retry("rate_limit_paused", "Slack rate limit", remaining(*rateLimitedUntil_, now));
  }
  if (unavailableThisBatch_) return DeliveryOutcome::retry("unavailable", "Slack unavailable");
  return std::nullopt;
}

SlackSendGate::Sent SlackSendGate::postOnce(const SlackMessage& message, const store::OutboxItem& item,
                                            SlackPostResult* result) {
  Sent sent;
  *result = SlackPostResult{};
  result->kind = Kind::kUnavailable;
  if (auto blocked = blockedNow()) {
    sent.failure = *blocked;
    return sent;
  }
  *result = exchange(message);
  if (result->kind == Kind::kOk) {
    if (authFailing_.exchange(false)) spdlog::info("slack: credentials accepted again, sending resumes");
    authBlockedUntil_.reset();
    sent.ok = true;
    sent.channel = result->channel.empty() ? message.channel : result->channel;
    sent.ts = result->ts;
    return sent;
  }
  const std::string where = client_->usesWebhook() ? "webhook" : "channel '" + message.channel + "'";
  sent.failure = failureOf(*result, where, item);
  ++failures_;
  return sent;
}

SlackPostResult SlackSendGate::exchange(const SlackMessage& message, bool update) {
  const bool webhook = client_->usesWebhook();
  const std::string paceKey = webhook ? std::string("(webhook)") : message.channel;
  const milliseconds wait = pacer_.delayFor(paceKey, clock_->steadyNow());
  if (wait > milliseconds::zero()) options_.sleep(wait);
  SlackPostResult result;
  try {
    const SlackHttpResponse response =
        update ? client_->update(message.toJson(false)) : client_->post(message.toJson(webhook));
    result = webhook ? classifyWebhookResponse(response) : classifyApiResponse(response);
  } catch (const Poco::Exception& e) {
    result.kind = Kind::kUnavailable;
    result.error = e.message();
  }
  pacer_.posted(paceKey, clock_->steadyNow());
  return result;
}

DeliveryOutcome SlackSendGate::failureOf(const SlackPostResult& result, const std::string& where,
                                         const store::OutboxItem& item) {
  const auto now = clock_->steadyNow();
  switch (result.kind) {
    case Kind::kOk:
    case Kind::kUnavailable: break;
    case Kind::kRateLimited: {
      const milliseconds pause = result.retryAfter.value_or(options_.rateLimitDefault);
      rateLimitedUntil_ = now + pause;
      spdlog::warn("slack: rate limited ({}), pausing posts for {} ms", result.error, pause.count());
      return DeliveryOutcome::retry("rate_limited", "Slack rate limit: " + result.error, pause);
    }
    case Kind::kAuthFailure:
      authBlockedUntil_ = now + options_.authRetry;
      authFailing_ = true;
      spdlog::critical(
          "slack: Slack refused podmon's credentials ({}): NO ALERTS ARE SENT. Fix SLACK_TOKEN / SLACK_WEBHOOK_URL "
          "or the app's scopes; crashes stay queued and are sent once it works (next try in {} s)",
          result.error, options_.authRetry.count() / 1000);
      return DeliveryOutcome::retry("auth", "Slack auth failure: " + result.error, options_.authRetry);
    case Kind::kChannelUnusable:
      spdlog::error("slack: cannot post to {} ({}); crash {} is given up", where, result.error, item.crash.id);
      return DeliveryOutcome::dead("channel", "Slack " + where + ": " + result.error);
    case Kind::kRejected:
      spdlog::error("slack: Slack rejected the message for crash {} ({}); given up", item.crash.id, result.error);
      return DeliveryOutcome::dead("rejected", "Slack rejected the message: " + result.error);
    case Kind::kUnknown:
      if (item.attempts >= options_.maxUnknownAttempts) {
        spdlog::error("slack: unknown Slack error {} for crash {} after {} attempts; given up", result.error,
                      item.crash.id, item.attempts);
        return DeliveryOutcome::dead("slack_error", "Slack error: " + result.error);
      }
      spdlog::warn("slack: unknown Slack error {} for crash {}, will retry", result.error, item.crash.id);
      return DeliveryOutcome::retry("slack_error", "Slack error: " + result.error);
  }
  unavailableThisBatch_ = true;
  spdlog::warn("slack: post to {} failed, will retry: {}", where, result.error);
  return DeliveryOutcome::retry("unavailable", "Slack unavailable: " + result.error);
}

}  // namespace podmon::notify
