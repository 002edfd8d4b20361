#include "api_handler_factory.h"

#include "api_request_handler.h"

namespace podmon::kubesim {

Poco::Net::HTTPRequestHandler* ApiHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new ApiRequestHandler(server_);
}

}  // namespace podmon::kubesim
