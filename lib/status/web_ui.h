#pragma once

#include <string>

#include "status/api_auth.h"
#include "status/http_exchange.h"
#include "status/rate_limiter.h"
#include "status/ui_sessions.h"

namespace podmon::status {

// Who may open the web view: nobody (404: no API_TOKEN and UI_AUTH=token), everyone who reaches
// the port (UI_AUTH=none with no API_TOKEN: local use, port-forward, the demo), or whoever logs
// in with API_TOKEN.
enum class UiAccess { kOff, kOpen, kToken };

// The read-only web view under /ui/ (issue 24): its pages, script and style sheet, embedded at
// build time from lib/status/ui/, and the login. Every answer carries a strict
// Content-Security-Policy (nothing but this origin's own files: no inline script or style, no
// framing). With a token, GET /ui/ shows a login form (field `token`); POST /ui/login with the
// right token makes a session (HttpOnly, SameSite=Strict cookie) and redirects (303) to /ui/.
// The login refuses a cross-site Origin or Referer, and a wrong token draws on the failed-attempt
// rate limiter the API uses. The view's data comes from /api/v1, which accepts the cookie.
class WebUi {
 public:
  static constexpr const char* kCookieName = "podmon_session";
  static constexpr std::size_t kMaxLoginBody = 4096;

  WebUi(UiAccess access, const ApiAuth& auth, RateLimiter& failedLimiter, UiSessions& sessions);

  static bool handles(const std::string& path) { return path == "/ui" || path.rfind("/ui/", 0) == 0; }
  ApiResponse handle(const ApiRequest& request);
  // True when the request carries the cookie of a live session.
  bool hasSession(const ApiRequest& request) const;

  // The value of cookie `name` in a Cookie header, "" when absent.
  static std::string cookieValue(const std::string& header, const std::string& name);
  // The value of field `name` in an application/x-www-form-urlencoded body, "" when absent or
  // malformed.
  static std::string formField(const std::string& body, const std::string& name);
  // True when neither Origin nor Referer names another origin than http(s)://host.
  static bool sameOrigin(const ApiRequest& request);
  // The headers every answer of the view carries (CSP, nosniff, no framing, no caching).
  static void secure(ApiResponse& response);

 private:
  ApiResponse page(const std::string& path) const;
  ApiResponse login(const ApiRequest& request);
  ApiResponse loginPage(int status, const std::string& notice) const;

  UiAccess access_;
  const ApiAuth& auth_;
  RateLimiter& failedLimiter_;
  UiSessions& sessions_;
};

}  // namespace podmon::status
