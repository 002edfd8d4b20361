#include "http/poco_http_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include "http/retry_after.h"

namespace podmon::http {

namespace {

// Reads the whole body, at most `limit` bytes (0 = no bound); throws Poco::DataFormatException beyond.
void readBody(std::istream& in, std::size_t limit, std::string& body) {
  if (limit == 0) {
    Poco::StreamCopier::copyToString(in, body);
    return;
  }
  char chunk[4096];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    body.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) throw Poco::DataFormatException("response body over " + std::to_string(limit) + " bytes");
  }
}

void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace

PocoHttpClient::PocoHttpClient(HttpClientOptions options) : options_(std::move(options)) {
  if (options_.scheme != "https") return;
  initializeSslOnce();
  tlsContext_ =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options_.caFile,
                             Poco::Net::Context::VERIFY_RELAXED, 9, options_.caFile.empty(), "HIGH:!aNULL:!MD5:!RC4");
  tlsContext_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
}

PocoHttpClient::~PocoHttpClient() = default;

std::string PocoHttpClient::describe() const {
  return options_.scheme + "://" + options_.host + ":" + std::to_string(options_.port);
}

std::unique_ptr<Poco::Net::HTTPClientSession> PocoHttpClient::newSession() const {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (tlsContext_) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(options_.host, options_.port, tlsContext_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(options_.host, options_.port);
  }
  const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count());
  session->setTimeout(timeout, timeout, timeout);
  session->setKeepAlive(options_.keepAlive);
  return session;
}

std::string PocoHttpClient::hostHeader() const {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  std::string value = ipv6 ? "[" + options_.host + "]" : options_.host;
  const unsigned short defaultPort = options_.scheme == "https" ? 443 : 80;
  if (options_.port != defaultPort) value += ":" + std::to_string(options_.port);
  return value;
}

HttpResponse PocoHttpClient::send(HttpRequest request) {
  std::vector<std::pair<std::string, std::string>> own = std::move(request.headers);
  request.headers = options_.headers;
  for (const auto& [name, value] : own) request.setHeader(name, value);
  if (!options_.signer) return sendNow(request);

  // A signature covers the Host header: it is set here as it goes out (host[:port], the port only
  // when it is not the scheme's).
  request.setHeader("Host", hostHeader());
  HttpRequest signedRequest = request;
  options_.signer->sign(signedRequest);
  HttpResponse response = sendNow(signedRequest);
  if ((response.status == 401 || response.status == 403) && options_.signer->credentialsRejected(response)) {
    signedRequest = request;  // once, with fresh credentials
    options_.signer->sign(signedRequest);
    response = sendNow(signedRequest);
  }
  return response;
}

HttpResponse PocoHttpClient::sendNow(const HttpRequest& request) {
  std::lock_guard lock(mutex_);
  bool serverKeepsAlive = false;
  if (!options_.keepAlive) return exchange(*newSession(), request, &serverKeepsAlive);
  // A kept-alive connection may have been closed by the server meanwhile: a failure on a reused
  // connection is tried once more on a fresh one.
  for (int attempt = 0;; ++attempt) {
    const bool reused = session_ != nullptr;
    if (!session_) session_ = newSession();
    try {
      HttpResponse response = exchange(*session_, request, &serverKeepsAlive);
      if (!serverKeepsAlive) session_.reset();
      return response;
    } catch (const Poco::Exception& e) {
      session_.reset();
      if (reused && attempt == 0 && dynamic_cast<const Poco::TimeoutException*>(&e) == nullptr) continue;
      throw;
    }
  }
}

HttpResponse PocoHttpClient::exchange(Poco::Net::HTTPClientSession& session, const HttpRequest& request,
                                      bool* serverKeepsAlive) const {
  Poco::Net::HTTPRequest out(request.method, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
  out.setHost(options_.host, options_.port);
  if (options_.keepAlive) out.setKeepAlive(true);
  for (const auto& [name, value] : request.headers) out.set(name, value);
  if (!request.contentType.empty()) out.setContentType(request.contentType);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    out.setContentLength(static_cast<std::streamsize>(request.body.size()));
  }
  std::ostream& body = session.sendRequest(out);
  body.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
  body.flush();
  Poco::Net::HTTPResponse answer;
  std::istream& in = session.receiveResponse(answer);
  HttpResponse response;
  response.status = static_cast<int>(answer.getStatus());
  readBody(in, options_.maxResponseBytes, response.body);
  if (answer.has("Retry-After")) response.retryAfter = parseRetryAfter(answer.get("Retry-After"));
  if (in.bad()) throw Poco::IOException("connection broke while reading the response");
  *serverKeepsAlive = answer.getKeepAlive();
  return response;
}

}  // namespace podmon::http
