#include "servers/sigv4_verifier.h"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <sstream>

#include "aws/sigv4_signer.h"
#include "core/rfc3339.h"

namespace podmon::testing {

namespace {

using Rejection = Sigv4Verifier::Rejection;

Rejection message(const std::string& text) {
  Poco::JSON::Object body;
  body.set("message", text);
  std::ostringstream out;
  body.stringify(out);
  return {403, out.str()};
}

// All values of a header (case-insensitive), joined by ',' as SigV4 does; nullopt when absent.
std::optional<std::string> header(const Sigv4Verifier::Headers& headers, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& [key, v] : headers) {
    if (Poco::icompare(key, name) != 0) continue;
    value = value ? *value + "," + v : v;
  }
  return value;
}

// "Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=a;b, Signature=hex".
std::string authorizationPart(const std::string& authorization, const std::string& name) {
  const std::size_t at = authorization.find(name + "=");
  if (at == std::string::npos) return "";
  const std::size_t start = at + name.size() + 1;
  const std::size_t end = authorization.find(',', start);
  return Poco::trim(authorization.substr(start, end == std::string::npos ? std::string::npos : end - start));
}

std::optional<std::chrono::system_clock::time_point> parseAmzDate(const std::string& text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  return parseRfc3339(text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2) + "T" + text.substr(9, 2) +
                      ":" + text.substr(11, 2) + ":" + text.substr(13, 2) + "Z");
}

Rejection signatureMismatch(const aws::sigv4::SigningResult& expected) {
  return message(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
      "Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this "
      "request should have been\n'" +
      expected.canonicalRequest + "'\n\nThe String-to-Sign should have been\n'" + expected.stringToSign + "'\n");
}

}  // namespace

void Sigv4Verifier::enable(const std::string& region, const std::string& service) {
  std::lock_guard lock(mutex_);
  enabled_ = true;
  region_ = region;
  service_ = service;
}

void Sigv4Verifier::disable() {
  std::lock_guard lock(mutex_);
  enabled_ = false;
}

bool Sigv4Verifier::enabled() const {
  std::lock_guard lock(mutex_);
  return enabled_;
}

void Sigv4Verifier::addCredentials(const std::string& accessKeyId, const std::string& secretAccessKey,
                                   const std::string& sessionToken) {
  std::lock_guard lock(mutex_);
  keys_[accessKeyId] = Key{secretAccessKey, sessionToken};
}

void Sigv4Verifier::expireToken(const std::string& sessionToken) {
  std::lock_guard lock(mutex_);
  expiredTokens_.insert(sessionToken);
}

std::size_t Sigv4Verifier::rejections() const {
  std::lock_guard lock(mutex_);
  return rejections_;
}

std::optional<Rejection> Sigv4Verifier::verify(const std::string& method, const std::string& target,
                                               const Headers& headers, const std::string& body) const {
  std::lock_guard lock(mutex_);
  if (!enabled_) return std::nullopt;
  auto rejection = verifyLocked(method, target, headers, body);
  if (rejection) ++rejections_;
  return rejection;
}

std::optional<Rejection> Sigv4Verifier::verifyLocked(const std::string& method, const std::string& target,
                                                     const Headers& headers, const std::string& body) const {
  const std::string authorization = header(headers, "Authorization").value_or("");
  if (authorization.rfind("AWS4-HMAC-SHA256 ", 0) != 0) return message("Missing Authentication Token");
  const std::string credential = authorizationPart(authorization, "Credential");
  const std::string keyId = credential.substr(0, credential.find('/'));
  const auto key = keys_.find(keyId);
  const auto token = header(headers, "X-Amz-Security-Token");
  if (key == keys_.end() || token.value_or("") != key->second.token) {
    return message("The security token included in the request is invalid.");
  }
  if (token && expiredTokens_.count(*token)) return message("The security token included in the request is expired");
  const auto contentHash = header(headers, "X-Amz-Content-Sha256");
  if (!contentHash && service_ == "aoss") return message("Missing required header 'x-amz-content-sha256'.");
  if (contentHash && *contentHash != aws::sigv4::sha256Hex(body)) {
    return message("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const auto time = parseAmzDate(header(headers, "X-Amz-Date").value_or(""));
  if (!time) return message("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");

  aws::sigv4::SigningInput input{method, target, {}, contentHash.value_or(aws::sigv4::sha256Hex(body))};
  std::istringstream names(authorizationPart(authorization, "SignedHeaders"));
  for (std::string name; std::getline(names, name, ';');) {
    input.headers.emplace_back(name, header(headers, name).value_or(""));
  }
  const aws::AwsCredentials credentials{keyId, key->second.secret, key->second.token, std::nullopt};
  const auto expected = aws::sigv4::sign(input, credentials, {region_, service_, *time, true});
  if (expected.signature != authorizationPart(authorization, "Signature")) return signatureMismatch(expected);
  return std::nullopt;
}

}  // namespace podmon::testing
