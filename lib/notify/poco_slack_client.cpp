#include "notify/poco_slack_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>

#include <memory>
#include <mutex>
#include <utility>

#include "core/settings.h"
#include "core/errors.h"

namespace podmon::notify {

namespace {

void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Poco::URI parseUrl(const std::string& url, const char* setting) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    throw ConfigException(std::string(setting) + " is not a valid URL");
  }
  if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
    throw ConfigException(std::string(setting) + " must be an http:// or https:// URL");
  }
  return uri;
}

std::optional<std::chrono::milliseconds> retryAfter(const Poco::Net::HTTPResponse& response) {
  if (!response.has("Retry-After")) return std::nullopt;
  int seconds = 0;
  if (!Poco::NumberParser::tryParse(response.get("Retry-After"), seconds) || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds) * 1000);
}

}  // namespace

SlackClientOptions SlackClientOptions::fromSettings(const SlackSettings& settings) {
  SlackClientOptions options;
  options.apiUrl = settings.apiUrl;
  options.token = settings.token;
  options.webhookUrl = settings.webhookUrl;
  return options;
}

PocoSlackClient::PocoSlackClient(SlackClientOptions options) : options_(std::move(options)) {
  if (options_.token.empty() && options_.webhookUrl.empty()) {
    throw ConfigException(
        "Slack alerts need SLACK_TOKEN (bot token, chat.postMessage) or SLACK_WEBHOOK_URL; set one, or "
        "SLACK_NOTIFY=false");
  }
  webhook_ = options_.token.empty();
  if (webhook_) {
    uri_ = parseUrl(options_.webhookUrl, "SLACK_WEBHOOK_URL");
  } else {
    std::string base = options_.apiUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    uri_ = parseUrl(base + "/chat.postMessage", "SLACK_API_URL");
  }
  if (uri_.getScheme() == "https") {
    initializeSslOnce();
    tlsContext_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                         Poco::Net::Context::VERIFY_RELAXED, 9, true);
    tlsContext_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  }
}

SlackHttpResponse PocoSlackClient::post(const std::string& jsonBody) {
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (tlsContext_) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri_.getHost(), uri_.getPort(), tlsContext_);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri_.getHost(), uri_.getPort());
    }
    const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count());
    session->setTimeout(timeout, timeout, timeout);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri_.getPathEtc(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(jsonBody.size()));
    if (!webhook_) request.set("Authorization", "Bearer " + options_.token);
    session->sendRequest(request) << jsonBody;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    SlackHttpResponse result;
    result.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, result.body);
    result.retryAfter = retryAfter(response);
    return result;
  } catch (const Poco::Exception& e) {
    // Poco's messages name host and port at most, never the path (the webhook secret) or headers.
    throw SinkException("Slack post to " + describe() + " failed: " + e.displayText());
  }
}

std::string PocoSlackClient::describe() const {
  if (webhook_) return uri_.getScheme() + "://" + uri_.getAuthority() + "/services/…(webhook)";
  return uri_.toString();
}

}  // namespace podmon::notify
