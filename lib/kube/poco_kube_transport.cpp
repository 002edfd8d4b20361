#include "kube/poco_kube_transport.h"

#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <memory>
#include <optional>
#include <sstream>
#include <vector>

#include "core/errors.h"

namespace podmon::kube {

namespace {

void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

std::vector<std::string> splitPemBlocks(const std::string& pem) {
  std::vector<std::string> blocks;
  static const std::string kBegin = "-----BEGIN CERTIFICATE-----";
  static const std::string kEnd = "-----END CERTIFICATE-----";
  std::size_t pos = 0;
  while ((pos = pem.find(kBegin, pos)) != std::string::npos) {
    std::size_t end = pem.find(kEnd, pos);
    if (end == std::string::npos) break;
    end += kEnd.size();
    blocks.push_back(pem.substr(pos, end - pos) + "\n");
    pos = end;
  }
  return blocks;
}

std::vector<Poco::Crypto::X509Certificate> parseCertificates(const std::string& pem, const std::string& what) {
  std::vector<Poco::Crypto::X509Certificate> certs;
  try {
    for (const auto& block : splitPemBlocks(pem)) {
      std::istringstream in(block);
      certs.emplace_back(in);
    }
  } catch (const Poco::Exception& e) {
    throw ConfigException(what + " is not a valid PEM certificate: " + e.displayText());
  }
  if (certs.empty()) throw ConfigException(what + " contains no PEM certificate");
  return certs;
}

// Reads the PEM private key with OpenSSL directly: Poco's EVPPKey stream constructor leaks the
// key it allocated when the PEM does not parse (found by LeakSanitizer). The message names the
// OpenSSL reason, never the key material.
Poco::Crypto::EVPPKey parsePrivateKey(const std::string& pem, const std::string& origin) {
  ERR_clear_error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!raw) {
    char reason[256] = "unknown reason";
    if (unsigned long code = ERR_get_error()) ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    throw ConfigException("client key from " + origin + " is not a usable PEM private key: " + reason);
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, &EVP_PKEY_free);
  return Poco::Crypto::EVPPKey(key.get());  // takes its own reference
}

Poco::Net::Context::Ptr makeTlsContext(const KubeConnection& connection) {
  initializeSslOnce();
  const std::string origin = connection.origin.empty() ? connection.server : connection.origin;
  Poco::Net::Context::Params params;
  params.verificationMode =
      connection.insecureSkipTlsVerify ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_RELAXED;
  params.loadDefaultCAs = connection.caPem.empty() && !connection.insecureSkipTlsVerify;
  params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  // The host name is checked by checkPeerName() below with OpenSSL's own matcher, which handles
  // IP address SANs (kind and kubeadm serve https://127.0.0.1 or an IP) and tls-server-name.
  context->enableExtendedCertificateVerification(false);
  if (!connection.caPem.empty()) {
    for (const auto& cert : parseCertificates(connection.caPem, "certificate authority from " + origin)) {
      context->addCertificateAuthority(cert);
    }
  }
  if (!connection.clientCertPem.empty()) {
    auto chain = parseCertificates(connection.clientCertPem, "client certificate from " + origin);
    try {
      context->useCertificate(chain.front());
      for (std::size_t i = 1; i < chain.size(); ++i) context->addChainCertificate(chain[i]);
      context->usePrivateKey(parsePrivateKey(connection.clientKeyPem, origin));
    } catch (const Poco::Exception& e) {
      // displayText() of an OpenSSL error names the problem, never the key material.
      throw ConfigException("client certificate/key from " + origin + " cannot be used: " + e.displayText());
    }
  }
  return context;
}

void checkPeerName(Poco::Net::SecureStreamSocket& socket, const std::string& expected, const std::string& server) {
  Poco::Crypto::X509Certificate cert = socket.peerCertificate();
  X509* x509 = const_cast<X509*>(cert.certificate());
  Poco::Net::IPAddress ip;
  bool ok = Poco::Net::IPAddress::tryParse(expected, ip)
                ? X509_check_ip_asc(x509, expected.c_str(), 0) == 1
                : X509_check_host(x509, expected.c_str(), expected.size(), 0, nullptr) == 1;
  if (!ok) {
    throw KubeException(server + ": the server certificate is not valid for \"" + expected +
                        "\" (set tls-server-name in the kubeconfig if the server uses another name)");
  }
}

// HTTP over an already connected and handshaken TLS socket. HTTPSClientSession cannot take one
// (its constructor resets the port of the connected session and throws), so this is a plain
// client session that, like HTTPSClientSession, reads a peer closing without close_notify as EOF.
class TlsClientSession : public Poco::Net::HTTPClientSession {
 public:
  explicit TlsClientSession(const Poco::Net::SecureStreamSocket& socket) : HTTPClientSession(socket) {}

