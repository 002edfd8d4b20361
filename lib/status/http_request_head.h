#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace podmon::status {

// The head of one HTTP/1.x request (request line and headers), parsed from untrusted bytes. The
// status server reads heads itself, on one poll loop, so that a connection that is idle or sends
// its head slowly costs a buffer and no thread (issue 18: probes cannot be starved).
struct HttpRequestHead {
  std::string method;
  std::string target;                          // as sent (origin form: path and query, not decoded)
  std::string version;                         // "HTTP/1.1"
  std::map<std::string, std::string> headers;  // names lower-cased; a repeated header keeps the last value
  std::string body;  // what followed the head, up to Content-Length (BoundedHttpServer reads it)

  std::string header(const std::string& lowerName) const;
  // The target without its query: the only part of a request that may be logged.
  std::string pathForLog() const;
};

struct HeadParse {
  enum class Status { kIncomplete, kComplete, kBad, kTooLarge };
  Status status = Status::kIncomplete;
  HttpRequestHead head;       // filled when kComplete
  std::size_t headBytes = 0;  // when kComplete: where the body starts in `bytes`
  std::string error;          // why, when kBad (never quotes the request)
};

// Parses the head at the start of `bytes` (what a connection has sent so far). kIncomplete when
// the blank line that ends the head has not arrived yet; kTooLarge when more than `maxBytes`
// came without it; kBad for anything that is not a plain HTTP/1.x origin-form request. Never throws.
HeadParse parseRequestHead(std::string_view bytes, std::size_t maxBytes);

}  // namespace podmon::status
