#pragma once

#include <Poco/Net/Context.h>

#include <mutex>
#include <set>
#include <string>

#include "kube/kube_config.h"
#include "kube/kube_transport.h"

namespace podmon::kube {

// KubeTransport over Poco's HTTP(S) client. Every request gets its own connection because a
// watch holds one open for minutes while lists and log reads run beside it; that also makes the
// class safe to share between threads. The socket is connected here (not by the session) so
// abort() can shut down its file descriptor: that wakes a reader blocked on another thread
// without touching the TLS state it is using.
class PocoKubeTransport : public KubeTransport {
 public:
  // Throws ConfigException when the server URL or the TLS material (CA, client cert/key) is unusable.
  explicit PocoKubeTransport(KubeConnection connection);
  ~PocoKubeTransport() override;

  void request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
               std::chrono::milliseconds timeout, const ResponseHandler& handler) override;
  void abort() override;
  std::string describe() const override;

 private:
  struct ActiveRequest;
  class ActiveGuard;

  // The Authorization header value ("" without credentials). Throws KubeException when the
  // credentials cannot be had.
  std::string authorizationHeader() const;
  // One attempt. Returns the status; the handler is not called when `retryOn401` and the answer is 401.
  int exchange(const std::string& method, const std::string& pathAndQuery, const std::string& body,
               std::chrono::milliseconds timeout, const ResponseHandler& handler, bool retryOn401);

  KubeConnection connection_;
  bool https_ = false;
  std::string host_;
  unsigned short port_ = 0;
  std::string pathPrefix_;  // e.g. /k8s/clusters/c-1 behind a proxying server URL
  Poco::Net::Context::Ptr tlsContext_;

  std::mutex activeMutex_;
  std::set<ActiveRequest*> active_;
};

}  // namespace podmon::kube
