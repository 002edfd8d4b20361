#include "status/http_request_head.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace podmon::status {
namespace {

constexpr std::size_t kMaxHeaders = 100;

bool isTokenChar(char c) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || kExtra.find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar); }

// Visible ASCII only: no spaces, no control characters, nothing that could forge a log line.
bool isVisible(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> splitLines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    auto end = head.find('\n');
    auto line = head.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 1);
  }
  return lines;
}

HeadParse bad(const std::string& why) {
  HeadParse p;
  p.status = HeadParse::Status::kBad;
  p.error = why;
  return p;
}

bool parseRequestLine(std::string_view line, HttpRequestHead& head) {
  auto first = line.find(' ');
  auto last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) return false;
  auto method = line.substr(0, first);
  auto target = line.substr(first + 1, last - first - 1);
  auto version = line.substr(last + 1);
  if (!isToken(method) || !isVisible(target) || target.front() != '/') return false;
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return false;
  head.method = std::string(method);
  head.target = std::string(target);
  head.version = std::string(version);
  return true;
}

}  // namespace

std::string HttpRequestHead::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpRequestHead::pathForLog() const {
  constexpr std::size_t kMaxLogged = 200;
  std::string path = target.substr(0, target.find_first_of("?#"));
  if (path.size() > kMaxLogged) path = path.substr(0, kMaxLogged) + "...";
  return path;
}

HeadParse parseRequestHead(std::string_view bytes, std::size_t maxBytes) {
  // Tolerate the blank lines a client may send before a request (RFC 9112 2.2).
  std::size_t start = bytes.find_first_not_of("\r\n");
  if (start == std::string_view::npos) start = bytes.size();
  auto end = bytes.find("\r\n\r\n", start);
  auto endLf = bytes.find("\n\n", start);
  std::size_t headEnd = std::min(end == std::string_view::npos ? end : end + 2, endLf);
  if (headEnd == std::string_view::npos || headEnd > maxBytes) {
    HeadParse p;
    p.status = bytes.size() > maxBytes ? HeadParse::Status::kTooLarge : HeadParse::Status::kIncomplete;
    return p;
  }
  auto lines = splitLines(bytes.substr(start, headEnd - start));
  HeadParse p;
  if (lines.empty() || !parseRequestLine(lines.front(), p.head)) return bad("malformed request line");
  if (lines.size() - 1 > kMaxHeaders) return bad("too many headers");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) return bad("malformed header line");
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    p.head.headers[name] = std::string(trimmed(line.substr(colon + 1)));
  }
  p.status = HeadParse::Status::kComplete;
  p.headBytes = headEnd + (bytes.compare(headEnd, 2, "\r\n") == 0 ? 2 : 1);
  return p;
}

}  // namespace podmon::status
