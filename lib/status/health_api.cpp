#include "status/health_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/config.h"
#include "core/errors.h"
#include "store/db_time.h"

namespace podmon::status {
namespace {

using Poco::JSON::Object;

std::string toJson(const Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

ApiResponse jsonResponse(int status, const Object& body) {
  ApiResponse r;
  r.status = status;
  r.body = toJson(body);
  return r;
}

ApiResponse error(int status, const std::string& message) {
  Object o;
  o.set("error", message);
  return jsonResponse(status, o);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Object::Ptr crashJson(const store::StoredCrash& c, bool withLogs) {
  const auto& e = c.record.event;
  Object::Ptr o(new Object);
  o->set("id", c.id);
  o->set("crashKey", c.crashKey);
  o->set("cluster", e.clusterName);
  o->set("namespace", e.namespace_);
  o->set("pod", e.podName);
  o->set("container", e.containerName);
  o->set("ownerKind", e.ownerKind);
  o->set("ownerName", e.ownerName);
  o->set("reason", e.reason);
  if (e.exitCode) o->set("exitCode", *e.exitCode);
  o->set("restartCount", e.restartCount);
  o->set("finishedAt", e.finishedAt);
  o->set("detectedAt", store::formatRfc3339(store::toDbTime(e.detectedAt)));
  o->set("logsStatus", c.record.logsStatus);
  if (withLogs) o->set("logs", c.record.logs);
  return o;
}

// A workload kind from the URL to the owner kinds its pods' crashes carry.
bool ownedBy(const crash::CrashEvent& e, const std::string& kind, const std::string& name) {
  if (kind == "pod") return e.podName == name;
  if (e.ownerName != name) return false;
  std::string owner = lower(e.ownerKind);
  if (kind == "job") return owner == "job" || owner == "cronjob";
  return owner == kind;
}

std::optional<std::chrono::system_clock::time_point> parseSince(const std::string& text,
                                                                std::chrono::system_clock::time_point now) {
  if (auto t = store::parseRfc3339(text)) return store::fromDbTime(*t);
  try {
    return now - parseDuration(text, "since");  // "1h" = the last hour
  } catch (const ConfigException&) {
    return std::nullopt;
  }
}

}  // namespace

HealthApi::HealthApi(HealthApiOptions options, store::CrashRepository::Ptr store, Clock::Ptr clock)
    : options_(std::move(options)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      auth_(options_.token),
      limiter_(options_.ratePerHour, clock_) {}

ApiResponse HealthApi::handle(const ApiRequest& request) {
  if (!auth_.enabled()) return error(404, "the API is off: set API_TOKEN to turn it on");
  // Limit before checking the token, so the limit also slows down guessing it.
  auto decision = limiter_.take(request.client);
  if (!decision.allowed) {
    auto r = error(429, "rate limit exceeded");
    r.headers["Retry-After"] = std::to_string(decision.retryAfter.count());
    return r;
  }
  if (!auth_.allows(request.authorization, request.param("token"))) {
    auto r = error(401, "a valid API token is required");
    r.headers["WWW-Authenticate"] = "Bearer realm=\"podmon\"";
    return r;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = error(405, "method not allowed");
    r.headers["Allow"] = "GET, HEAD";
    return r;
  }
  try {
    const std::string healthPrefix = "/api/v1/healthz/";
    if (request.path.rfind(healthPrefix, 0) == 0)
      return workloadHealth(request, request.path.substr(healthPrefix.size()));
    if (request.path == "/api/v1/crashes") return crashes(request);
    return error(404, "no such endpoint");
  } catch (const StoreException&) {
    return error(503, "the crash store is unavailable");
  }
}

ApiResponse HealthApi::workloadHealth(const ApiRequest&, const std::string& rest) {
  std::vector<std::string> parts;
  std::stringstream ss(rest);
  std::string part;
  while (std::getline(ss, part, '/')) parts.push_back(part);
  if (parts.size() != 3 || parts[0].empty() || parts[2].empty())
    return error(404, "expected /api/v1/healthz/{namespace}/{kind}/{name}");
  std::string kind = lower(parts[1]);
  static const std::vector<std::string> kinds = {"deployment", "statefulset", "daemonset", "job", "pod"};
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    return error(400, "kind must be one of deployment, statefulset, daemonset, job, pod");

  auto now = clock_->now();
  store::CrashQuery query;
  query.clusterName = options_.clusterName;
  query.namespace_ = parts[0];
  query.since = now - options_.window;
  query.limit = 1000;
  int count = 0;
  std::optional<store::StoredCrash> latest;
  for (const auto& c : store_->listRecentCrashes(query)) {  // newest first
    if (!ownedBy(c.record.event, kind, parts[2])) continue;
    if (!latest) latest = c;
    ++count;
  }
  Object body;
  body.set("namespace", parts[0]);
  body.set("kind", kind);
  body.set("name", parts[2]);
  body.set("windowSeconds", std::chrono::duration_cast<std::chrono::seconds>(options_.window).count());
  body.set("crashes", count);
  body.set("status", latest ? "crashing" : "healthy");
  if (latest) body.set("latestCrash", crashJson(*latest, false));
  return jsonResponse(latest ? 503 : 200, body);
}

ApiResponse HealthApi::crashes(const ApiRequest& request) {
  auto now = clock_->now();
  store::CrashQuery query;
  query.clusterName = options_.clusterName;
  query.namespace_ = request.param("namespace").value_or("");
  if (auto since = request.param("since")) {
    query.since = parseSince(*since, now);
    if (!query.since) return error(400, "since must be RFC 3339 or a duration such as 1h");
  }
  if (auto limit = request.param("limit")) {
    if (limit->empty() || limit->size() > 6 || limit->find_first_not_of("0123456789") != std::string::npos)
      return error(400, "limit must be a positive integer");
    query.limit = std::clamp(std::stoi(*limit), 1, options_.maxLimit);
  }
  bool withLogs = request.param("include_logs").value_or("false") == "true";
  Poco::JSON::Array::Ptr items(new Poco::JSON::Array);
  for (const auto& c : store_->listRecentCrashes(query)) {
    if (withLogs) {
      auto full = store_->getCrash(c.id);  // the list leaves the logs out
      items->add(crashJson(full ? *full : c, true));
    } else {
      items->add(crashJson(c, false));
    }
  }
  Object body;
  body.set("items", items);
  body.set("count", items->size());
  return jsonResponse(200, body);
}

}  // namespace podmon::status
