#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace podmon::testing {

// One message the test server accepted (or refused, see `accepted`).
struct SlackTestMessage {
  std::string channel;    // the channel's name ("" for webhook posts)
  std::string channelId;  // "C000001"... (as returned in the reply)
  std::string text;
  std::string threadTs;  // "" = top level
  std::string ts;        // what the reply returned
  std::string body;      // the raw JSON
  bool webhook = false;
  std::chrono::system_clock::time_point receivedAt;  // when the request was read (latency benchmarks)
  int edits = 0;                                     // chat.update calls that changed it (text/body are the newest)
};

// One chat.update the test server accepted.
struct SlackTestUpdate {
  std::string channel;    // the channel's name
  std::string channelId;  // as returned in the reply
  std::string ts;         // the updated message
  std::string text;
  std::string body;  // the raw JSON
  std::chrono::system_clock::time_point receivedAt;
};

// A stand-in for Slack on 127.0.0.1, port 0: POST /api/chat.postMessage (Bearer token, JSON body,
// ok:true with channel ID and ts; channels are created on first use and can be addressed by name or
// ID), POST /api/chat.update (channel and ts of a message posted here; ok:true with channel ID, ts
// and text; message_not_found for an unknown ts or one of another channel, channel_not_found for an
// unknown channel, cant_update_message for a message marked not ours; the message's text and body
// become the new ones) and an incoming webhook at kWebhookPath (plain "ok"). Faults are injected per test: 5xx or
// 429 with Retry-After for the next N requests, ok:false errors (for the next N, for one channel, or
// for every request as with a revoked token), slow answers. All accessors are thread-safe.
class SlackTestServer {
 public:
  static constexpr const char* kWebhookPath = "/services/T000/B000/XXX";

  explicit SlackTestServer(std::string token = "xoxb-test-token");
  ~SlackTestServer();
  SlackTestServer(const SlackTestServer&) = delete;
  SlackTestServer& operator=(const SlackTestServer&) = delete;

  unsigned short port() const { return port_; }
  std::string apiUrl() const;      // http://127.0.0.1:PORT/api
  std::string webhookUrl() const;  // http://127.0.0.1:PORT/services/T000/B000/XXX
  const std::string& token() const { return token_; }
  // The ID of a channel, creating it when new.
  std::string channelId(const std::string& name);

  // --- faults (each applies to API and webhook requests alike unless said otherwise) ---
  void failNextWithStatus(int count, int status = 503);
  void failNextWith429(int count, int retryAfterSeconds);
  // ok:false with `error` (webhooks: a 400 with the code as text) for the next `count` requests.
  void failNextWithError(int count, const std::string& error);
  // Every post to this channel (name or ID) answers ok:false with `error`; "" clears.
  void setChannelError(const std::string& channel, const std::string& error);
  // Every request answers ok:false with `error` (e.g. invalid_auth, token_revoked); "" clears.
  void setAuthError(const std::string& error);
  void setResponseDelay(std::chrono::milliseconds delay);
  // The message with this ts is gone (deleted in Slack): updates answer message_not_found.
  void deleteMessage(const std::string& ts);
  // The message with this ts was not posted by us: updates answer cant_update_message.
  void markNotOurs(const std::string& ts);

  // --- what happened ---
  std::vector<SlackTestMessage> messages() const;  // accepted, in order
  std::vector<SlackTestMessage> messagesIn(const std::string& channel) const;
  std::vector<SlackTestMessage> webhookMessages() const;
  std::vector<SlackTestUpdate> updates() const;  // accepted chat.update calls, in order
  int requestCount() const;                      // every request, refused ones included
  std::string lastContentType() const;
  std::string lastAuthorization() const;
  void clear();

 private:
  class Handler;
  class Factory;
  struct Reply {
    int status = 200;
    std::string contentType = "application/json; charset=utf-8";
    std::string body;
    int retryAfter = -1;
  };

  Reply handle(const std::string& method, const std::string& path, const std::string& contentType,
               const std::string& authorization, const std::string& body);
  Reply handleApi(const std::string& contentType, const std::string& authorization, const std::string& body);
  Reply handleWebhook(const std::string& body);
  Reply handleUpdate(const std::string& contentType, const std::string& authorization, const std::string& body);
  // Under mutex_: the checks chat.postMessage and chat.update share (faults, token, content type,
  // JSON body). Sets *request, or *reply with the refusal.
  bool acceptApiLocked(const std::string& contentType, const std::string& authorization, const std::string& body,
                       Poco::JSON::Object::Ptr* request, Reply* reply);
  // Under mutex_: a fault to answer with, if one is armed. Sets *reply.
  bool takeFault(bool webhook, Reply* reply);
  std::string channelIdLocked(const std::string& name);
  std::string channelNameLocked(const std::string& nameOrId) const;

  std::string token_;
  unsigned short port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::atomic<int> inFlight_{0};  // handlers running (a slow one may outlive stopAll)

  mutable std::mutex mutex_;
  int statusFailures_ = 0;
  int failStatus_ = 503;
  int rateLimitFailures_ = 0;
  int retryAfterSeconds_ = 1;
  int errorFailures_ = 0;
  std::string nextError_;
  std::map<std::string, std::string> channelErrors_;  // by name
  std::string authError_;
  std::chrono::milliseconds delay_{0};
  std::map<std::string, std::string> channelIds_;  // name -> ID
  std::vector<SlackTestMessage> messages_;
  std::vector<SlackTestUpdate> updates_;
  std::set<std::string> deletedTs_;
  std::set<std::string> notOursTs_;
  int requests_ = 0;
  long long nextTs_ = 1;
  std::string lastContentType_;
  std::string lastAuthorization_;
};

}  // namespace podmon::testing
