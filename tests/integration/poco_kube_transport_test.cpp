#include "kube/poco_kube_transport.h"

#include "core/http_server_stop.h"

#include <gtest/gtest.h>

#include <Poco/Event.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <vector>

#include "core/errors.h"
#include "kube/credential_sources.h"

namespace podmon::kube {
namespace {

namespace fs = std::filesystem;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
using Handle = std::function<void(HTTPServerRequest&, HTTPServerResponse&)>;

constexpr std::chrono::milliseconds kTimeout{10000};
constexpr long kServerWaitMs = 10000;  // upper bound for a test server that waits for the client

class LambdaHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit LambdaHandler(Handle handle) : handle_(std::move(handle)) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override { handle_(request, response); }

 private:
  Handle handle_;
};

class LambdaFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit LambdaFactory(Handle handle) : handle_(std::move(handle)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new LambdaHandler(handle_);
  }

 private:
  Handle handle_;
};

// What the test server saw.
struct SeenRequest {
  std::string method;
  std::string uri;
  std::map<std::string, std::string> headers;
  std::string body;
  std::string clientCommonName;
};

// An HTTP(S) server on 127.0.0.1 port 0, answering with the test's handler and recording requests.
class TestServer {
 public:
  explicit TestServer(Handle handle, Poco::Net::Context::Ptr tls = nullptr) {
    Poco::Net::SocketAddress address("127.0.0.1", 0);
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(address, 64, tls) : Poco::Net::ServerSocket(address);
    port_ = socket.address().port();
    auto recording = [this, handle = std::move(handle)](HTTPServerRequest& request, HTTPServerResponse& response) {
      SeenRequest seen{request.getMethod(), request.getURI(), {}, {}, "none"};
      for (const auto& [name, value] : request) seen.headers[name] = value;
      Poco::StreamCopier::copyToString(request.stream(), seen.body);
      if (request.secure()) {
        try {
          auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
          Poco::Net::SecureStreamSocket secure(impl.socket());
          if (secure.havePeerCertificate()) seen.clientCommonName = secure.peerCertificate().commonName();
        } catch (const Poco::Exception&) {}
      }
      {
        std::lock_guard lock(mutex_);
        seen_.push_back(seen);
      }
      handle(request, response);
    };
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new LambdaFactory(recording), socket, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~TestServer() { stopServerAndWait(*server_); }

  std::string url(const std::string& scheme = "http") const { return scheme + "://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  unsigned short port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::mutex mutex_;
  std::vector<SeenRequest> seen_;
};

void reply(HTTPServerResponse& response, int status, const std::string& body) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

KubeConnection connectionTo(const std::string& server, CredentialSource::Ptr credentials = nullptr) {
  KubeConnection connection;
  connection.server = server;
  connection.credentials = std::move(credentials);
  return connection;
}

std::string readAll(std::istream& body) {
  std::string text;
  Poco::StreamCopier::copyToString(body, text);
  return text;
}

// Hands out "Bearer v1" until invalidated, then "Bearer v2".
class RotatingCredentials : public CredentialSource {
 public:
  std::string authorizationHeader() override { return invalidations_ == 0 ? "Bearer v1" : "Bearer v2"; }
  void invalidate() override { ++invalidations_; }
  std::atomic<int> invalidations_{0};
};

TEST(PocoKubeTransportTest, SendsHeadersAndReturnsStatusAndBody) {
  TestServer server(
      [](HTTPServerRequest&, HTTPServerResponse& response) { reply(response, 200, R"({"kind":"PodList"})"); });
  PocoKubeTransport transport(connectionTo(server.url(), std::make_shared<StaticTokenSource>("tok")));
  int status = 0;
  std::string body;
  transport.request("GET", "/api/v1/pods?limit=500", "", kTimeout, [&](int s, std::istream& in) {
    status = s;
    body = readAll(in);
  });
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, R"({"kind":"PodList"})");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].uri, "/api/v1/pods?limit=500");
  EXPECT_EQ(seen[0].headers["Accept"], "application/json");
  EXPECT_EQ(seen[0].headers["User-Agent"], "podmon/" PODMON_VERSION);
  EXPECT_EQ(seen[0].headers["Authorization"], "Bearer tok");
  EXPECT_EQ(transport.describe(), server.url());
}

