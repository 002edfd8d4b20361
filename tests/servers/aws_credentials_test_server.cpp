#include "servers/aws_credentials_test_server.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cstdio>
#include <sstream>

#include "core/http_server_stop.h"
#include "core/rfc3339.h"

namespace podmon::testing {

namespace {

constexpr std::size_t kMaxRequestBody = 64 * 1024;
constexpr const char* kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string requestId(int serial) {
  char id[40];
  std::snprintf(id, sizeof id, "c6104cbe-af31-11e0-8154-%012d", serial);
  return id;
}

// The documented STS error: status, type and a message like the real service's.
AwsCredentialsTestServer::Reply stsError(const std::string& code, const std::string& message, int serial) {
  const int status = code == "AccessDenied" ? 403 : code == "InternalFailure" ? 500 : 400;
  const std::string type = status >= 500 ? "Receiver" : "Sender";
  return {status, "text/xml",
          std::string("<ErrorResponse xmlns=\"") + kStsNamespace + "\">\n  <Error>\n    <Type>" + type +
              "</Type>\n    <Code>" + xmlEscape(code) + "</Code>\n    <Message>" + xmlEscape(message) +
              "</Message>\n  </Error>\n  <RequestId>" + requestId(serial) + "</RequestId>\n</ErrorResponse>\n"};
}

std::string injectedMessage(const std::string& code) {
  if (code == "InvalidIdentityToken") return "Incorrect token audience";
  if (code == "ExpiredTokenException")
    return "Token expired: current date/time 1714557600 must be before the expiration date/time 1714554000";
  if (code == "AccessDenied") return "Not authorized to perform sts:AssumeRoleWithWebIdentity";
  if (code == "IDPCommunicationError") return "Couldn't retrieve verification key from your identity provider";
  if (code == "Throttling") return "Rate exceeded";
  return "injected failure";
}

std::map<std::string, std::string> formParameters(const std::string& text) {
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : Poco::URI("/?" + text).getQueryParameters()) params[k] = v;
  return params;
}

std::string jsonText(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

AwsCredentialsTestServer::Reply jsonReply(int status, const Poco::JSON::Object& object) {
  return {status, "application/json", jsonText(object)};
}

AwsCredentialsTestServer::Reply containerError(int status, const std::string& code, const std::string& message) {
  Poco::JSON::Object o;
  o.set("code", code);
  o.set("message", message);
  return jsonReply(status, o);
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(AwsCredentialsTestServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    AwsCredentialsTestServer::Request in;
    in.method = request.getMethod();
    in.uri = request.getURI();
    for (const char* name :
         {"authorization", "x-aws-ec2-metadata-token", "x-aws-ec2-metadata-token-ttl-seconds", "content-type"}) {
      if (request.has(name)) in.headers[name] = request.get(name);
    }
    std::string chunk(4096, '\0');
    auto& stream = request.stream();
    while (in.body.size() <= kMaxRequestBody && (stream.read(chunk.data(), 4096) || stream.gcount() > 0)) {
      in.body.append(chunk.data(), static_cast<std::size_t>(stream.gcount()));
    }
    const auto reply = in.body.size() > kMaxRequestBody
                           ? AwsCredentialsTestServer::Reply{413, "text/plain", "request body too large"}
                           : server_.handle(in);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

 private:
  AwsCredentialsTestServer& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(AwsCredentialsTestServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  AwsCredentialsTestServer& server_;
};

}  // namespace

AwsCredentialsTestServer::AwsCredentialsTestServer(Clock::Ptr clock, std::uint16_t port) : clock_(std::move(clock)) {
  std::lock_guard lock(listenerMutex_);
  startListening(port);
}

AwsCredentialsTestServer::~AwsCredentialsTestServer() { setDown(true); }

void AwsCredentialsTestServer::startListening(std::uint16_t port) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), 64);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

void AwsCredentialsTestServer::setDown(bool down) {
  std::lock_guard lock(listenerMutex_);
  if (down && server_) {
    stopServerAndWait(*server_);
    server_.reset();
  } else if (!down && !server_) {
    startListening(port_);
  }
}

std::string AwsCredentialsTestServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }
std::string AwsCredentialsTestServer::containerUrl() const { return url() + kContainerPath; }

