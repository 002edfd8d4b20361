#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace podmon::kubesim {

class KubeSimServer;
class HttpExchange;

// Routes one request to the API class that serves its path, counts it in the stats, and turns
// every error into a Status response with the right HTTP code.
class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiRequestHandler(KubeSimServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

 private:
  void route(HttpExchange& ex);
  KubeSimServer& server_;
};

}  // namespace podmon::kubesim