 protected:
  int read(char* buffer, std::streamsize length) override {
    try {
      return HTTPClientSession::read(buffer, length);
    } catch (const Poco::Net::SSLConnectionUnexpectedlyClosedException&) {
      return 0;
    }
  }
};

std::string contentTypeFor(const std::string& method) {
  return Poco::toUpper(method) == "PATCH" ? "application/merge-patch+json" : "application/json";
}

// Connects with the timeout on connect, send and receive (0: none), and no Nagle delay.
void connectSocket(Poco::Net::StreamSocket& socket, const Poco::Net::SocketAddress& address,
                   std::chrono::milliseconds timeout) {
  const Poco::Timespan pocoTimeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
  if (timeout.count() > 0) {
    socket.connect(address, pocoTimeout);
    socket.setReceiveTimeout(pocoTimeout);
    socket.setSendTimeout(pocoTimeout);
  } else {
    socket.connect(address);
  }
  socket.setNoDelay(true);
}

// Accept, User-Agent, no keep-alive, the credentials, and the body's type and length.
void setRequestHeaders(Poco::Net::HTTPRequest& request, const std::string& method, const std::string& body,
                       const std::string& authorization) {
  request.set("Accept", "application/json");
  request.set("User-Agent", "podmon/" PODMON_VERSION);
  request.setKeepAlive(false);
  if (!authorization.empty()) request.set("Authorization", authorization);
  if (!body.empty() || (request.getMethod() != "GET" && request.getMethod() != "DELETE")) {
    request.setContentType(contentTypeFor(method));
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
}

}  // namespace

// A request in flight, so abort() can find its socket. `fd` is only set while the socket is
// open; the guard removes the entry before the socket is closed, so abort() never touches a
// descriptor number that may have been reused.
struct PocoKubeTransport::ActiveRequest {
  poco_socket_t fd = POCO_INVALID_SOCKET;
  bool aborted = false;
};

class PocoKubeTransport::ActiveGuard {
 public:
  ActiveGuard(PocoKubeTransport& owner, ActiveRequest& request) : owner_(owner), request_(request) {
    std::lock_guard lock(owner_.activeMutex_);
    owner_.active_.insert(&request_);
  }
  ~ActiveGuard() {
    std::lock_guard lock(owner_.activeMutex_);
    owner_.active_.erase(&request_);
  }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;

  // Records the connected socket; throws if abort() came first.
  void attach(poco_socket_t fd) {
    std::lock_guard lock(owner_.activeMutex_);
    request_.fd = fd;
    throwIfAborted();
  }
  void checkNotAborted() {
    std::lock_guard lock(owner_.activeMutex_);
    throwIfAborted();
  }

 private:
  void throwIfAborted() {
    if (request_.aborted) throw KubeException("request to " + owner_.describe() + " was aborted");
  }

