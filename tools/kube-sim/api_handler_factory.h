#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace podmon::kubesim {

class KubeSimServer;

// Gives Poco's HTTPServer one ApiRequestHandler per request, bound to the server's state.
class ApiHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(KubeSimServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  KubeSimServer& server_;
};

}  // namespace podmon::kubesim
