#include "status/health_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/errors.h"
#include "status/api_params.h"
#include "status/crash_json.h"
#include "store/db_time.h"
#include "store/workload_query.h"

namespace podmon::status {
namespace {

using crash_json::error;
using crash_json::response;
using Poco::JSON::Object;

ApiResponse jsonResponse(int status, const Object& body) { return response(status, body); }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Object::Ptr crashJson(const store::StoredCrash& c, bool withLogs) { return crash_json::summary(c, withLogs); }

UiAccess uiAccessOf(const HealthApiOptions& options) {
  if (!options.token.empty()) return UiAccess::kToken;
  return options.openWithoutToken ? UiAccess::kOpen : UiAccess::kOff;
}

// Bytes `text` takes as a JSON string (Poco escapes quotes, backslash, '/' and control characters).
std::size_t jsonTextBytes(const std::string& text) {
  std::size_t n = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    n += c < 0x20 ? 6 : (c == '"' || c == '\\' || c == '/') ? 2 : 1;
  }
  return n;
}

store::CrashCursor cursorOf(const store::StoredCrash& c) {
  store::CrashCursor cursor;
  cursor.id = c.id;
  if (c.record.event.detectedAt != std::chrono::system_clock::time_point{})
    cursor.detectedAt = c.record.event.detectedAt;
  return cursor;
}

ApiResponse tooMany(const RateLimiter::Decision& decision) {
  auto r = error(429, "rate limit exceeded");
  r.headers["Retry-After"] = std::to_string(decision.retryAfter.count());
  return r;
}

}  // namespace

HealthApi::HealthApi(HealthApiOptions options, store::CrashRepository::Ptr store, Clock::Ptr clock)
    : options_(std::move(options)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      auth_(options_.token),
      limiter_(options_.ratePerHour, clock_),
      failedLimiter_(options_.failedAuthPerHour > 0 ? options_.failedAuthPerHour : options_.ratePerHour, clock_),
      sessions_(clock_),
      webUi_(uiAccessOf(options_), auth_, failedLimiter_, sessions_),
      view_(options_.clusterName, store_, clock_, options_.maxLimit) {}

ApiResponse HealthApi::handle(const ApiRequest& request) {
  if (WebUi::handles(request.path)) return webUi_.handle(request);
  if (uiAccessOf(options_) == UiAccess::kOff) return error(404, "the API is off: set API_TOKEN to turn it on");
  if (auto refused = admit(request)) return *refused;
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = error(405, "method not allowed");
    r.headers["Allow"] = "GET, HEAD";
    return r;
  }
  try {
    return route(request);
  } catch (const ApiParamError& e) {
    return error(400, e.what());
  } catch (const StoreException&) {
    return error(503, "the crash store is unavailable");
  }
}

std::optional<ApiResponse> HealthApi::admit(const ApiRequest& request) {
  // The token first (a constant-time comparison, no store access), so that requests without it
  // draw on a budget of their own: behind an ingress every caller has the same address, and
  // anyone could otherwise use up the budget of the callers that hold the token.
  const bool open = uiAccessOf(options_) == UiAccess::kOpen;
  if (!open && !auth_.allows(request.authorization, request.param("token")) && !webUi_.hasSession(request)) {
    if (auto decision = failedLimiter_.take(request.client); !decision.allowed) return tooMany(decision);
    auto r = error(401, "a valid API token is required");
    r.headers["WWW-Authenticate"] = "Bearer realm=\"podmon\"";
    return r;
  }
  if (auto decision = limiter_.take(request.client); !decision.allowed) return tooMany(decision);
  return std::nullopt;
}

ApiResponse HealthApi::route(const ApiRequest& request) {
  const std::string healthPrefix = "/api/v1/healthz/";
  if (request.path.rfind(healthPrefix, 0) == 0)
    return workloadHealth(request, request.path.substr(healthPrefix.size()));
  if (request.path == "/api/v1/crashes") return crashes(request);
  if (auto answered = view_.route(request)) return *answered;
  return error(404, "no such endpoint");
}

ApiResponse HealthApi::workloadHealth(const ApiRequest& request, const std::string& rest) {
  std::vector<std::string> parts;
  std::stringstream ss(rest);
  std::string part;
  while (std::getline(ss, part, '/')) parts.push_back(part);
  if (parts.size() != 3 || parts[0].empty() || parts[2].empty())
    return error(404, "expected /api/v1/healthz/{namespace}/{kind}/{name}");
  api_params::checkKnown(request, {});
  store::WorkloadQuery query;
  query.clusterName = options_.clusterName;
  query.namespace_ = api_params::checkNamespace(parts[0]);
  query.kind = lower(parts[1]);
  const auto& kinds = store::workloadKinds();
  if (std::find(kinds.begin(), kinds.end(), query.kind) == kinds.end())
    return error(400, "kind must be one of deployment, statefulset, daemonset, job, pod");
  query.name = api_params::checkName(parts[2]);
  query.since = clock_->now() - options_.window;
  const auto found = store_->workloadCrashes(query);
  if (!found.known) {
    Object o;
    o.set("error", "no pod of this workload was ever seen: check the namespace, kind and name");
    o.set("status", "unknown");
    return jsonResponse(404, o);
  }
  Object body;
  body.set("namespace", query.namespace_);
  body.set("kind", query.kind);
  body.set("name", query.name);
  body.set("windowSeconds", std::chrono::duration_cast<std::chrono::seconds>(options_.window).count());
  body.set("crashes", found.crashes);
  body.set("status", found.latest ? "crashing" : "healthy");
  if (found.latest) body.set("latestCrash", crashJson(*found.latest, false));
  return jsonResponse(found.latest ? 503 : 200, body);
}

ApiResponse HealthApi::crashes(const ApiRequest& request) {
  const auto params = api_params::parseCrashList(request, clock_->now(), options_.maxLimit);
  store::CrashQuery query;
  query.clusterName = options_.clusterName;
  query.namespace_ = params.namespace_;
  query.since = params.since;
  query.limit = params.limit;
  query.search = params.search;
  query.after = params.after;
  Poco::JSON::Array::Ptr items(new Poco::JSON::Array);
  std::optional<store::CrashCursor> last;
  std::size_t logBytes = 0;
  int omitted = 0;
  for (const auto& c : store_->listRecentCrashes(query)) {  // newest first
    last = cursorOf(c);
    if (!params.includeLogs) {
      items->add(crashJson(c, false));
      continue;
    }
    // The list leaves the logs out; once the budget is spent no more are read.
    auto full = omitted == 0 ? store_->getCrash(c.id) : std::nullopt;
    const std::size_t bytes = full ? jsonTextBytes(full->record.logs) : 0;
    if (full && logBytes + bytes <= options_.maxLogBytesPerAnswer) {
      logBytes += bytes;
      items->add(crashJson(*full, true));
      continue;
    }
    auto item = crashJson(c, false);
    if (full || omitted > 0) {
      item->set("logsOmitted", true);
      ++omitted;
    }
    items->add(item);
  }
  Object body;
  body.set("items", items);
  body.set("count", items->size());
  // A full page may have more after it: the cursor that asks for the next one.
  if (last && static_cast<int>(items->size()) == params.limit) body.set("nextCursor", api_params::formatCursor(*last));
  if (params.includeLogs) body.set("logsOmittedItems", omitted);
  return jsonResponse(200, body);
}

}  // namespace podmon::status
