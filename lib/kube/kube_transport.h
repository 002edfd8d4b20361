#pragma once

#include <chrono>
#include <functional>
#include <istream>
#include <memory>
#include <string>

namespace podmon::kube {

// One HTTP exchange with the Kubernetes API server. The body is handed over as a stream so a
// watch can be read incrementally while the server is still sending it.
class KubeTransport {
 public:
  using Ptr = std::shared_ptr<KubeTransport>;
  using ResponseHandler = std::function<void(int status, std::istream& body)>;
  virtual ~KubeTransport() = default;

  // Sends `method pathAndQuery` (pathAndQuery starts with '/', already URL-encoded) with an
  // optional JSON body, and calls `handler` with the status and body stream. `timeout` bounds
  // connecting and each read. Throws KubeException when the server cannot be reached or the
  // connection breaks (Poco exceptions never escape).
  virtual void request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                       std::chrono::milliseconds timeout, const ResponseHandler& handler) = 0;

  // Aborts a request in progress on another thread (used to stop a watch promptly).
  virtual void abort() = 0;

  // Where requests go, for logs (never contains credentials).
  virtual std::string describe() const = 0;
};

}  // namespace podmon::kube
