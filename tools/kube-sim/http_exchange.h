#pragma once

#include <string>
#include <vector>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>

namespace podmon::kubesim {

class ApiError;

// One HTTP request and its response, with the path split into segments and the query decoded.
// Handlers read parameters and send JSON, text or a Status through it.
class HttpExchange {
 public:
  HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  const std::string& method() const { return request_.getMethod(); }
  const std::vector<std::string>& segments() const { return segments_; }
  const std::string& path() const { return path_; }
  std::string param(const std::string& name, const std::string& fallback = "") const;
  bool hasParam(const std::string& name) const { return query_.has(name); }
  bool boolParam(const std::string& name) const;
  // Integer parameter; throws ApiError 400 if it is not a number.
  long long intParam(const std::string& name, long long fallback) const;
  std::string body() const;

  void sendJson(int status, const std::string& json);
  void sendText(int status, const std::string& text);
  void sendError(const ApiError& error);
  bool responded() const { return response_.sent(); }

  Poco::Net::HTTPServerRequest& request() { return request_; }
  Poco::Net::HTTPServerResponse& response() { return response_; }

 private:
  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  std::string path_;
  std::vector<std::string> segments_;
  Poco::Net::NameValueCollection query_;
};

}  // namespace podmon::kubesim
