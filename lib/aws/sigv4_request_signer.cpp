#include "aws/sigv4_request_signer.h"

#include <Poco/String.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "aws/aws_error_text.h"
#include "aws/sigv4_signer.h"

namespace podmon::aws {

namespace {

// Credentials this close to their expiration are treated as stale when the domain refuses them.
constexpr std::chrono::minutes kNearExpiry{5};
constexpr std::size_t kMaxLoggedMessage = 300;

std::string headerValue(const http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (Poco::icompare(key, name) == 0) return value;
  }
  return "";
}

// AWS's message from a {"message": "..."} (or {"Message": ...}) body, redacted and bounded.
std::string rejectionMessage(const std::string& body) {
  std::string text = redactAwsErrorText(body);
  if (text.size() > kMaxLoggedMessage) text = text.substr(0, kMaxLoggedMessage) + "...";
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

const char* rejectionKind(AwsAuthError error) {
  switch (error) {
    case AwsAuthError::kSignatureMismatch: return "rejected the request signature";
    case AwsAuthError::kTokenExpired: return "found the session token expired";
    case AwsAuthError::kTokenInvalid: return "does not know the credentials";
    case AwsAuthError::kNone: break;
  }
  return "refused the signed request";
}

}  // namespace

SigV4RequestSigner::SigV4RequestSigner(CredentialsProvider::Ptr provider, std::string region, std::string service,
                                       Clock::Ptr clock)
    : provider_(std::move(provider)),
      region_(std::move(region)),
      service_(std::move(service)),
      clock_(std::move(clock)) {}

std::string SigV4RequestSigner::describe() const {
  return "SigV4 (service " + service_ + ", region " + region_ + ", credentials: " + provider_->describe() + ")";
}

void SigV4RequestSigner::sign(http::HttpRequest& request) const {
  const std::string host = headerValue(request, "Host");
  if (host.empty()) throw std::invalid_argument("a request signed with SigV4 needs its Host header");
  const AwsCredentials credentials = provider_->credentials();
  const auto now = clock_->now();
  sigv4::SigningInput input{request.method, request.target, {}, sigv4::sha256Hex(request.body)};
  request.setHeader("X-Amz-Date", sigv4::amzDate(now));
  request.setHeader("X-Amz-Content-Sha256", input.payloadHash);
  if (!credentials.sessionToken.empty()) request.setHeader("X-Amz-Security-Token", credentials.sessionToken);
  input.headers = {{"host", host}, {"x-amz-date", sigv4::amzDate(now)}, {"x-amz-content-sha256", input.payloadHash}};
  if (!credentials.sessionToken.empty()) input.headers.emplace_back("x-amz-security-token", credentials.sessionToken);
  if (!request.contentType.empty()) input.headers.emplace_back("content-type", request.contentType);
  const sigv4::SigningScope scope{region_, service_, now, true};
  request.setHeader("Authorization", sigv4::sign(input, credentials, scope).authorization);
}

bool SigV4RequestSigner::credentialsRejected(const http::HttpResponse& response) const {
  try {
    const AwsCredentials credentials = provider_->credentials();
    const AwsAuthError error = classifyAwsAuthError(response.body);
    const bool temporary = !credentials.sessionToken.empty() || credentials.expiration.has_value();
    const bool nearExpiry = credentials.expiration && *credentials.expiration - clock_->now() < kNearExpiry;
    const bool stale = temporary && (error != AwsAuthError::kNone || nearExpiry);
    spdlog::error("aws: {} in {} {} (HTTP {}) signed by access key id {} ({}): {}{}", service_, region_,
                  rejectionKind(error), response.status, credentials.accessKeyId, provider_->describe(),
                  rejectionMessage(response.body),
                  stale ? "; refreshing the temporary credentials and trying once more" : "");
    if (stale) provider_->invalidate();
    return stale;
  } catch (const std::exception& e) {
    spdlog::error("aws: {} in {} refused a signed request (HTTP {}) and no credentials are at hand: {}", service_,
                  region_, response.status, e.what());
    return false;
  }
}

}  // namespace podmon::aws
