#include "servers/slack_test_server.h"

#include "core/http_server_stop.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <thread>
#include <utility>

namespace podmon::testing {

namespace {

std::string jsonError(const std::string& error) {
  Poco::JSON::Object reply;
  reply.set("ok", false);
  reply.set("error", error);
  std::ostringstream out;
  reply.stringify(out);
  return out.str();
}

}  // namespace

class SlackTestServer::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(SlackTestServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const Reply reply = server_.handle(request.getMethod(), request.getURI(), request.getContentType(),
                                       request.get("Authorization", ""), body);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    if (reply.retryAfter >= 0) response.set("Retry-After", std::to_string(reply.retryAfter));
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

 private:
  SlackTestServer& server_;
};

class SlackTestServer::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(SlackTestServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  SlackTestServer& server_;
};

SlackTestServer::SlackTestServer(std::string token) : token_(std::move(token)) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

SlackTestServer::~SlackTestServer() {
  stopServerAndWait(*server_);
  // A handler still sleeping for an injected delay uses this object: wait for it.
  while (inFlight_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

std::string SlackTestServer::apiUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }

std::string SlackTestServer::webhookUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + kWebhookPath; }

std::string SlackTestServer::channelId(const std::string& name) {
  std::lock_guard lock(mutex_);
  return channelIdLocked(name);
}

std::string SlackTestServer::channelIdLocked(const std::string& name) {
  auto it = channelIds_.find(name);
  if (it != channelIds_.end()) return it->second;
  char id[16];
  std::snprintf(id, sizeof id, "C%06zu", channelIds_.size() + 1);
  channelIds_[name] = id;
  return id;
}

std::string SlackTestServer::channelNameLocked(const std::string& nameOrId) const {
  for (const auto& [name, id] : channelIds_) {
    if (id == nameOrId) return name;
  }
  return nameOrId;
}

void SlackTestServer::failNextWithStatus(int count, int status) {
  std::lock_guard lock(mutex_);
  statusFailures_ = count;
  failStatus_ = status;
}

void SlackTestServer::failNextWith429(int count, int retryAfterSeconds) {
  std::lock_guard lock(mutex_);
  rateLimitFailures_ = count;
  retryAfterSeconds_ = retryAfterSeconds;
}

void SlackTestServer::failNextWithError(int count, const std::string& error) {
  std::lock_guard lock(mutex_);
  errorFailures_ = count;
  nextError_ = error;
}

void SlackTestServer::setChannelError(const std::string& channel, const std::string& error) {
  std::lock_guard lock(mutex_);
  if (error.empty()) {
    channelErrors_.erase(channel);
  } else {
    channelErrors_[channel] = error;
  }
}

void SlackTestServer::setAuthError(const std::string& error) {
  std::lock_guard lock(mutex_);
  authError_ = error;
}

void SlackTestServer::setResponseDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  delay_ = delay;
}

std::vector<SlackTestMessage> SlackTestServer::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::vector<SlackTestMessage> SlackTestServer::messagesIn(const std::string& channel) const {
  std::lock_guard lock(mutex_);
  const std::string name = channelNameLocked(channel);
  std::vector<SlackTestMessage> found;
  for (const auto& m : messages_) {
    if (!m.webhook && m.channel == name) found.push_back(m);
  }
  return found;
}

void SlackTestServer::deleteMessage(const std::string& ts) {
  std::lock_guard lock(mutex_);
  deletedTs_.insert(ts);
}

void SlackTestServer::markNotOurs(const std::string& ts) {
  std::lock_guard lock(mutex_);
  notOursTs_.insert(ts);
}

std::vector<SlackTestUpdate> SlackTestServer::updates() const {
  std::lock_guard lock(mutex_);
  return updates_;
}

std::vector<SlackTestMessage> SlackTestServer::webhookMessages() const {
  std::lock_guard lock(mutex_);
  std::vector<SlackTestMessage> found;
  for (const auto& m : messages_) {
    if (m.webhook) found.push_back(m);
  }
  return found;
}

