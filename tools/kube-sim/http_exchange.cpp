#include "http_exchange.h"

#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "api_error.h"

namespace podmon::kubesim {

HttpExchange::HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
    : request_(request), response_(response) {
  Poco::URI uri(request.getURI());
  path_ = uri.getPath();
  uri.getPathSegments(segments_);
  for (const auto& [k, v] : uri.getQueryParameters()) query_.add(k, v);
}

std::string HttpExchange::param(const std::string& name, const std::string& fallback) const {
  return query_.get(name, fallback);
}

bool HttpExchange::boolParam(const std::string& name) const {
  std::string v = param(name);
  return v == "true" || v == "1" || v == "True";
}

long long HttpExchange::intParam(const std::string& name, long long fallback) const {
  std::string v = param(name);
  if (v.empty()) return fallback;
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    throw ApiError::badRequest("invalid value for " + name + ": \"" + v + "\"");
  }
}

std::string HttpExchange::body() const {
  std::string out;
  Poco::StreamCopier::copyToString(request_.stream(), out);
  return out;
}

void HttpExchange::sendJson(int status, const std::string& json) {
  response_.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response_.setContentType("application/json");
  response_.setContentLength(static_cast<std::streamsize>(json.size()));
  response_.send().write(json.data(), static_cast<std::streamsize>(json.size()));
}

void HttpExchange::sendText(int status, const std::string& text) {
  response_.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response_.setContentType("text/plain");
  response_.setContentLength(static_cast<std::streamsize>(text.size()));
  response_.send().write(text.data(), static_cast<std::streamsize>(text.size()));
}

void HttpExchange::sendError(const ApiError& error) { sendJson(error.httpCode(), error.statusJson()); }

}  // namespace podmon::kubesim
