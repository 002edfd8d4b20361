#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace podmon::index {

// An HTTP answer from Elasticsearch, whatever its status.
struct EsResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::milliseconds> retryAfter;  // from a Retry-After header, when sent
};

// One HTTP exchange with Elasticsearch, behind an interface so the delivery logic (batching,
// splitting, classifying) is unit-tested with a fake. Implementations add authentication.
class EsHttpClient {
 public:
  using Ptr = std::shared_ptr<EsHttpClient>;
  virtual ~EsHttpClient() = default;

  // Sends `method pathAndQuery` (starting with '/') with `body` of `contentType` ("" for none).
  // Returns any HTTP answer, error statuses included. Throws SinkException when there is no
  // answer: connection refused or broken, TLS failure, timeout.
  virtual EsResponse request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                             const std::string& contentType) = 0;

  // Where requests go, for logs; never contains credentials.
  virtual std::string describe() const = 0;
};

}  // namespace podmon::index
