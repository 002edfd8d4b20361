#include "http/base64.h"

#include <Poco/Base64Encoder.h>

#include <sstream>

namespace podmon::http {

std::string base64Encode(const std::string& raw) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << raw;
  encoder.close();
  return out.str();
}

std::string basicAuthorization(const std::string& user, const std::string& password) {
  return "Basic " + base64Encode(user + ":" + password);
}

}  // namespace podmon::http
