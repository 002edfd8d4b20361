#include "status/status_server.h"

#include "core/http_server_stop.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

namespace podmon::status {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(StatusServer& server) : server_(server) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    ApiResponse answer;
    ApiRequest request;
    try {
      Poco::URI uri(req.getURI());
      request.method = req.getMethod();
      request.path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) request.query[k] = v;
      request.authorization = req.get("Authorization", "");
      request.client = req.clientAddress().host().toString();
      answer = server_.route(request);
    } catch (const std::exception& e) {
      // A bad URI or an unexpected failure: answer, never take the server down.
      answer.status = 400;
      answer.body = R"({"error":"bad request"})";
      spdlog::debug("status server: {} {}: {}", req.getMethod(), req.getURI(), e.what());
    }
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    resp.setContentType(answer.contentType);
    for (const auto& [k, v] : answer.headers) resp.set(k, v);
    resp.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    auto& out = resp.send();
    if (request.method != "HEAD") out << answer.body;
  }

 private:
  StatusServer& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(StatusServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  StatusServer& server_;
};

}  // namespace

StatusServer::StatusServer(Options options, MetricsRegistry& metrics, HealthState& health)
    : options_(std::move(options)), metrics_(metrics), health_(health) {}

StatusServer::~StatusServer() { stop(); }

void StatusServer::start() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options_.host, options_.port), 64);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.maxThreads);
  params->setMaxQueued(64);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

void StatusServer::stop() {
  if (server_) {
    stopServerAndWait(*server_);
    server_.reset();
  }
}

void StatusServer::attachApi(std::shared_ptr<HealthApi> api) {
  std::lock_guard lock(apiMutex_);
  api_ = std::move(api);
}

ApiResponse StatusServer::route(const ApiRequest& request) {
  ApiResponse r;
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (request.path == "/healthz" || request.path == "/readyz") {
    auto report = request.path == "/healthz" ? health_.liveness() : health_.readiness();
    r.status = report.ok ? 200 : 503;
    r.body = report.json;
  } else if (request.path == "/metrics") {
    r.contentType = MetricsRegistry::kContentType;
    r.body = metrics_.render();
  } else if (HealthApi::handles(request.path)) {
    std::shared_ptr<HealthApi> api;
    {
      std::lock_guard lock(apiMutex_);
      api = api_;
    }
    if (api) return api->handle(request);
    r.status = 404;
    r.body = R"({"error":"the API is off: set API_TOKEN to turn it on"})";
    return r;
  } else {
    r.status = 404;
    r.body = R"({"error":"not found"})";
    return r;
  }
  if (!read) {
    r = ApiResponse{};
    r.status = 405;
    r.headers["Allow"] = "GET, HEAD";
    r.body = R"({"error":"method not allowed"})";
  }
  return r;
}

}  // namespace podmon::status
