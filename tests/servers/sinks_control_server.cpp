#include "servers/sinks_control_server.h"

#include "core/http_server_stop.h"
#include "servers/aws_control.h"

#include <chrono>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <map>
#include <sstream>
#include <stdexcept>

namespace podmon::testing {

namespace {

// A bad control parameter: answered with 400 and this message.
class BadParameter : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string condense(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

std::string errorJson(const std::string& message) {
  Poco::JSON::Object o;
  o.set("ok", false);
  o.set("error", message);
  return condense(o);
}

class Params {
 public:
  explicit Params(const Poco::URI& uri) {
    for (const auto& [k, v] : uri.getQueryParameters()) values_[k] = v;
  }
  std::string text(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? "" : it->second;
  }
  // An integer in [min, max], `fallback` when absent.
  int number(const std::string& key, int fallback, int min, int max) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(it->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != it->second.size())
      throw BadParameter(key + " must be an integer, got '" + it->second + "'");
    if (value < min || value > max)
      throw BadParameter(key + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                         it->second);
    return value;
  }

 private:
  std::map<std::string, std::string> values_;
};

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(SinksControlServer& control) : control_(control) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    auto reply = control_.handle(request.getURI());
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

 private:
  SinksControlServer& control_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(SinksControlServer& control) : control_(control) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(control_);
  }

 private:
  SinksControlServer& control_;
};

}  // namespace

SinksControlServer::SinksControlServer(EsTestServer& es, SlackTestServer& slack, std::uint16_t port)
    : es_(es), slack_(slack) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  port_ = socket.address().port();
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, new Poco::Net::HTTPServerParams);
  server_->start();
}

SinksControlServer::~SinksControlServer() { stopServerAndWait(*server_); }

std::string SinksControlServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

SinksControlServer::Reply SinksControlServer::handle(const std::string& pathAndQuery) {
  try {
    const Poco::URI uri(pathAndQuery);
    const Params q(uri);
    const std::string path = uri.getPath();
    const std::string ok = R"({"ok":true})";
    if (path.rfind("/aws/", 0) == 0) {
      if (aws_ == nullptr) return {404, errorJson("no AWS credentials stand-in in this process")};
      const auto [status, body] = handleAwsControl(*aws_, pathAndQuery);
      return {status, body};
    }
    if (path == "/es/down") {
      es_.setDown(true);
    } else if (path == "/es/up") {
      es_.setDown(false);
    } else if (path == "/es/reject-items") {
      es_.rejectNextItems(q.number("n", 1, 0, 1000000), q.number("status", 429, 400, 599));
    } else if (path == "/es/fail-requests") {
      es_.failNextRequests(q.number("n", 1, 0, 1000000), q.number("status", 503, 400, 599));
    } else if (path == "/es/fail-documents") {
      const std::string field = q.text("field");
      if (field.empty()) es_.failDocumentsWhere(nullptr);
      else es_.failDocumentsWithField(field, q.text("value"));
    } else if (path == "/slack/429") {
      slack_.failNextWith429(q.number("n", 1, 0, 1000000), q.number("retry", 1, 0, 3600));
    } else if (path == "/slack/fail") {
      slack_.failNextWithStatus(q.number("n", 1, 0, 1000000), q.number("status", 503, 500, 599));
    } else if (path == "/slack/channel-error") {
      if (q.text("channel").empty()) throw BadParameter("channel is required");
      slack_.setChannelError(q.text("channel"), q.text("error"));
    } else if (path == "/es/require-auth") {
      es_.setRequiredAuthorization(q.text("header"));
    } else if (path == "/es/sigv4") {
      if (q.text("access_key_id").empty() || q.text("secret").empty() || q.text("region").empty()) {
        throw BadParameter("access_key_id, secret and region are required");
      }
      es_.sigv4().addCredentials(q.text("access_key_id"), q.text("secret"), q.text("session_token"));
      es_.sigv4().enable(q.text("region"), q.text("service").empty() ? "es" : q.text("service"));
    } else if (path == "/es/sigv4-expire") {
      es_.sigv4().expireToken(q.text("session_token"));
    } else if (path == "/es/sigv4-off") {
      es_.sigv4().disable();
    } else if (path == "/es/sigv4-rejections") {
      return {200, "{\"count\":" + std::to_string(es_.sigv4().rejections()) + "}"};
    } else if (path == "/slack/auth-error") {
      slack_.setAuthError(q.text("error"));
    } else if (path == "/slack/delete-message") {
      if (q.text("ts").empty()) throw BadParameter("ts is required");
      slack_.deleteMessage(q.text("ts"));
    } else if (path == "/slack/not-ours") {
      if (q.text("ts").empty()) throw BadParameter("ts is required");
      slack_.markNotOurs(q.text("ts"));
    } else if (path == "/slack/counts") {
      // What Slack's per-channel pace sees: chat.postMessage and chat.update calls accepted.
      const auto posts = slack_.messages().size();
      const auto updates = slack_.updates().size();
      return {200, "{\"posts\":" + std::to_string(posts) + ",\"updates\":" + std::to_string(updates) +
                       ",\"total\":" + std::to_string(posts + updates) + "}"};
    } else if (path == "/slack/updates") {
      Poco::JSON::Array out;
      for (const auto& u : slack_.updates()) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("channel", u.channel);
        o.set("ts", u.ts);
        o.set("text", u.text);
        o.set("body", u.body);
        o.set("ts_received_us",
              static_cast<Poco::Int64>(
                  std::chrono::duration_cast<std::chrono::microseconds>(u.receivedAt.time_since_epoch()).count()));
        out.add(o);
      }
      return {200, condense(out)};
    } else if (path == "/es/requests") {
      return {200, "{\"count\":" + std::to_string(es_.requestCount()) + "}"};
    } else if (path == "/es/indices") {
      Poco::JSON::Object out;
      for (const auto& [index, count] : es_.indices()) out.set(index, static_cast<int>(count));
      return {200, condense(out)};
    } else if (path == "/es/doc") {
      auto doc = es_.document(q.text("index"), q.text("id"));
      if (!doc) return {404, errorJson("no document " + q.text("id") + " in index " + q.text("index"))};
      return {200, *doc};
    } else if (path == "/es/docs") {
      Poco::JSON::Array out;
      for (const auto& d : es_.documents()) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("index", d.index);
        o.set("id", d.id);
        o.set("source", Poco::JSON::Parser().parse(d.source));
        out.add(o);
      }
      return {200, condense(out)};
    } else if (path == "/slack/messages") {
      Poco::JSON::Array out;
      for (const auto& m : slack_.messages()) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("channel", m.channel);
        o.set("text", m.text);
        o.set("thread_ts", m.threadTs);
        o.set("ts", m.ts);
        o.set("body", m.body);
        o.set("updated", m.edits);  // chat.update calls on it (sorted last: the greps in tests/e2e rely on the order)
        // Receipt time for latency benchmarks (tools/bench/run). Poco sorts keys, so it comes last.
        o.set("ts_received_us",
              static_cast<Poco::Int64>(
                  std::chrono::duration_cast<std::chrono::microseconds>(m.receivedAt.time_since_epoch()).count()));
        out.add(o);
      }
      return {200, condense(out)};
    } else {
      return {404, errorJson("unknown control path " + path)};
    }
    return {200, ok};
  } catch (const BadParameter& e) {
    return {400, errorJson(e.what())};
  } catch (const Poco::Exception& e) {
    return {500, errorJson(e.displayText())};
  } catch (const std::exception& e) {
    return {500, errorJson(e.what())};
  }
}

}  // namespace podmon::testing