void AwsCredentialsTestServer::setExpectedWebIdentityToken(const std::string& token) {
  std::lock_guard lock(mutex_);
  expectedToken_ = token;
}
void AwsCredentialsTestServer::setExpectedContainerAuthorization(const std::string& value) {
  std::lock_guard lock(mutex_);
  expectedAuthorization_ = value;
}
void AwsCredentialsTestServer::setLifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(mutex_);
  lifetime_ = lifetime;
}
void AwsCredentialsTestServer::failSts(const std::string& code, int count) {
  std::lock_guard lock(mutex_);
  stsFailure_ = code;
  stsFailures_ = code.empty() ? 0 : count;
}
void AwsCredentialsTestServer::failContainer(int status, int count) {
  std::lock_guard lock(mutex_);
  containerFailStatus_ = status;
  containerFailures_ = count;
}
void AwsCredentialsTestServer::answerNextWith(int status, std::string body) {
  std::lock_guard lock(mutex_);
  nextAnswer_ = Reply{status, "application/json", std::move(body)};
}
void AwsCredentialsTestServer::expireImdsTokens() {
  std::lock_guard lock(mutex_);
  for (auto& [token, expiry] : imdsTokens_) expiry = clock_->now();
}
void AwsCredentialsTestServer::setIssueListener(std::function<void(const Issued&)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

std::vector<AwsCredentialsTestServer::Issued> AwsCredentialsTestServer::issued() const {
  std::lock_guard lock(mutex_);
  return issued_;
}
std::optional<AwsCredentialsTestServer::Issued> AwsCredentialsTestServer::latestValid() const {
  std::lock_guard lock(mutex_);
  if (issued_.empty() || issued_.back().expiration <= clock_->now()) return std::nullopt;
  return issued_.back();
}
AwsCredentialsTestServer::Counts AwsCredentialsTestServer::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}
std::string AwsCredentialsTestServer::lastWebIdentityToken() const {
  std::lock_guard lock(mutex_);
  return lastToken_;
}
std::map<std::string, std::string> AwsCredentialsTestServer::lastStsParameters() const {
  std::lock_guard lock(mutex_);
  return lastStsParameters_;
}
std::string AwsCredentialsTestServer::lastContainerAuthorization() const {
  std::lock_guard lock(mutex_);
  return lastAuthorization_;
}

AwsCredentialsTestServer::Issued AwsCredentialsTestServer::issueLocked(const std::string& via) {
  ++serial_;
  char id[24];
  std::snprintf(id, sizeof id, "ASIASTANDIN%09d", serial_);
  Issued issued{id, "standin/secret/" + std::to_string(serial_) + "/wJalrXUtnFEMIK7MDENGbPxRfiCY",
                "IQoJb3JpZ2luX2VjEStandInSessionToken" + std::to_string(serial_) + "//////////AQ==",
                std::chrono::time_point_cast<std::chrono::seconds>(clock_->now() + lifetime_), via};
  issued_.push_back(issued);
  if (listener_) listener_(issued);
  return issued;
}

AwsCredentialsTestServer::Reply AwsCredentialsTestServer::handle(const Request& request) {
  const Poco::URI uri(request.uri);
  const std::string path = uri.getPath();
  std::lock_guard lock(mutex_);
  if (nextAnswer_) {
    Reply reply = *nextAnswer_;
    nextAnswer_.reset();
    return reply;
  }
  if (path == kContainerPath) return handleContainer(request);
  if (path.rfind("/latest/", 0) == 0) return handleImds(request, path);
  if (path == "/") {
    auto params = formParameters(uri.getRawQuery());
    if (request.method == "POST") {
      const auto it = request.headers.find("content-type");
      if (it == request.headers.end() || it->second.rfind("application/x-www-form-urlencoded", 0) != 0) {
        return stsError("InvalidParameterValue", "Content-Type must be application/x-www-form-urlencoded", serial_);
      }
      for (auto& [k, v] : formParameters(request.body)) params[k] = v;
    }
    return handleSts(params);
  }
  return {404, "text/plain", "not found"};
}

