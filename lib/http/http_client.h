#pragma once

#include <memory>
#include <string>

#include "http/http_request.h"

namespace podmon::http {

// Adds headers to each request just before it is sent: authentication that depends on the
// request itself (an AWS SigV4 signature over method, target, headers and body). Runs on the
// sending thread; must not throw for a request it can sign.
class RequestSigner {
 public:
  using Ptr = std::shared_ptr<const RequestSigner>;
  virtual ~RequestSigner() = default;
  // Adds the signature headers. Throws (aws::CredentialsError, a std::runtime_error) when no
  // credentials can be had.
  virtual void sign(HttpRequest& request) const = 0;
  // Sees a 401 or 403 answer to a request it signed. True when the answer says the signing
  // credentials went stale (an expired session token) and they were dropped: the client then signs
  // the request anew and sends it once more. Never throws.
  virtual bool credentialsRejected(const HttpResponse& response) const {
    (void)response;
    return false;
  }
};

// One HTTP exchange with a server podmon sends to (Elasticsearch, Slack), behind an interface so
// the sinks' clients share one implementation (TLS, timeouts, connection reuse, Retry-After) and
// a request signer can be plugged in.
class HttpClient {
 public:
  using Ptr = std::shared_ptr<HttpClient>;
  virtual ~HttpClient() = default;

  // Sends `request` and returns any HTTP answer, error statuses included. Throws Poco::Exception
  // (Poco::Net::NetException, Poco::TimeoutException, Poco::IOException, ...) when no answer came:
  // connection refused or broken, TLS failure, timeout. Its message names host and port at most,
  // never the target or the headers (which may hold secrets). What a signer's sign() throws goes
  // through.
  virtual HttpResponse send(HttpRequest request) = 0;

  // scheme://host:port, for logs.
  virtual std::string describe() const = 0;
};

}  // namespace podmon::http
