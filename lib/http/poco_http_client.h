#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/http_client.h"

namespace podmon::http {

struct HttpClientOptions {
  std::string scheme = "http";  // "http" or "https"
  std::string host;
  unsigned short port = 80;
  std::string caFile;                        // PEM bundle for https; "" = the system CAs
  std::chrono::milliseconds timeout{30000};  // connect, send and receive each
  // true: one kept-alive connection, reused request after request (a failure on a reused one is
  // tried once more on a fresh connection: only for idempotent requests). false: a fresh
  // connection per request.
  bool keepAlive = false;
  // Sent with every request (Accept, User-Agent, Authorization); a request's own headers win.
  std::vector<std::pair<std::string, std::string>> headers;
  RequestSigner::Ptr signer;  // null: requests go out unsigned
  // A larger answer body fails the exchange with Poco::DataFormatException (0 = no bound): for
  // servers whose answers are small and must not fill memory (AWS credential endpoints).
  std::size_t maxResponseBytes = 0;
};

// HttpClient over Poco's HTTP(S) client session. https verifies the server against caFile when
// set, else the system CAs, with TLS 1.2 at least and strong ciphers only. Thread-safe: requests
// on one client go one at a time (each sink has one worker thread).
class PocoHttpClient : public HttpClient {
 public:
  // Throws Poco::Exception when the TLS context cannot be built (an unusable CA file).
  explicit PocoHttpClient(HttpClientOptions options);
  ~PocoHttpClient() override;

  HttpResponse send(HttpRequest request) override;
  std::string describe() const override;

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> newSession() const;
  // The Host header as sent: host[:port], the port only when it is not the scheme's default.
  std::string hostHeader() const;
  // `request` as it is, on the kept-alive connection or a fresh one.
  HttpResponse sendNow(const HttpRequest& request);
  // One exchange on `session`; *serverKeepsAlive says whether the server keeps the connection open.
  HttpResponse exchange(Poco::Net::HTTPClientSession& session, const HttpRequest& request,
                        bool* serverKeepsAlive) const;

  HttpClientOptions options_;
  Poco::Net::Context::Ptr tlsContext_;
  std::mutex mutex_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;  // the kept-alive connection
};

}  // namespace podmon::http