int SlackTestServer::requestCount() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::string SlackTestServer::lastContentType() const {
  std::lock_guard lock(mutex_);
  return lastContentType_;
}

std::string SlackTestServer::lastAuthorization() const {
  std::lock_guard lock(mutex_);
  return lastAuthorization_;
}

void SlackTestServer::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
  updates_.clear();
  requests_ = 0;
}

SlackTestServer::Reply SlackTestServer::handle(const std::string& method, const std::string& path,
                                               const std::string& contentType, const std::string& authorization,
                                               const std::string& body) {
  ++inFlight_;
  struct Done {
    std::atomic<int>& count;
    ~Done() { --count; }
  } done{inFlight_};
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mutex_);
    ++requests_;
    lastContentType_ = contentType;
    lastAuthorization_ = authorization;
    delay = delay_;
  }
  if (delay > std::chrono::milliseconds::zero()) std::this_thread::sleep_for(delay);
  if (method != "POST") return Reply{405, "text/plain", "method not allowed", -1};
  if (path == "/api/chat.postMessage") return handleApi(contentType, authorization, body);
  if (path == "/api/chat.update") return handleUpdate(contentType, authorization, body);
  if (path == kWebhookPath) return handleWebhook(body);
  return Reply{404, "text/plain", "no_service", -1};
}

bool SlackTestServer::takeFault(bool webhook, Reply* reply) {
  if (statusFailures_ > 0) {
    --statusFailures_;
    *reply = Reply{failStatus_, "text/plain", webhook ? "rollup_error" : "upstream error", -1};
    return true;
  }
  if (rateLimitFailures_ > 0) {
    --rateLimitFailures_;
    *reply = webhook ? Reply{429, "text/plain", "rate_limited", retryAfterSeconds_}
                     : Reply{429, "application/json; charset=utf-8", jsonError("ratelimited"), retryAfterSeconds_};
    return true;
  }
  const auto plain = [&](const std::string& error) {
    const int status = error == "channel_not_found" || error == "no_service"     ? 404
                       : error == "channel_is_archived"                          ? 410
                       : error == "action_prohibited" || error == "invalid_auth" ? 403
                                                                                 : 400;
    return Reply{status, "text/plain", error, -1};
  };
  if (errorFailures_ > 0) {
    --errorFailures_;
    *reply = webhook ? plain(nextError_) : Reply{200, "application/json; charset=utf-8", jsonError(nextError_), -1};
    return true;
  }
  if (!authError_.empty()) {
    *reply = webhook ? plain(authError_) : Reply{200, "application/json; charset=utf-8", jsonError(authError_), -1};
    return true;
  }
  return false;
}

bool SlackTestServer::acceptApiLocked(const std::string& contentType, const std::string& authorization,
                                      const std::string& body, Poco::JSON::Object::Ptr* request, Reply* reply) {
  const auto error = [](const std::string& code) {
    return Reply{200, "application/json; charset=utf-8", jsonError(code), -1};
  };
  if (takeFault(false, reply)) return false;
  if (authorization.empty()) {
    *reply = error("not_authed");
    return false;
  }
  if (authorization != "Bearer " + token_) {
    *reply = error("invalid_auth");
    return false;
  }
  // With a JSON body Slack needs the JSON content type (a missing charset only warns).
  if (contentType.rfind("application/json", 0) != 0) {
    *reply = error("invalid_arguments");
    return false;
  }
  try {
    *request = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    *reply = error("invalid_json");
    return false;
  }
  return true;
}

