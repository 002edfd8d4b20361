#include "status/web_ui.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cctype>

#include "status/crash_json.h"
#include "status/ui_assets.h"

namespace podmon::status {
namespace {

constexpr const char* kNoticeMarker = "<!--notice-->";

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// "scheme://host[:port]" of an Origin or Referer value, lower-cased; "" when it has none.
std::string originOf(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  auto end = url.find('/', scheme + 3);
  std::string origin = url.substr(0, end);
  for (auto& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return origin;
}

ApiResponse notFound() { return crash_json::error(404, "not found"); }

}  // namespace

WebUi::WebUi(UiAccess access, const ApiAuth& auth, RateLimiter& failedLimiter, UiSessions& sessions)
    : access_(access), auth_(auth), failedLimiter_(failedLimiter), sessions_(sessions) {}

void WebUi::secure(ApiResponse& r) {
  r.headers["Content-Security-Policy"] =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["X-Frame-Options"] = "DENY";
  r.headers["Referrer-Policy"] = "same-origin";  // no-referrer would make the login POST send "Origin: null"
  r.headers["Cache-Control"] = "no-store";
}

ApiResponse WebUi::handle(const ApiRequest& request) {
  ApiResponse r;
  if (access_ == UiAccess::kOff) {
    r = crash_json::error(404, "the web view is off: set API_TOKEN, or UI_AUTH=none for local use");
  } else if (request.path == "/ui/login" && request.method == "POST") {
    r = login(request);
  } else if (request.method != "GET" && request.method != "HEAD") {
    r = crash_json::error(405, "method not allowed");
    r.headers["Allow"] = "GET, HEAD";
  } else {
    r = page(request.path);
    if (request.path == "/ui/" && access_ == UiAccess::kToken && !hasSession(request)) r = loginPage(200, "");
  }
  secure(r);
  return r;
}

ApiResponse WebUi::page(const std::string& path) const {
  ApiResponse r;
  if (path == "/ui" || path == "/ui/login") {
    r.status = 303;
    r.headers["Location"] = "/ui/";
    r.contentType = "text/plain; charset=utf-8";
    return r;
  }
  if (path == "/ui/") {
    r.contentType = "text/html; charset=utf-8";
    r.body = std::string(ui_assets::page("index.html"));
    return r;
  }
  const auto* asset = ui_assets::file(path.substr(4));
  if (!asset) return notFound();
  r.contentType = std::string(asset->contentType);
  r.body = std::string(asset->body);
  return r;
}

ApiResponse WebUi::loginPage(int status, const std::string& notice) const {
  ApiResponse r;
  r.status = status;
  r.contentType = "text/html; charset=utf-8";
  r.body = std::string(ui_assets::page("login.html"));
  // `notice` is one of this file's constant sentences, never request data.
  if (auto at = r.body.find(kNoticeMarker); at != std::string::npos && !notice.empty())
    r.body.replace(at, std::string(kNoticeMarker).size(), "<p class=\"notice\" id=\"notice\">" + notice + "</p>");
  return r;
}

ApiResponse WebUi::login(const ApiRequest& request) {
  if (access_ == UiAccess::kOpen) return page("/ui/login");
  if (!sameOrigin(request)) return crash_json::error(403, "the login form must be sent from this server's own page");
  const std::string token = formField(request.body, "token");
  if (token.empty() || !auth_.allows("", token)) {
    if (auto decision = failedLimiter_.take(request.client); !decision.allowed) {
      auto r = loginPage(429, "Too many failed attempts: try again later.");
      r.headers["Retry-After"] = std::to_string(decision.retryAfter.count());
      return r;
    }
    return loginPage(401, "Wrong token.");
  }
  ApiResponse r;
  r.status = 303;
  r.contentType = "text/plain; charset=utf-8";
  r.headers["Location"] = "/ui/";
  r.headers["Set-Cookie"] =
      std::string(kCookieName) + "=" + sessions_.create() +
      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(sessions_.lifetime().count());
  return r;
}

bool WebUi::hasSession(const ApiRequest& request) const {
  return sessions_.valid(cookieValue(request.cookie, kCookieName));
}

std::string WebUi::cookieValue(const std::string& header, const std::string& name) {
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    const std::string pair = trimmed(header.substr(start, end - start));
    auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    start = end + 1;
  }
  return {};
}

std::string WebUi::formField(const std::string& body, const std::string& name) {
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) {
      std::string value = pair.substr(eq + 1);
      for (auto& c : value) c = c == '+' ? ' ' : c;
      try {
        std::string decoded;
        Poco::URI::decode(value, decoded);
        return decoded;
      } catch (const Poco::Exception&) {
        return {};
      }
    }
    start = end + 1;
  }
  return {};
}

bool WebUi::sameOrigin(const ApiRequest& request) {
  const std::string host = trimmed(request.host);
  if (host.empty()) return false;
  std::string lowerHost = host;
  for (auto& c : lowerHost) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto fits = [&](const std::string& origin) {
    return origin == "http://" + lowerHost || origin == "https://" + lowerHost;
  };
  if (!request.origin.empty()) return fits(originOf(request.origin));
  if (!request.referer.empty()) return fits(originOf(request.referer));
  return true;  // neither sent (an old client, curl): the SameSite cookie is what protects the session
}

}  // namespace podmon::status