TEST(PocoKubeTransportTest, SendsJsonBodyAndKeepsServerPathPrefix) {
  TestServer server([](HTTPServerRequest&, HTTPServerResponse& response) { reply(response, 201, "{}"); });
  PocoKubeTransport transport(connectionTo(server.url() + "/k8s/clusters/c-1/"));
  int status = 0;
  transport.request("POST", "/apis/coordination.k8s.io/v1/namespaces/ns/leases", R"({"a":1})", kTimeout,
                    [&](int s, std::istream&) { status = s; });
  EXPECT_EQ(status, 201);
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].uri, "/k8s/clusters/c-1/apis/coordination.k8s.io/v1/namespaces/ns/leases");
  EXPECT_EQ(seen[0].headers["Content-Type"], "application/json");
  EXPECT_EQ(seen[0].body, R"({"a":1})");
  EXPECT_EQ(seen[0].headers.count("Authorization"), 0u);
}

TEST(PocoKubeTransportTest, On401InvalidatesCredentialsAndRetriesOnce) {
  TestServer server([](HTTPServerRequest& request, HTTPServerResponse& response) {
    if (request.get("Authorization", "") == "Bearer v2") {
      reply(response, 200, "ok");
    } else {
      reply(response, 401, R"({"kind":"Status","code":401})");
    }
  });
  auto credentials = std::make_shared<RotatingCredentials>();
  PocoKubeTransport transport(connectionTo(server.url(), credentials));
  std::vector<int> statuses;
  transport.request("GET", "/api", "", kTimeout, [&](int s, std::istream&) { statuses.push_back(s); });
  EXPECT_EQ(statuses, std::vector<int>{200});
  EXPECT_EQ(credentials->invalidations_, 1);
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].headers["Authorization"], "Bearer v1");
  EXPECT_EQ(seen[1].headers["Authorization"], "Bearer v2");
}

TEST(PocoKubeTransportTest, Persistent401IsHandedToTheCallerAfterOneRetry) {
  TestServer server([](HTTPServerRequest&, HTTPServerResponse& response) { reply(response, 401, "{}"); });
  auto credentials = std::make_shared<RotatingCredentials>();
  PocoKubeTransport transport(connectionTo(server.url(), credentials));
  std::vector<int> statuses;
  transport.request("GET", "/api", "", kTimeout, [&](int s, std::istream&) { statuses.push_back(s); });
  EXPECT_EQ(statuses, std::vector<int>{401});
  EXPECT_EQ(credentials->invalidations_, 1);
  EXPECT_EQ(server.seen().size(), 2u);
}

TEST(PocoKubeTransportTest, StreamedBodyIsReadIncrementally) {
  Poco::Event firstLineRead(Poco::Event::EVENT_MANUALRESET);
  TestServer server([&](HTTPServerRequest&, HTTPServerResponse& response) {
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    out << R"({"type":"ADDED"})"
        << "\n"
        << std::flush;
    // The second event is only sent once the client has seen the first one.
    if (!firstLineRead.tryWait(kServerWaitMs)) return;
    out << R"({"type":"MODIFIED"})"
        << "\n"
        << std::flush;
  });
  PocoKubeTransport transport(connectionTo(server.url()));
  std::vector<std::string> lines;
  transport.request("GET", "/api/v1/pods?watch=true", "", kTimeout, [&](int, std::istream& in) {
    std::string line;
    while (std::getline(in, line)) {
      lines.push_back(line);
      if (lines.size() == 1) firstLineRead.set();
    }
  });
  EXPECT_EQ(lines, (std::vector<std::string>{R"({"type":"ADDED"})", R"({"type":"MODIFIED"})"}));
}

