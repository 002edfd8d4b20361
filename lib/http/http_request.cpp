#include "http/http_request.h"

#include <Poco/String.h>

namespace podmon::http {

void HttpRequest::setHeader(const std::string& name, const std::string& value) {
  for (auto& header : headers) {
    if (Poco::icompare(header.first, name) == 0) {
      header.second = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

}  // namespace podmon::http
