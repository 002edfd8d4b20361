#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "status/bounded_http_server.h"
#include "status/health_api.h"
#include "status/health_state.h"
#include "status/metrics_registry.h"

namespace podmon::status {

// The HTTP face of the daemon on STATUS_BIND_ADDRESS:SERVER_PORT: /healthz, /readyz, /health (the
// original kubernetes-pod-monitor's check) and /metrics are always open; /api/ goes to the HealthApi once one is
// attached (404 before). It starts before anything else so /healthz answers during start-up, and on a standby too. The
// probes are answered on the server's poll loop, apart from the workers that serve /metrics and the API, so neither
// idle connections nor slow API calls can make a probe wait (see BoundedHttpServer).
class StatusServer {
 public:
  struct Options {
    std::string host = "0.0.0.0";  // STATUS_BIND_ADDRESS
    unsigned short port = 8080;    // 0 = any free port (tests)
    int maxThreads = 8;            // workers for /metrics and the API
    std::size_t maxConnections = 128;
    std::chrono::milliseconds headerTimeout{std::chrono::seconds(3)};
  };

  StatusServer(Options options, MetricsRegistry& metrics, HealthState& health);
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  // Throws Poco::Net::NetException when the address cannot be resolved or bound.
  void start();
  // Waits for running handlers; never throws.
  void stop();
  unsigned short port() const;

  void attachApi(std::shared_ptr<HealthApi> api);
  // Routes one request (the server calls this; so can tests).
  ApiResponse route(const ApiRequest& request);
  // The probes, answered on the poll loop.
  static bool isProbe(const HttpRequestHead& head);

 private:
  ApiResponse handle(const HttpRequestHead& head, const std::string& client);

  Options options_;
  MetricsRegistry& metrics_;
  HealthState& health_;
  std::mutex apiMutex_;
  std::shared_ptr<HealthApi> api_;
  std::unique_ptr<BoundedHttpServer> server_;
};

}  // namespace podmon::status
