#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace podmon::testing {

// The SigV4 check of the Elasticsearch stand-in: it answers as Amazon OpenSearch Service does.
// It recomputes the signature of each request from the headers its Authorization names, with the
// secret key of the key id it names, and refuses with AWS's own 403 bodies: a wrong signature
// (echoing the canonical request and string to sign it expected), an unknown key id or session
// token ("...is invalid."), an expired token ("...is expired"); with service aoss, a request
// without x-amz-content-sha256. The canonicalisation is podmon's (aws/sigv4_signer), which the
// integration tests hold to AWS's published test suite through this class too. Thread-safe.
class Sigv4Verifier {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;
  struct Rejection {
    int status = 403;
    std::string body;  // JSON
  };

  // Turns checking on for this region and service (es, aoss); off by default.
  void enable(const std::string& region, const std::string& service);
  void disable();
  bool enabled() const;
  // Accepts this key id (with this session token, "" for long-term keys); replaces an earlier one.
  void addCredentials(const std::string& accessKeyId, const std::string& secretAccessKey,
                      const std::string& sessionToken = "");
  // From now on this session token is refused as expired.
  void expireToken(const std::string& sessionToken);

  // nullopt when the request is signed right (or checking is off), else AWS's answer.
  std::optional<Rejection> verify(const std::string& method, const std::string& target, const Headers& headers,
                                  const std::string& body) const;
  std::size_t rejections() const;

 private:
  struct Key {
    std::string secret;
    std::string token;
  };
  std::optional<Rejection> verifyLocked(const std::string& method, const std::string& target, const Headers& headers,
                                        const std::string& body) const;

  mutable std::mutex mutex_;
  bool enabled_ = false;
  std::string region_;
  std::string service_;
  std::map<std::string, Key> keys_;
  std::set<std::string> expiredTokens_;
  mutable std::size_t rejections_ = 0;
};

}  // namespace podmon::testing