  PocoKubeTransport& owner_;
  ActiveRequest& request_;
};

PocoKubeTransport::PocoKubeTransport(KubeConnection connection) : connection_(std::move(connection)) {
  Poco::URI uri;
  try {
    uri = Poco::URI(connection_.server);
  } catch (const Poco::Exception& e) {
    throw ConfigException("Kubernetes server URL \"" + connection_.server + "\" is invalid: " + e.displayText());
  }
  const std::string scheme = Poco::toLower(uri.getScheme());
  if (scheme != "http" && scheme != "https") {
    throw ConfigException("Kubernetes server URL \"" + connection_.server + "\" must start with http:// or https://");
  }
  if (uri.getHost().empty()) throw ConfigException("Kubernetes server URL \"" + connection_.server + "\" has no host");
  https_ = scheme == "https";
  host_ = uri.getHost();
  port_ = uri.getPort();
  pathPrefix_ = uri.getPath();
  while (!pathPrefix_.empty() && pathPrefix_.back() == '/') pathPrefix_.pop_back();
  if (https_) tlsContext_ = makeTlsContext(connection_);
}

PocoKubeTransport::~PocoKubeTransport() = default;

std::string PocoKubeTransport::describe() const { return connection_.server; }

void PocoKubeTransport::abort() {
  std::lock_guard lock(activeMutex_);
  for (ActiveRequest* request : active_) {
    request->aborted = true;
    // shutdown() (not close) makes a blocked recv() return at once on any thread, and leaves the
    // descriptor owned by the request thread, which closes it when it unwinds.
    if (request->fd != POCO_INVALID_SOCKET) ::shutdown(request->fd, SHUT_RDWR);
  }
}

void PocoKubeTransport::request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                                std::chrono::milliseconds timeout, const ResponseHandler& handler) {
  const bool canRetry = connection_.credentials != nullptr;
  int status = exchange(method, pathAndQuery, body, timeout, handler, canRetry);
  if (status == 401 && canRetry) {
    // A rotated token file or an expired plugin token: fetch a fresh one and try once more.
    connection_.credentials->invalidate();
    exchange(method, pathAndQuery, body, timeout, handler, false);
  }
}

std::string PocoKubeTransport::authorizationHeader() const {
  if (!connection_.credentials) return "";
  try {
    return connection_.credentials->authorizationHeader();
  } catch (const Poco::Exception& e) {
    throw KubeException("cannot get credentials for " + describe() + ": " + e.message());
  }
}

int PocoKubeTransport::exchange(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                                std::chrono::milliseconds timeout, const ResponseHandler& handler, bool retryOn401) {
  const std::string authorization = authorizationHeader();

  const Poco::Timespan pocoTimeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
  ActiveRequest active;
  // Declaration order matters: the guard is destroyed (unregistered) before the sockets close.
  Poco::Net::StreamSocket socket;
  std::optional<Poco::Net::SecureStreamSocket> secureSocket;
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  ActiveGuard guard(*this, active);
  try {
    connectSocket(socket, Poco::Net::SocketAddress(host_, port_), timeout);
    guard.attach(socket.impl()->sockfd());

    if (https_) {
      const std::string peerName = connection_.tlsServerName.empty() ? host_ : connection_.tlsServerName;
      secureSocket = Poco::Net::SecureStreamSocket::attach(socket, peerName, tlsContext_);
      if (!connection_.insecureSkipTlsVerify) checkPeerName(*secureSocket, peerName, describe());
      session = std::make_unique<TlsClientSession>(*secureSocket);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
    }
    if (timeout.count() > 0) session->setTimeout(pocoTimeout);

    Poco::Net::HTTPRequest request(Poco::toUpper(method), pathPrefix_ + pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost(host_, port_);
    setRequestHeaders(request, method, body, authorization);
    std::ostream& requestBody = session->sendRequest(request);
    requestBody << body;
    requestBody.flush();

    Poco::Net::HTTPResponse response;
    std::istream& responseBody = session->receiveResponse(response);
    guard.checkNotAborted();
    const int status = static_cast<int>(response.getStatus());
    if (status == 401 && retryOn401) return status;

    handler(status, responseBody);
    guard.checkNotAborted();
    if (responseBody.bad()) {
      throw KubeException("connection to " + describe() + " broke while reading the response to " +
                          request.getMethod() + " " + pathAndQuery);
    }
    return status;
  } catch (const PodmonException&) {
    throw;
  } catch (const Poco::Exception& e) {
    guard.checkNotAborted();
    throw KubeException(describe() + ": " + Poco::toUpper(method) + " " + pathAndQuery + " failed: " + e.displayText());
  }
}

}  // namespace podmon::kube
