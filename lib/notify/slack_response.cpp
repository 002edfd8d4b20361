#include "notify/slack_response.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>

namespace podmon::notify {

namespace {

using Kind = SlackPostResult::Kind;

Kind kindOfError(const std::string& error) {
  static const std::set<std::string> kRateLimited = {"ratelimited", "rate_limited"};
  static const std::set<std::string> kUnavailable = {"internal_error", "service_unavailable", "request_timeout",
                                                     "fatal_error",    "rollup_error",        "team_added_to_org"};
  static const std::set<std::string> kChannel = {"channel_not_found", "not_in_channel", "is_archived",
                                                 "channel_is_archived", "restricted_action"};
  static const std::set<std::string> kAuth = {
      "invalid_auth",          "not_authed", "token_revoked", "account_inactive",  "token_expired",
      "missing_scope",         "no_service", "invalid_token", "action_prohibited", "ekm_access_denied",
      "not_allowed_token_type"};
  static const std::set<std::string> kRejected = {
      "invalid_blocks",  "invalid_blocks_format", "msg_too_long",      "msg_blocks_too_long",
      "no_text",         "invalid_payload",       "invalid_arguments", "invalid_json",
      "json_not_object", "too_many_attachments",  "user_not_found",    "invalid_arg_name"};
  if (kRateLimited.count(error)) return Kind::kRateLimited;
  if (kUnavailable.count(error)) return Kind::kUnavailable;
  if (kChannel.count(error)) return Kind::kChannelUnusable;
  if (kAuth.count(error)) return Kind::kAuthFailure;
  if (kRejected.count(error)) return Kind::kRejected;
  return Kind::kUnknown;
}

SlackPostResult byStatus(const SlackHttpResponse& response) {
  SlackPostResult result;
  result.retryAfter = response.retryAfter;
  result.error = "http " + std::to_string(response.status);
  if (response.status == 429) {
    result.kind = Kind::kRateLimited;
  } else if (response.status >= 500 || response.status == 408) {
    result.kind = Kind::kUnavailable;
  } else if (response.status == 401 || response.status == 403) {
    result.kind = Kind::kAuthFailure;
  } else {
    result.kind = Kind::kUnknown;
  }
  return result;
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

SlackPostResult classifyApiResponse(const SlackHttpResponse& response) {
  if (response.status == 429 || response.status >= 500) return byStatus(response);
  Poco::JSON::Object::Ptr reply;
  try {
    reply = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {}
  if (!reply) {
    SlackPostResult result = byStatus(response);
    if (response.status == 200) {
      result.kind = Kind::kUnavailable;
      result.error = "unreadable reply";
    }
    return result;
  }
  SlackPostResult result;
  result.retryAfter = response.retryAfter;
  if (reply->optValue<bool>("ok", false)) {
    result.kind = Kind::kOk;
    result.channel = reply->optValue<std::string>("channel", "");
    result.ts = reply->optValue<std::string>("ts", "");
    return result;
  }
  result.error = reply->optValue<std::string>("error", "");
  if (result.error.empty()) return byStatus(response);
  result.kind = kindOfError(result.error);
  return result;
}

SlackPostResult classifyWebhookResponse(const SlackHttpResponse& response) {
  const std::string body = trim(response.body);
  if (response.status == 200 && body == "ok") {
    SlackPostResult result;
    result.kind = Kind::kOk;
    return result;
  }
  if (response.status == 429 || response.status >= 500) {
    SlackPostResult result = byStatus(response);
    if (!body.empty() && body.size() < 64) result.error = body;
    return result;
  }
  SlackPostResult result;
  result.retryAfter = response.retryAfter;
  result.error = body.empty() || body.size() > 64 ? "http " + std::to_string(response.status) : body;
  result.kind = kindOfError(result.error);
  if (result.kind == Kind::kUnknown && response.status >= 400) {
    result.kind = response.status == 401 || response.status == 403 ? Kind::kAuthFailure : Kind::kRejected;
  }
  if (result.kind == Kind::kUnknown && response.status == 200) result.kind = Kind::kUnavailable;
  return result;
}

const char* toString(SlackPostResult::Kind kind) {
  switch (kind) {
    case Kind::kOk: return "ok";
    case Kind::kRateLimited: return "rate limited";
    case Kind::kUnavailable: return "unavailable";
    case Kind::kChannelUnusable: return "channel unusable";
    case Kind::kAuthFailure: return "auth failure";
    case Kind::kRejected: return "rejected";
    case Kind::kUnknown: return "unknown error";
  }
  return "unknown";
}

}  // namespace podmon::notify
