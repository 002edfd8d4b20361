#include "aws/sigv4_signer.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <stdexcept>

namespace podmon::aws::sigv4 {

namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";
constexpr const char* kHexDigits = "0123456789abcdef";
constexpr const char* kUpperHexDigits = "0123456789ABCDEF";

std::string toHex(const unsigned char* data, std::size_t size) {
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kHexDigits[data[i] >> 4]);
    hex.push_back(kHexDigits[data[i] & 0x0f]);
  }
  return hex;
}

bool isUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Dot segments (RFC 3986 5.2.4) and empty segments removed; a trailing slash kept.
std::string normalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& segment : segments) {
    out += '/';
    out += segment;
  }
  const bool trailingSlash = path.ends_with("/") || path.ends_with("/.") || path.ends_with("/..");
  if (out.empty() || trailingSlash) out += '/';
  return out;
}

std::string foldWhitespace(std::string_view value) {
  std::string out;
  bool pendingSpace = false;
  for (char c : value) {
    if (isSpace(c)) {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

std::string signingKey(const std::string& secret, const std::string& date, const SigningScope& scope) {
  const std::string dateKey = hmacSha256("AWS4" + secret, date);
  const std::string regionKey = hmacSha256(dateKey, scope.region);
  const std::string serviceKey = hmacSha256(regionKey, scope.service);
  return hmacSha256(serviceKey, "aws4_request");
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return toHex(digest.data(), digest.size());
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), mac.data(), &size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(mac.data()), size);
}

std::string uriEncode(std::string_view text, bool keepSlash) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (isUnreserved(byte) || (keepSlash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += kUpperHexDigits[byte >> 4];
      out += kUpperHexDigits[byte & 0x0f];
    }
  }
  return out;
}

std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string canonicalUri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  return uriEncode(normalize ? normalizePath(path) : std::string(path), true);
}

std::string canonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t equals = pair.find('=');
      const std::string_view name = pair.substr(0, equals);
      const std::string_view value = equals == std::string_view::npos ? "" : pair.substr(equals + 1);
      pairs.emplace_back(uriEncode(percentDecode(name), false), uriEncode(percentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::pair<std::string, std::string> canonicalHeaders(const Headers& headers) {
  std::map<std::string, std::string> byName;  // sorted by lower-cased name
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = byName.try_emplace(lower(name), foldWhitespace(value));
    if (!inserted) it->second += "," + foldWhitespace(value);
  }
  std::string block;
  std::string names;
  for (const auto& [name, value] : byName) {
    block += name + ":" + value + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }
  return {block, names};
}

std::string amzDate(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 20> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y%m%dT%H%M%SZ", &utc);
  return buffer.data();
}

SigningResult sign(const SigningInput& input, const AwsCredentials& credentials, const SigningScope& scope) {
  SigningResult result;
  const std::size_t question = input.target.find('?');
  const std::string_view target(input.target);
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string::npos ? std::string_view() : target.substr(question + 1);
  auto [headerBlock, signedHeaders] = canonicalHeaders(input.headers);
  result.signedHeaders = signedHeaders;
  result.canonicalRequest = input.method + "\n" + canonicalUri(path, scope.normalizePath) + "\n" +
                            canonicalQuery(query) + "\n" + headerBlock + "\n" + signedHeaders + "\n" +
                            input.payloadHash;

  const std::string timestamp = amzDate(scope.time);
  const std::string date = timestamp.substr(0, 8);
  const std::string credentialScope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  result.stringToSign =
      std::string(kAlgorithm) + "\n" + timestamp + "\n" + credentialScope + "\n" + sha256Hex(result.canonicalRequest);

  const std::string mac = hmacSha256(signingKey(credentials.secretAccessKey, date, scope), result.stringToSign);
  result.signature = toHex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
  result.authorization = std::string(kAlgorithm) + " Credential=" + credentials.accessKeyId + "/" + credentialScope +
                         ", SignedHeaders=" + signedHeaders + ", Signature=" + result.signature;
  return result;
}

}  // namespace podmon::aws::sigv4