TEST(PocoKubeTransportTest, AbortUnblocksAReaderOnAnotherThread) {
  Poco::Event release(Poco::Event::EVENT_MANUALRESET);
  TestServer server([&](HTTPServerRequest&, HTTPServerResponse& response) {
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    out << "first\n" << std::flush;
    release.tryWait(kServerWaitMs);
  });
  PocoKubeTransport transport(connectionTo(server.url()));
  std::promise<void> gotFirst;
  auto watch = std::async(std::launch::async, [&] {
    transport.request("GET", "/api/v1/pods?watch=true", "", std::chrono::milliseconds(60000),
                      [&](int, std::istream& in) {
                        std::string line;
                        std::getline(in, line);
                        gotFirst.set_value();
                        while (std::getline(in, line)) {}
                      });
  });
  ASSERT_EQ(gotFirst.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  transport.abort();
  auto outcome = watch.wait_for(std::chrono::seconds(5));
  release.set();
  ASSERT_EQ(outcome, std::future_status::ready) << "abort() did not unblock the reader";
  EXPECT_THROW(watch.get(), KubeException);
  // The transport stays usable after an abort.
  int status = 0;
  transport.request("GET", "/version", "", kTimeout, [&](int s, std::istream&) { status = s; });
  EXPECT_EQ(status, 200);
}

TEST(PocoKubeTransportTest, ReadTimeoutBecomesKubeException) {
  Poco::Event release(Poco::Event::EVENT_MANUALRESET);
  TestServer server([&](HTTPServerRequest&, HTTPServerResponse& response) {
    release.tryWait(kServerWaitMs);
    reply(response, 200, "{}");
  });
  PocoKubeTransport transport(connectionTo(server.url()));
  EXPECT_THROW(transport.request("GET", "/api", "", std::chrono::milliseconds(200), [](int, std::istream&) {}),
               KubeException);
  release.set();
}

TEST(PocoKubeTransportTest, ConnectionRefusedNamesTheServer) {
  unsigned short port = 0;
  {
    Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = closed.address().port();
  }
  std::string server = "http://127.0.0.1:" + std::to_string(port);
  PocoKubeTransport transport(connectionTo(server, std::make_shared<StaticTokenSource>("secret-token")));
  try {
    transport.request("GET", "/api", "", kTimeout, [](int, std::istream&) {});
    FAIL() << "expected KubeException";
  } catch (const KubeException& e) {
    EXPECT_NE(e.message().find(server), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("refused"), std::string::npos) << e.message();
    EXPECT_EQ(e.message().find("secret-token"), std::string::npos) << e.message();
  }
}

TEST(PocoKubeTransportTest, CredentialFailureBecomesKubeException) {
  TestServer server([](HTTPServerRequest&, HTTPServerResponse& response) { reply(response, 200, "{}"); });
  auto credentials = std::make_shared<TokenFileSource>("/nonexistent/podmon/token", std::make_shared<SystemClock>());
  PocoKubeTransport transport(connectionTo(server.url(), credentials));
  EXPECT_THROW(transport.request("GET", "/api", "", kTimeout, [](int, std::istream&) {}), KubeException);
  EXPECT_TRUE(server.seen().empty());
}

TEST(PocoKubeTransportTest, BadServerUrlIsAConfigError) {
  EXPECT_THROW(PocoKubeTransport(connectionTo("ftp://127.0.0.1:1")), ConfigException);
}

// ---- HTTPS with certificates made by the openssl CLI ----

class PocoKubeTransportTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "podmon-tls-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    std::string script =
        "set -e; cd '" + dir_ +
        "'\n"
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=podmon-test-ca\n"
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj /CN=other-ca\n"
        "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver\n"
        "printf 'subjectAltName=IP:127.0.0.1,DNS:kube.internal\\nbasicConstraints=CA:FALSE\\n' > server.ext\n"
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 "
        "-extfile server.ext\n"
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -out client.csr "
        "-subj /CN=podmon-test-client\n"
        "printf 'extendedKeyUsage=clientAuth\\nbasicConstraints=CA:FALSE\\n' > client.ext\n"
        "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 "
        "-extfile client.ext\n";
    std::ofstream(file("make-certs.sh")) << script;
    std::string command = "sh '" + file("make-certs.sh") + "' >'" + file("openssl.log") + "' 2>&1";
    ok_ = std::system(command.c_str()) == 0;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  void SetUp() override {
    if (!ok_) GTEST_SKIP() << "openssl CLI could not create test certificates (see " << dir_ << "/openssl.log)";
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, file("server.key"), file("server.crt"), file("ca.crt"),
        Poco::Net::Context::VERIFY_RELAXED);  // asks for, but does not require, a client certificate
    context->enableSessionCache(true, "podmon-test");
    server_ = std::make_unique<TestServer>(
        [](HTTPServerRequest&, HTTPServerResponse& response) { reply(response, 200, "secure"); }, context);
  }

  static std::string file(const std::string& name) { return dir_ + "/" + name; }
  static std::string pem(const std::string& name) {
    std::ifstream in(file(name));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Fails the test with the transport's message unless `expectFailure`, then rethrows.
  std::string get(const KubeConnection& connection, bool expectFailure = false) {
    PocoKubeTransport transport(connection);
    std::string body;
    try {
      transport.request("GET", "/version", "", kTimeout, [&](int, std::istream& in) { body = readAll(in); });
    } catch (const KubeException& e) {
      if (!expectFailure) ADD_FAILURE() << e.message();
      throw;
    }
    return body;
  }

  KubeConnection https() const { return connectionTo(server_->url("https")); }

  static inline std::string dir_;
  static inline bool ok_ = false;
  std::unique_ptr<TestServer> server_;
};