AwsCredentialsTestServer::Reply AwsCredentialsTestServer::handleSts(const std::map<std::string, std::string>& p) {
  ++counts_.sts;
  lastStsParameters_ = p;
  const auto get = [&p](const std::string& key) {
    auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
  };
  lastToken_ = get("WebIdentityToken");
  if (get("Action") != "AssumeRoleWithWebIdentity")
    return stsError("InvalidAction", "Could not find operation " + get("Action"), serial_);
  if (get("Version") != "2011-06-15") return stsError("InvalidParameterValue", "Version must be 2011-06-15", serial_);
  for (const char* required : {"RoleArn", "RoleSessionName", "WebIdentityToken"}) {
    if (get(required).empty())
      return stsError("MissingParameter", std::string("The request must contain the parameter ") + required, serial_);
  }
  if (get("RoleArn").rfind("arn:", 0) != 0) return stsError("ValidationError", "RoleArn is not an ARN", serial_);
  if (stsFailures_ > 0) {
    --stsFailures_;
    return stsError(stsFailure_, injectedMessage(stsFailure_), serial_);
  }
  if (!expectedToken_.empty() && lastToken_ != expectedToken_) {
    return stsError("InvalidIdentityToken",
                    "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
                    serial_);
  }
  const Issued c = issueLocked("sts");
  const std::string session = xmlEscape(get("RoleSessionName"));
  std::ostringstream xml;
  xml << "<AssumeRoleWithWebIdentityResponse xmlns=\"" << kStsNamespace << "\">\n"
      << "  <AssumeRoleWithWebIdentityResult>\n"
      << "    <SubjectFromWebIdentityToken>system:serviceaccount:podmon:podmon</SubjectFromWebIdentityToken>\n"
      << "    <Audience>sts.amazonaws.com</Audience>\n"
      << "    <AssumedRoleUser>\n      <Arn>arn:aws:sts::111122223333:assumed-role/podmon/" << session << "</Arn>\n"
      << "      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:" << session << "</AssumedRoleId>\n    </AssumedRoleUser>\n"
      << "    <Credentials>\n      <SessionToken>" << xmlEscape(c.sessionToken) << "</SessionToken>\n"
      << "      <SecretAccessKey>" << xmlEscape(c.secretAccessKey) << "</SecretAccessKey>\n"
      << "      <Expiration>" << formatRfc3339Seconds(c.expiration) << "</Expiration>\n"
      << "      <AccessKeyId>" << c.accessKeyId << "</AccessKeyId>\n    </Credentials>\n"
      << "    "
         "<Provider>arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE</Provider>\n"
      << "  </AssumeRoleWithWebIdentityResult>\n"
      << "  <ResponseMetadata>\n    <RequestId>" << requestId(serial_) << "</RequestId>\n  </ResponseMetadata>\n"
      << "</AssumeRoleWithWebIdentityResponse>\n";
  return {200, "text/xml", xml.str()};
}

AwsCredentialsTestServer::Reply AwsCredentialsTestServer::handleContainer(const Request& request) {
  ++counts_.container;
  const auto it = request.headers.find("authorization");
  lastAuthorization_ = it == request.headers.end() ? "" : it->second;
  if (request.method != "GET") return containerError(405, "MethodNotAllowed", "only GET is served");
  if (containerFailures_ > 0) {
    --containerFailures_;
    return containerError(containerFailStatus_, containerFailStatus_ >= 500 ? "InternalError" : "InvalidTokenException",
                          "injected failure");
  }
  if (!expectedAuthorization_.empty()) {
    if (lastAuthorization_.empty())
      return containerError(400, "InvalidTokenException", "Service account token cannot be empty");
    if (lastAuthorization_ != expectedAuthorization_)
      return containerError(401, "AccessDeniedException", "Invalid token");
  }
  const Issued c = issueLocked("container");
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("AccessKeyId", c.accessKeyId);
  o.set("SecretAccessKey", c.secretAccessKey);
  o.set("Token", c.sessionToken);
  o.set("AccountId", "111122223333");
  o.set("Expiration", formatRfc3339Seconds(c.expiration));
  return jsonReply(200, o);
}

AwsCredentialsTestServer::Reply AwsCredentialsTestServer::handleImds(const Request& request, const std::string& path) {
  const auto header = [&request](const std::string& name) {
    auto it = request.headers.find(name);
    return it == request.headers.end() ? std::string() : it->second;
  };
  if (path == "/latest/api/token") {
    ++counts_.imdsToken;
    if (request.method != "PUT") return {405, "text/plain", ""};
    const std::string ttlText = header("x-aws-ec2-metadata-token-ttl-seconds");
    const int ttl = ttlText.empty() || ttlText.size() > 6 ? 0 : std::atoi(ttlText.c_str());
    if (ttl < 1 || ttl > 21600) return {400, "text/plain", ""};
    const std::string token = "AQAEAStandInImdsToken" + std::to_string(++serial_) + "==";
    imdsTokens_[token] = clock_->now() + std::chrono::seconds(ttl);
    return {200, "text/plain", token};
  }
  ++counts_.imds;
  const auto token = imdsTokens_.find(header("x-aws-ec2-metadata-token"));
  if (token == imdsTokens_.end() || token->second <= clock_->now()) return {401, "text/plain", ""};
  const std::string base = "/latest/meta-data/iam/security-credentials/";
  if (path == base) return {200, "text/plain", kRole};
  if (path != base + kRole) return {404, "text/html", "<html><body><h1>404 - Not Found</h1></body></html>"};
  const Issued c = issueLocked("imds");
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("Code", "Success");
  o.set("LastUpdated", formatRfc3339Seconds(clock_->now()));
  o.set("Type", "AWS-HMAC");
  o.set("AccessKeyId", c.accessKeyId);
  o.set("SecretAccessKey", c.secretAccessKey);
  o.set("Token", c.sessionToken);
  o.set("Expiration", formatRfc3339Seconds(c.expiration));
  return jsonReply(200, o);
}

}  // namespace podmon::testing
