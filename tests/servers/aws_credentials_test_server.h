#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace Poco::Net {
class HTTPServer;
}

namespace podmon::testing {

// A stand-in for the three AWS services that hand out temporary credentials, on one port of
// 127.0.0.1 (port 0 by default), answering as AWS documents them, errors included:
//   STS (Query API 2011-06-15): POST / (form body) or GET /?Action=AssumeRoleWithWebIdentity&...
//     checks the parameters and the web identity token against the expected one (which a test
//     rotates); XML AssumeRoleWithWebIdentityResponse, or an ErrorResponse (InvalidIdentityToken,
//     ExpiredTokenException, IDPCommunicationError, Throttling: 400; AccessDenied: 403).
//   Container credentials (EKS Pod Identity agent): GET /v1/credentials, Authorization checked;
//     JSON {AccessKeyId, SecretAccessKey, Token, AccountId, Expiration}; errors {"code","message"}.
//   EC2 instance metadata, IMDSv2 only: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds
//     1-21600) -> session token; GETs under /latest/meta-data/ need X-aws-ec2-metadata-token, else
//     401; /latest/meta-data/iam/security-credentials/ -> the role, .../<role> -> JSON with
//     Code "Success".
// Every issued set of credentials expires `lifetime` after issue on the injected clock and is
// kept, so a verifying Elasticsearch stand-in can be told which ones are valid. Thread-safe.
class AwsCredentialsTestServer {
 public:
  struct Issued {
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string sessionToken;
    std::chrono::system_clock::time_point expiration;
    std::string via;  // "sts", "container" or "imds"
  };
  struct Counts {
    int sts = 0;
    int container = 0;
    int imdsToken = 0;
    int imds = 0;  // metadata GETs, refused ones included
  };
  static constexpr const char* kContainerPath = "/v1/credentials";
  static constexpr const char* kRole = "podmon-node-role";

  explicit AwsCredentialsTestServer(Clock::Ptr clock = SystemClock::instance(), std::uint16_t port = 0);
  ~AwsCredentialsTestServer();
  AwsCredentialsTestServer(const AwsCredentialsTestServer&) = delete;
  AwsCredentialsTestServer& operator=(const AwsCredentialsTestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;           // http://127.0.0.1:<port> (STS and IMDS endpoint)
  std::string containerUrl() const;  // url() + kContainerPath

  // --- behaviour and faults ---
  void setExpectedWebIdentityToken(const std::string& token);        // "" = any token is accepted
  void setExpectedContainerAuthorization(const std::string& value);  // "" = no check
  void setLifetime(std::chrono::seconds lifetime);                   // default 1 h
  // The next `count` STS requests fail with this documented error code ("" clears).
  void failSts(const std::string& code, int count);
  // The next `count` container credential requests fail with this status (4xx/5xx).
  void failContainer(int status, int count);
  // The next request of any role is answered with this raw status and body (hostile answers).
  void answerNextWith(int status, std::string body);
  void expireImdsTokens();  // every IMDS session token issued so far is refused from now on
  void setDown(bool down);  // refuse connections (same port when up again)
  // Called with each set of credentials as it is issued (sinks-sim tells its Elasticsearch).
  void setIssueListener(std::function<void(const Issued&)> listener);

  // --- what happened ---
  std::vector<Issued> issued() const;
  std::optional<Issued> latestValid() const;  // the newest not yet expired
  Counts counts() const;
  std::string lastWebIdentityToken() const;
  std::map<std::string, std::string> lastStsParameters() const;
  std::string lastContainerAuthorization() const;

  struct Request {
    std::string method;
    std::string uri;
    std::map<std::string, std::string> headers;  // the few it looks at, lower-case names
    std::string body;
  };
  struct Reply {
    int status = 200;
    std::string contentType = "text/plain";
    std::string body;
  };
  // One request, as the HTTP handler serves it.
  Reply handle(const Request& request);

 private:
  Reply handleSts(const std::map<std::string, std::string>& params);
  Reply handleContainer(const Request& request);
  Reply handleImds(const Request& request, const std::string& path);
  Issued issueLocked(const std::string& via);
  void startListening(std::uint16_t port);

  Clock::Ptr clock_;
  std::mutex listenerMutex_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  std::string expectedToken_;
  std::string expectedAuthorization_;
  std::chrono::seconds lifetime_{3600};
  std::string stsFailure_;
  int stsFailures_ = 0;
  int containerFailStatus_ = 500;
  int containerFailures_ = 0;
  std::optional<Reply> nextAnswer_;
  std::map<std::string, std::chrono::system_clock::time_point> imdsTokens_;  // token -> expiry
  std::function<void(const Issued&)> listener_;
  std::vector<Issued> issued_;
  Counts counts_;
  std::string lastToken_;
  std::map<std::string, std::string> lastStsParameters_;
  std::string lastAuthorization_;
  int serial_ = 0;
};

}  // namespace podmon::testing
