#include "status/crash_view_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "status/api_params.h"
#include "status/crash_json.h"
#include "store/db_time.h"

namespace podmon::status {

using Poco::JSON::Array;
using Poco::JSON::Object;

CrashViewApi::CrashViewApi(std::string clusterName, store::CrashRepository::Ptr store, Clock::Ptr clock, int maxLimit)
    : clusterName_(std::move(clusterName)), store_(std::move(store)), clock_(std::move(clock)), maxLimit_(maxLimit) {}

std::optional<ApiResponse> CrashViewApi::route(const ApiRequest& request) {
  const std::string crashPrefix = "/api/v1/crashes/";
  if (request.path.rfind(crashPrefix, 0) == 0) return crash(request, request.path.substr(crashPrefix.size()));
  if (request.path == "/api/v1/fingerprints") return fingerprints(request);
  if (request.path == "/api/v1/timeline") return timeline(request);
  if (request.path == "/api/v1/namespaces") return namespaces(request);
  return std::nullopt;
}

ApiResponse CrashViewApi::crash(const ApiRequest& request, const std::string& idText) {
  api_params::checkKnown(request, {});
  if (idText.empty() || idText.size() > 18 || idText.find_first_not_of("0123456789") != std::string::npos)
    return crash_json::error(404, "expected /api/v1/crashes/{id} with a numeric id");
  const auto found = store_->getCrash(std::stoll(idText));
  // Another cluster's crash (a shared database) is not this view's to show.
  if (!found || (!clusterName_.empty() && found->record.event.clusterName != clusterName_))
    return crash_json::error(404, "no such crash");
  return crash_json::response(200, *crash_json::detail(*found));
}

ApiResponse CrashViewApi::fingerprints(const ApiRequest& request) {
  api_params::checkKnown(request, {"namespace", "since", "limit"});
  store::FingerprintQuery query;
  query.cluster = clusterName_;
  if (auto ns = request.param("namespace"); ns && !ns->empty()) query.namespace_ = api_params::checkNamespace(*ns);
  if (auto since = request.param("since")) query.since = api_params::parseSince(*since, clock_->now());
  query.limit = std::min(50, maxLimit_);
  if (auto limit = request.param("limit")) query.limit = api_params::parseLimit(*limit, maxLimit_);
  Array::Ptr items(new Array);
  for (const auto& f : store_->listFingerprints(query)) items->add(crash_json::fingerprint(f));
  Object body;
  body.set("items", items);
  body.set("count", items->size());
  return crash_json::response(200, body);
}

ApiResponse CrashViewApi::timeline(const ApiRequest& request) {
  api_params::checkKnown(request, {"hours"});
  int hours = 24;
  if (auto h = request.param("hours")) hours = api_params::parseHours(*h);
  const auto now = clock_->now();
  const auto from = std::chrono::floor<std::chrono::hours>(now) - std::chrono::hours(hours - 1);
  Array::Ptr buckets(new Array);
  for (const auto& b : store_->crashTimeline(store::TimelineQuery{clusterName_, from})) {
    Object::Ptr o(new Object);
    o->set("hour", store::formatRfc3339(store::toDbTime(b.hour)));
    o->set("namespace", b.namespace_);
    o->set("crashes", b.crashes);
    buckets->add(o);
  }
  Object body;
  body.set("from", store::formatRfc3339(store::toDbTime(from)));
  body.set("hours", hours);
  body.set("buckets", buckets);
  return crash_json::response(200, body);
}

ApiResponse CrashViewApi::namespaces(const ApiRequest& request) {
  api_params::checkKnown(request, {});
  Array::Ptr items(new Array);
  for (const auto& name : store_->crashNamespaces(clusterName_)) items->add(name);
  Object body;
  body.set("items", items);
  return crash_json::response(200, body);
}

}  // namespace podmon::status
