#include "status/status_server.h"

#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

namespace podmon::status {
namespace {

std::string pathOf(const std::string& target) { return target.substr(0, target.find_first_of("?#")); }

}  // namespace

StatusServer::StatusServer(Options options, MetricsRegistry& metrics, HealthState& health)
    : options_(std::move(options)), metrics_(metrics), health_(health) {}

StatusServer::~StatusServer() { stop(); }

void StatusServer::start() {
  BoundedHttpServer::Options o;
  o.host = options_.host;
  o.port = options_.port;
  o.workers = options_.maxThreads;
  o.maxConnections = options_.maxConnections;
  o.headerTimeout = options_.headerTimeout;
  server_ = std::make_unique<BoundedHttpServer>(
      o, [this](const HttpRequestHead& head, const std::string& client) { return handle(head, client); }, isProbe);
  try {
    server_->start();
  } catch (const Poco::Net::NetException& e) {
    throw Poco::Net::NetException("status server (STATUS_BIND_ADDRESS, SERVER_PORT): " + e.message());
  }
}

void StatusServer::stop() {
  if (server_) {
    server_->stop();
    server_.reset();
  }
}

unsigned short StatusServer::port() const { return server_ ? server_->port() : 0; }

bool StatusServer::isProbe(const HttpRequestHead& head) {
  auto path = pathOf(head.target);
  return path == "/healthz" || path == "/readyz" || path == "/health";
}

ApiResponse StatusServer::handle(const HttpRequestHead& head, const std::string& client) {
  ApiRequest request;
  try {
    Poco::URI uri(head.target);
    request.method = head.method;
    request.path = uri.getPath();
    for (const auto& [k, v] : uri.getQueryParameters()) request.query[k] = v;
    request.authorization = head.header("authorization");
    request.client = client;
    request.cookie = head.header("cookie");
    request.host = head.header("host");
    request.origin = head.header("origin");
    request.referer = head.header("referer");
    request.body = head.body;
  } catch (const std::exception&) {
    // A bad escape in the path or query. Never log the target: its query may hold the token.
    ApiResponse r;
    r.status = 400;
    r.body = R"({"error":"bad request: malformed URI"})";
    return r;
  }
  return route(request);
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
  } else if (request.path == "/health") {
    // The original's GET /health: 200 {"status":"up"} or 500 {"status":"down"}, from the last
    // answers of the DependencyChecker (in memory, so it can stay on the poll loop).
    auto report = health_.health();
    r.status = report.ok ? 200 : 500;
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
