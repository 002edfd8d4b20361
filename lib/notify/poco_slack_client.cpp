#include "notify/poco_slack_client.h"

#include <Poco/Exception.h>

#include <memory>
#include <utility>

#include "core/errors.h"
#include "core/settings.h"
#include "http/poco_http_client.h"
#include "http/url_for_log.h"

namespace podmon::notify {

namespace {

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
    updateTarget_ = parseUrl(base + "/chat.update", "SLACK_API_URL").getPathEtc();
  }
  http::HttpClientOptions client;
  client.scheme = uri_.getScheme();
  client.host = uri_.getHost();
  client.port = uri_.getPort();
  client.timeout = options_.timeout;
  if (!webhook_) client.headers.emplace_back("Authorization", "Bearer " + options_.token);
  http_ = std::make_shared<http::PocoHttpClient>(std::move(client));
}

SlackHttpResponse PocoSlackClient::post(const std::string& jsonBody) { return send(uri_.getPathEtc(), jsonBody); }

SlackHttpResponse PocoSlackClient::update(const std::string& jsonBody) {
  if (webhook_) throw SinkException("a Slack incoming webhook cannot update a message");
  return send(updateTarget_, jsonBody);
}

SlackHttpResponse PocoSlackClient::send(const std::string& target, const std::string& jsonBody) {
  http::HttpRequest request;
  request.method = "POST";
  request.target = target;
  request.contentType = "application/json; charset=utf-8";
  request.body = jsonBody;
  try {
    http::HttpResponse response = http_->send(std::move(request));
    return SlackHttpResponse{response.status, std::move(response.body), response.retryAfter};
  } catch (const Poco::Exception& e) {
    // Poco's messages name host and port at most, never the path (the webhook secret) or headers.
    throw SinkException("Slack post to " + describe() + " failed: " + e.displayText());
  }
}

std::string PocoSlackClient::describe() const {
  if (webhook_) return uri_.getScheme() + "://" + uri_.getHost() + "/services/…(webhook)";
  return http::urlForLog(uri_.toString());
}

}  // namespace podmon::notify
