#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/errors.h"
#include "index/es_http_client.h"

namespace podmon::index::testing {

// Records requests and answers from a script; an empty script answers with `fallback`.
class FakeEsHttpClient : public EsHttpClient {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::string body;
    std::string contentType;
  };
  // Computes an answer for a request; may throw SinkException to simulate no answer.
  using Responder = std::function<EsResponse(const Request&)>;

  EsResponse request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                     const std::string& contentType) override {
    requests.push_back({method, pathAndQuery, body, contentType});
    if (!script.empty()) {
      Responder next = std::move(script.front());
      script.pop_front();
      return next(requests.back());
    }
    return fallback(requests.back());
  }
  std::string describe() const override { return "http://fake:9200"; }

  static Responder answer(int status, std::string body = "{}") {
    return [status, body](const Request&) { return EsResponse{status, body, std::nullopt}; };
  }
  static Responder refuse() {
    return [](const Request&) -> EsResponse { throw SinkException("Connection refused"); };
  }

  std::deque<Responder> script;
  Responder fallback = answer(500);
  std::vector<Request> requests;
};

}  // namespace podmon::index::testing