// chat.update as Slack documents it: channel and ts name the message; text and/or blocks replace
// its content; the answer echoes channel (ID), ts and text.
SlackTestServer::Reply SlackTestServer::handleUpdate(const std::string& contentType, const std::string& authorization,
                                                     const std::string& body) {
  const auto error = [](const std::string& code) {
    return Reply{200, "application/json; charset=utf-8", jsonError(code), -1};
  };
  std::lock_guard lock(mutex_);
  Poco::JSON::Object::Ptr request;
  Reply refused;
  if (!acceptApiLocked(contentType, authorization, body, &request, &refused)) return refused;
  const std::string channel = request->optValue<std::string>("channel", "");
  const std::string ts = request->optValue<std::string>("ts", "");
  if (channel.empty()) return error("channel_not_found");
  const std::string name = channelNameLocked(channel);
  if (channelIds_.count(name) == 0) return error("channel_not_found");  // updates never create a channel
  if (auto it = channelErrors_.find(name); it != channelErrors_.end()) return error(it->second);
  const std::string text = request->optValue<std::string>("text", "");
  if (text.empty() && !request->has("blocks")) return error("no_text");
  auto message = std::find_if(messages_.begin(), messages_.end(),
                              [&](const SlackTestMessage& m) { return !m.webhook && m.ts == ts && m.channel == name; });
  if (ts.empty() || message == messages_.end() || deletedTs_.count(ts) != 0) return error("message_not_found");
  if (notOursTs_.count(ts) != 0) return error("cant_update_message");
  message->text = text;
  message->body = body;
  ++message->edits;
  SlackTestUpdate update{name, message->channelId, ts, text, body, std::chrono::system_clock::now()};
  updates_.push_back(update);

  Poco::JSON::Object reply;
  reply.set("ok", true);
  reply.set("channel", update.channelId);
  reply.set("ts", ts);
  reply.set("text", text);
  std::ostringstream out;
  reply.stringify(out);
  return Reply{200, "application/json; charset=utf-8", out.str(), -1};
}

SlackTestServer::Reply SlackTestServer::handleApi(const std::string& contentType, const std::string& authorization,
                                                  const std::string& body) {
  const auto error = [](const std::string& code) {
    return Reply{200, "application/json; charset=utf-8", jsonError(code), -1};
  };
  std::lock_guard lock(mutex_);
  Poco::JSON::Object::Ptr request;
  Reply refused;
  if (!acceptApiLocked(contentType, authorization, body, &request, &refused)) return refused;
  const std::string channel = request->optValue<std::string>("channel", "");
  if (channel.empty()) return error("channel_not_found");
  const std::string name = channelNameLocked(channel);
  if (auto it = channelErrors_.find(name); it != channelErrors_.end()) return error(it->second);
  const std::string text = request->optValue<std::string>("text", "");
  if (text.empty() && !request->has("blocks")) return error("no_text");

  SlackTestMessage message;
  message.channel = name;
  message.channelId = channelIdLocked(name);
  message.text = text;
  message.threadTs = request->optValue<std::string>("thread_ts", "");
  message.ts = "1700000000." + std::to_string(1000000 + nextTs_++).substr(1);
  message.body = body;
  message.receivedAt = std::chrono::system_clock::now();
  messages_.push_back(message);

  Poco::JSON::Object reply;
  reply.set("ok", true);
  reply.set("channel", message.channelId);
  reply.set("ts", message.ts);
  std::ostringstream out;
  reply.stringify(out);
  return Reply{200, "application/json; charset=utf-8", out.str(), -1};
}

SlackTestServer::Reply SlackTestServer::handleWebhook(const std::string& body) {
  std::lock_guard lock(mutex_);
  Reply fault;
  if (takeFault(true, &fault)) return fault;
  Poco::JSON::Object::Ptr request;
  try {
    request = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return Reply{400, "text/plain", "invalid_payload", -1};
  }
  const std::string text = request->optValue<std::string>("text", "");
  if (text.empty() && !request->has("blocks")) return Reply{400, "text/plain", "no_text", -1};
  SlackTestMessage message;
  message.text = text;
  message.body = body;
  message.webhook = true;
  message.receivedAt = std::chrono::system_clock::now();
  messages_.push_back(message);
  return Reply{200, "text/plain", "ok", -1};
}

}  // namespace podmon::testing