TEST_F(PocoKubeTransportTlsTest, VerifiesWithTheGivenCa) {
  KubeConnection c = https();
  c.caPem = pem("ca.crt");
  EXPECT_EQ(get(c), "secure");
  EXPECT_EQ(server_->seen().at(0).clientCommonName, "none");
}

TEST_F(PocoKubeTransportTlsTest, WrongCaFails) {
  KubeConnection c = https();
  c.caPem = pem("other-ca.crt");
  try {
    get(c, true);
    FAIL() << "expected KubeException";
  } catch (const KubeException& e) {
    EXPECT_NE(e.message().find(c.server), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("certificate verify failed"), std::string::npos) << e.message();
  }
}

TEST_F(PocoKubeTransportTlsTest, InsecureSkipsVerification) {
  KubeConnection c = https();
  c.insecureSkipTlsVerify = true;
  EXPECT_EQ(get(c), "secure");
}

TEST_F(PocoKubeTransportTlsTest, TlsServerNameIsCheckedInsteadOfTheHost) {
  KubeConnection c = https();
  c.caPem = pem("ca.crt");
  c.tlsServerName = "kube.internal";
  EXPECT_EQ(get(c), "secure");
  c.tlsServerName = "other.internal";
  try {
    get(c, true);
    FAIL() << "expected KubeException";
  } catch (const KubeException& e) {
    EXPECT_NE(e.message().find("not valid for \"other.internal\""), std::string::npos) << e.message();
  }
}

TEST_F(PocoKubeTransportTlsTest, PresentsClientCertificate) {
  KubeConnection c = https();
  c.caPem = pem("ca.crt");
  c.clientCertPem = pem("client.crt");
  c.clientKeyPem = pem("client.key");
  EXPECT_EQ(get(c), "secure");
  EXPECT_EQ(server_->seen().at(0).clientCommonName, "podmon-test-client");
}

TEST_F(PocoKubeTransportTlsTest, BrokenClientKeyIsAConfigErrorWithoutTheKey) {
  KubeConnection c = https();
  c.caPem = pem("ca.crt");
  c.clientCertPem = pem("client.crt");
  c.clientKeyPem = "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5\n-----END PRIVATE KEY-----\n";
  try {
    PocoKubeTransport transport(c);
    FAIL() << "expected ConfigException";
  } catch (const ConfigException& e) {
    EXPECT_EQ(e.message().find("bm90LWEta2V5"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("is not a usable PEM private key"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace podmon::kube
