#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "status/health_api.h"
#include "status/health_state.h"
#include "status/metrics_registry.h"

namespace Poco::Net {
class HTTPServer;
}

namespace podmon::status {

// The HTTP face of the daemon on SERVER_PORT: /healthz, /readyz and /metrics are always open;
// /api/ goes to the HealthApi once one is attached (404 before). It starts before anything else
// so /healthz answers during start-up, and on a standby too.
class StatusServer {
 public:
  struct Options {
    std::string host = "0.0.0.0";
    unsigned short port = 8080;  // 0 = any free port (tests)
    int maxThreads = 8;
  };

  StatusServer(Options options, MetricsRegistry& metrics, HealthState& health);
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  // Throws Poco::Net::NetException when the port cannot be bound.
  void start();
  void stop();
  unsigned short port() const { return port_; }

  void attachApi(std::shared_ptr<HealthApi> api);
  // Routes one request (the Poco handler calls this; so can tests).
  ApiResponse route(const ApiRequest& request);

 private:
  Options options_;
  MetricsRegistry& metrics_;
  HealthState& health_;
  std::mutex apiMutex_;
  std::shared_ptr<HealthApi> api_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  unsigned short port_ = 0;
};

}  // namespace podmon::status
