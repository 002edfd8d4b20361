#include "notify/slack_deliverer.h"

#include <spdlog/spdlog.h>

#include <thread>
#include <utility>

#include "core/settings.h"
#include "core/errors.h"
#include "notify/mrkdwn.h"

namespace podmon::notify {

namespace {

using pipeline::DeliveryOutcome;
using std::chrono::milliseconds;
using Kind = SlackPostResult::Kind;

DeliveryOutcome delivered() {
  DeliveryOutcome outcome;
  outcome.kind = DeliveryOutcome::Kind::kDelivered;
  return outcome;
}

// `cause` is the metrics label (DeliveryOutcome::cause): a fixed word, never free text.
DeliveryOutcome retry(std::string cause, std::string error, std::optional<milliseconds> after = std::nullopt) {
  DeliveryOutcome outcome;
  outcome.kind = DeliveryOutcome::Kind::kRetry;
  outcome.cause = std::move(cause);
  outcome.error = std::move(error);
  outcome.retryAfter = after;
  return outcome;
}

DeliveryOutcome dead(std::string cause, std::string error) {
  DeliveryOutcome outcome;
  outcome.kind = DeliveryOutcome::Kind::kDead;
  outcome.cause = std::move(cause);
  outcome.error = std::move(error);
  return outcome;
}

milliseconds remaining(std::chrono::steady_clock::time_point until, std::chrono::steady_clock::time_point now) {
  return until > now ? std::chrono::ceil<milliseconds>(until - now) : milliseconds::zero();
}

}  // namespace

SlackDelivererOptions SlackDelivererOptions::fromSettings(const SlackSettings& settings) {
  SlackDelivererOptions options;
  options.enabled = settings.notify;
  options.defaultChannel = settings.channel;
  options.kibanaUrl = settings.kibanaUrl;
  options.cooldown.cooldown = settings.alertCooldown;
  if (options.enabled && options.defaultChannel.empty()) {
    throw ConfigException("SLACK_CHANNEL must not be empty while SLACK_NOTIFY is true (it is the default channel)");
  }
  return options;
}

SlackDeliverer::SlackDeliverer(SlackDelivererOptions options, SlackClient::Ptr client, store::CrashStore::Ptr store,
                               AlertStateStore::Ptr alertStates, Clock::Ptr clock)
    : options_(std::move(options)),
      client_(std::move(client)),
      alertStates_(std::move(alertStates)),
      clock_(std::move(clock)),
      rules_(std::move(store), clock_, options_.rulesRefresh),
      policy_(options_.cooldown),
      builder_(options_.kibanaUrl),
      pacer_(options_.channelInterval) {
  if (options_.enabled && (!client_ || !alertStates_)) {
    throw ConfigException("Slack alerts are on (SLACK_NOTIFY) but no Slack client or alert state store was given");
  }
  if (!options_.sleep) options_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

void SlackDeliverer::prepare() {
  if (options_.enabled) rules_.current();
}

SlackDeliverer::Stats SlackDeliverer::stats() const {
  return Stats{alerts_.load(), followUps_.load(), folded_.load(), ignored_.load(),
               skipped_.load(), fallbacks_.load(), failures_.load()};
}

std::vector<DeliveryOutcome> SlackDeliverer::deliver(const std::vector<store::OutboxItem>& items) {
  std::vector<DeliveryOutcome> outcomes;
  outcomes.reserve(items.size());
  if (!options_.enabled) {
    skipped_ += items.size();
    outcomes.assign(items.size(), delivered());
    return outcomes;
  }
  std::shared_ptr<const NotifyRules> rules;
  try {
    rules = rules_.current();
  } catch (const Poco::Exception& e) {
    outcomes.assign(items.size(), retry("routes", e.message()));
    return outcomes;
  }
  unavailableThisBatch_ = false;
  for (const auto& item : items) {
    try {
      outcomes.push_back(deliverOne(item, *rules));
    } catch (const Poco::Exception& e) {
      spdlog::warn("slack: crash {} (outbox {}) not delivered: {}", item.crash.id, item.id, e.displayText());
      outcomes.push_back(retry("error", e.displayText()));
    } catch (const std::exception& e) {
      spdlog::warn("slack: crash {} (outbox {}) not delivered: {}", item.crash.id, item.id, e.what());
      outcomes.push_back(retry("error", e.what()));
    }
  }
  return outcomes;
}

DeliveryOutcome SlackDeliverer::deliverOne(const store::OutboxItem& item, const NotifyRules& rules) {
  const auto& e = item.crash.record.event;
  if (rules.isIgnored(e.clusterName, e.namespace_, e.containerName)) {
    spdlog::debug("slack: crash {} of {}/{} {} matches an ignore rule", item.crash.id, e.namespace_, e.podName,
                  e.containerName);
    ++ignored_;
    return delivered();
  }
  if (!flushUnsaved()) {
    return retry("state_store", "the cooldown state of an alert already sent is not saved yet (MySQL unavailable)");
  }
  const auto now = clock_->now();
  CrashSighting sighting;
  sighting.outboxId = item.id;
  sighting.crashAt = e.detectedAt == std::chrono::system_clock::time_point{} ? now : e.detectedAt;
  sighting.reason = e.reason;
  sighting.exitCode = e.exitCode;
  std::string key = alertKey(e);
  std::optional<AlertState> state = alertStates_->load(key);  // throws: retry the item
  CooldownDecision decision = policy_.decide(state, sighting, now);
  // A new episode for the container, but its failure may be in an episode of its own in the
  // namespace (another workload crashing the same way): fold into that one instead.
  const std::string failureKey = failureAlertKey(e, item.crash.record.fingerprint);
  if (decision.action == AlertAction::kAlert && !failureKey.empty()) {
    std::optional<AlertState> failureState = alertStates_->load(failureKey);
    const CooldownDecision failureDecision = policy_.decide(failureState, sighting, now);
    if (failureDecision.action != AlertAction::kAlert) {
      key = failureKey;
      state = std::move(failureState);
      decision = failureDecision;
    }
  }

  switch (decision.action) {
    case AlertAction::kAlreadyHandled:
      if (state && state->carrierOutboxId == item.id)
        alertStates_->saveHandled(policy_.next(state, key, sighting, decision, now), item.id);
      ++skipped_;
      return delivered();
    case AlertAction::kFold:
      alertStates_->saveHandled(policy_.next(state, key, sighting, decision, now), item.id);
      ++folded_;
      return delivered();
    case AlertAction::kHold: {
      if (!state || state->carrierOutboxId != item.id) {
        alertStates_->save(policy_.next(state, key, sighting, decision, now));
        ++folded_;
      }
      auto held = retry("held", "held back to report the crash loop in one follow-up", decision.holdFor);
      held.deferred = true;
      return held;
    }
    case AlertAction::kAlert: {
      const std::string channel = rules.channelFor(e.clusterName, e.namespace_).value_or(options_.defaultChannel);
      const Sent sent = postWithFallback(
          [&](const std::string& to, const std::string& note) { return builder_.alert(item.crash, to, note); },
          channel, item);
      if (!sent.ok) return sent.failure;
      ++alerts_;
      const AlertState episode = policy_.next(state, key, sighting, decision, clock_->now(), sent.channel, sent.ts);
      saveAfterSend(episode, item.id);
      if (!failureKey.empty() && key != failureKey) {  // the failure's episode starts with this alert too
        AlertState failureEpisode = episode;
        failureEpisode.key = failureKey;
        // Items are accounted for per key: an older item of another workload, delivered late, must
        // still be decided (folded), not taken for a redelivery of this one.
        failureEpisode.lastOutboxId = 0;
        saveAfterSend(failureEpisode, item.id);  // marking the item done twice is harmless
      }
      return delivered();
    }
    case AlertAction::kFollowUp: {
      FollowUpSummary summary;
      summary.crashCount = decision.crashCount;
      summary.since = decision.since;
      const bool carrier = state->carrierOutboxId == item.id;
      summary.lastReason = carrier ? state->lastReason : e.reason;
      summary.lastExitCode = carrier ? state->lastExitCode : e.exitCode;
      const std::string channel = state->channel.empty() ? options_.defaultChannel : state->channel;
      const Sent sent = postWithFallback(
          [&](const std::string& to, const std::string& note) {
            return builder_.followUp(item.crash, summary, to, to == channel ? state->threadTs : "", note);
          },
          channel, item);
      if (!sent.ok) return sent.failure;
      ++followUps_;
      AlertState next = policy_.next(state, key, sighting, decision, clock_->now());
      if (sent.fellBack) {  // the thread's channel is gone: later follow-ups go under this message
        next.channel = sent.channel;
        next.threadTs = sent.ts;
      }
      saveAfterSend(next, item.id);
      return delivered();
    }
  }
  return retry("error", "unreachable");
}

void SlackDeliverer::saveAfterSend(const AlertState& state, std::int64_t outboxId) {
  unsaved_.push_back({state, outboxId});
  if (!flushUnsaved()) {
    // The message is out; retrying the item now would send it twice. The state is kept and saved
    // (with the item marked done) before anything else is delivered.
    spdlog::error("slack: alert sent but its cooldown state could not be saved yet; holding further alerts until "
                  "MySQL takes it");
  }
}

bool SlackDeliverer::flushUnsaved() {
  while (!unsaved_.empty()) {
    try {
      alertStates_->saveHandled(unsaved_.front().state, unsaved_.front().outboxId);
    } catch (const Poco::Exception& e) {
      spdlog::debug("slack: saving the cooldown state of a sent alert failed: {}", e.displayText());
      return false;
    }
    unsaved_.erase(unsaved_.begin());
  }
  return true;
}

SlackDeliverer::Sent SlackDeliverer::postWithFallback(const Build& build, const std::string& channel,
                                                      const store::OutboxItem& item) {
  SlackPostResult result;
  Sent sent = postOnce(build(channel, ""), item, &result);
  const bool canFallBack = !client_->usesWebhook() && channel != options_.defaultChannel;
  if (sent.ok || result.kind != Kind::kChannelUnusable || !canFallBack) return sent;
  spdlog::warn("slack: channel '{}' cannot be used ({}); posting crash {} to the default channel '{}' instead",
               channel, result.error, item.crash.id, options_.defaultChannel);
  ++fallbacks_;
  const std::string note = ":warning: Meant for `" + escapeMrkdwn(channel) + "`, but Slack answered `" +
                           escapeMrkdwn(result.error) +
                           "` (invite the bot or fix the route), so it is in the default channel.";
  sent = postOnce(build(options_.defaultChannel, note), item, &result);
  sent.fellBack = true;
  return sent;
}

std::optional<DeliveryOutcome> SlackDeliverer::blockedNow() {
  const auto now = clock_->steadyNow();
  if (authBlockedUntil_ && now < *authBlockedUntil_) {
    return retry("auth_paused", "Slack rejected the credentials; not sending until they are fixed", remaining(*authBlockedUntil_, now));
  }
  if (rateLimitedUntil_ && now < *rateLimitedUntil_) {
    return retry("rate_limit_paused", "Slack rate limit", remaining(*rateLimitedUntil_, now));
  }
  if (unavailableThisBatch_) return retry("unavailable", "Slack unavailable");
  return std::nullopt;
}

SlackDeliverer::Sent SlackDeliverer::postOnce(const SlackMessage& message, const store::OutboxItem& item,
                                              SlackPostResult* result) {
  Sent sent;
  *result = SlackPostResult{};
  result->kind = Kind::kUnavailable;
  if (auto blocked = blockedNow()) {
    sent.failure = *blocked;
    return sent;
  }
  const bool webhook = client_->usesWebhook();
  const std::string paceKey = webhook ? std::string("(webhook)") : message.channel;
  const milliseconds wait = pacer_.delayFor(paceKey, clock_->steadyNow());
  if (wait > milliseconds::zero()) options_.sleep(wait);

  try {
    const SlackHttpResponse response = client_->post(message.toJson(webhook));
    *result = webhook ? classifyWebhookResponse(response) : classifyApiResponse(response);
  } catch (const Poco::Exception& e) {
    result->kind = Kind::kUnavailable;
    result->error = e.message();
  }
  pacer_.posted(paceKey, clock_->steadyNow());
  const auto now = clock_->steadyNow();
  const std::string where = webhook ? "webhook" : "channel '" + message.channel + "'";

  switch (result->kind) {
    case Kind::kOk:
      if (authFailing_.exchange(false)) spdlog::info("slack: credentials accepted again, sending resumes");
      authBlockedUntil_.reset();
      sent.ok = true;
      sent.channel = result->channel.empty() ? message.channel : result->channel;
      sent.ts = result->ts;
      return sent;
    case Kind::kRateLimited: {
      const milliseconds pause = result->retryAfter.value_or(options_.rateLimitDefault);
      rateLimitedUntil_ = now + pause;
      spdlog::warn("slack: rate limited ({}), pausing posts for {} ms", result->error, pause.count());
      sent.failure = retry("rate_limited", "Slack rate limit: " + result->error, pause);
      break;
    }
    case Kind::kUnavailable:
      unavailableThisBatch_ = true;
      spdlog::warn("slack: post to {} failed, will retry: {}", where, result->error);
      sent.failure = retry("unavailable", "Slack unavailable: " + result->error);
      break;
    case Kind::kAuthFailure:
      authBlockedUntil_ = now + options_.authRetry;
      authFailing_ = true;
      spdlog::critical(
          "slack: Slack refused podmon's credentials ({}): NO ALERTS ARE SENT. Fix SLACK_TOKEN / SLACK_WEBHOOK_URL "
          "or the app's scopes; crashes stay queued and are sent once it works (next try in {} s)",
          result->error, options_.authRetry.count() / 1000);
      sent.failure = retry("auth", "Slack auth failure: " + result->error, options_.authRetry);
      break;
    case Kind::kChannelUnusable:
      spdlog::error("slack: cannot post to {} ({}); crash {} is given up", where, result->error, item.crash.id);
      sent.failure = dead("channel", "Slack " + where + ": " + result->error);
      break;
    case Kind::kRejected:
      spdlog::error("slack: Slack rejected the message for crash {} ({}); given up", item.crash.id, result->error);
      sent.failure = dead("rejected", "Slack rejected the message: " + result->error);
      break;
    case Kind::kUnknown:
      if (item.attempts >= options_.maxUnknownAttempts) {
        spdlog::error("slack: unknown Slack error {} for crash {} after {} attempts; given up", result->error,
                      item.crash.id, item.attempts);
        sent.failure = dead("slack_error", "Slack error: " + result->error);
      } else {
        spdlog::warn("slack: unknown Slack error {} for crash {}, will retry", result->error, item.crash.id);
        sent.failure = retry("slack_error", "Slack error: " + result->error);
      }
      break;
  }
  ++failures_;
  return sent;
}

}  // namespace podmon::notify
