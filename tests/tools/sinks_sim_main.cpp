// sinks-sim: the Elasticsearch and Slack test servers as one program, for the demo (tools/dev/run)
// and the end-to-end tests. Prints `export` lines with their URLs, then serves until SIGTERM.
// A control port lets scripts inject faults and read what arrived:
//   POST /es/down, /es/up, /es/reject-items?n=N&status=S, /es/fail-requests?n=N&status=S
//   POST /slack/429?n=N&retry=S, /slack/fail?n=N&status=S, /slack/channel-error?channel=C&error=E
//   GET  /es/indices            {"index": count, ...}
//   GET  /es/doc?index=I&id=ID  the stored source
//   GET  /slack/messages        [{"channel","text","thread_ts","ts","ts_received_us"}, ...] (keys sorted:
//                               scripts match "channel" followed by "text")
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/shutdown.h"
#include "servers/es_test_server.h"
#include "servers/slack_test_server.h"

namespace {

using podmon::testing::EsTestServer;
using podmon::testing::SlackTestServer;

class ControlHandler : public Poco::Net::HTTPRequestHandler {
 public:
  ControlHandler(EsTestServer& es, SlackTestServer& slack) : es_(es), slack_(slack) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    Poco::URI uri(request.getURI());
    std::map<std::string, std::string> q;
    for (const auto& [k, v] : uri.getQueryParameters()) q[k] = v;
    auto num = [&](const std::string& k, int d) { return q.count(k) ? std::stoi(q[k]) : d; };
    const std::string path = uri.getPath();
    std::string body = "{\"ok\":true}";
    int status = 200;
    try {
      if (path == "/es/down") es_.setDown(true);
      else if (path == "/es/up") es_.setDown(false);
      else if (path == "/es/reject-items") es_.rejectNextItems(num("n", 1), num("status", 429));
      else if (path == "/es/fail-requests") es_.failNextRequests(num("n", 1), num("status", 503));
      else if (path == "/slack/429") slack_.failNextWith429(num("n", 1), num("retry", 1));
      else if (path == "/slack/fail") slack_.failNextWithStatus(num("n", 1), num("status", 503));
      else if (path == "/slack/channel-error") slack_.setChannelError(q["channel"], q["error"]);
      else if (path == "/es/indices") {
        Poco::JSON::Object out;
        for (const auto& [index, count] : es_.indices()) out.set(index, static_cast<int>(count));
        body = stringify(out);
      } else if (path == "/es/doc") {
        auto doc = es_.document(q["index"], q["id"]);
        if (doc) body = *doc;
        else status = 404;
      } else if (path == "/slack/messages") {
        Poco::JSON::Array out;
        for (const auto& m : slack_.messages()) {
          Poco::JSON::Object o;
          o.set("channel", m.channel);
          o.set("text", m.text);
          o.set("thread_ts", m.threadTs);
          o.set("ts", m.ts);
          o.set("ts_received_us", static_cast<Poco::Int64>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                                  m.receivedAt.time_since_epoch())
                                                                  .count()));
          out.add(o);
        }
        std::ostringstream s;
        Poco::JSON::Stringifier::condense(out, s);
        body = s.str();
      } else {
        status = 404;
        body = "{\"ok\":false,\"error\":\"unknown control path\"}";
      }
    } catch (const std::exception& e) {
      status = 400;
      body = std::string("{\"ok\":false,\"error\":\"") + e.what() + "\"}";
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.send() << body;
  }

 private:
  static std::string stringify(const Poco::JSON::Object& o) {
    std::ostringstream s;
    Poco::JSON::Stringifier::condense(o, s);
    return s.str();
  }
  EsTestServer& es_;
  SlackTestServer& slack_;
};

class ControlFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  ControlFactory(EsTestServer& es, SlackTestServer& slack) : es_(es), slack_(slack) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new ControlHandler(es_, slack_);
  }

 private:
  EsTestServer& es_;
  SlackTestServer& slack_;
};

}  // namespace

int main(int argc, char** argv) {
  podmon::Shutdown shutdown;
  std::string envFile;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--env-file") envFile = argv[i + 1];
  }
  EsTestServer es;
  SlackTestServer slack;
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::HTTPServer control(new ControlFactory(es, slack), socket, new Poco::Net::HTTPServerParams);
  control.start();
  std::ostringstream env;
  env << "export ELASTICSEARCH_URL=" << es.url() << "\n"
      << "export SLACK_API_URL=" << slack.apiUrl() << "\n"
      << "export SLACK_TOKEN=" << slack.token() << "\n"
      << "export SINKS_SIM_CONTROL=http://127.0.0.1:" << socket.address().port() << "\n";
  if (!envFile.empty()) {
    std::ofstream(envFile + ".tmp") << env.str();
    std::rename((envFile + ".tmp").c_str(), envFile.c_str());
  }
  std::cout << env.str() << std::flush;
  shutdown.wait();
  control.stopAll(true);
  std::size_t docs = es.documentCount();
  std::cerr << "sinks-sim: " << docs << " Elasticsearch documents, " << slack.messages().size() << " Slack messages\n";
  return 0;
}
