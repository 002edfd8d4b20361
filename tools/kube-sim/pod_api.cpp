#include "pod_api.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>

#include "api_error.h"
#include "kube_sim_server.h"
#include "list_snapshots.h"
#include "pod_filter.h"
#include "pod_renderer.h"

namespace podmon::kubesim {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string eventLine(const char* type, const std::string& objectJson) {
  std::string line;
  line.reserve(objectJson.size() + 32);
  line += R"({"type":")";
  line += type;
  line += R"(","object":)";
  line += objectJson;
  line += "}\n";
  return line;
}

std::string bookmarkLine(uint64_t rv) {
  return R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":")" +
         std::to_string(rv) + R"("}}})" + "\n";
}

// True when the client has closed its side of the connection.
bool clientGone(Poco::Net::StreamSocket& socket) {
  try {
    return socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ) && socket.available() == 0;
  } catch (const Poco::Exception&) {
    return true;
  }
}

// Starts a watch's 200 answer: chunked JSON lines, as the API server streams them.
std::ostream& startStream(HttpExchange& ex) {
  auto& response = ex.response();
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType("application/json");
  response.setChunkedTransferEncoding(true);
  response.set("Cache-Control", "no-cache, private");
  return response.send();
}

const char* const kMalformedLine = R"({"type":"MODIFIED","object":{"kind":"Pod","apiVer)";

// Answers a watch the way WatchScript says; false for a normal watch. Throws ApiError (410).
bool answerScripted(HttpExchange& ex, WatchScript::Answer answer, const std::string& rvParam, uint64_t currentRv) {
  const std::string message =
      "too old resource version: " + (rvParam.empty() ? "0" : rvParam) + " (" + std::to_string(currentRv) + ")";
  switch (answer) {
    case WatchScript::Answer::kNormal: return false;
    case WatchScript::Answer::kGoneStatus: throw ApiError::expired(message);
    case WatchScript::Answer::kGoneEvent:
      startStream(ex) << eventLine("ERROR", ApiError::expired(message).statusJson());
      break;
    case WatchScript::Answer::kMalformed: startStream(ex) << kMalformedLine << "\n"; break;
  }
  return true;
}

// Keeps ClusterState's open-watch count right on every way out of a watch.
class OpenWatchGuard {
 public:
  explicit OpenWatchGuard(ClusterState& state) : state_(state) {}
  ~OpenWatchGuard() { state_.closeWatch(); }
  OpenWatchGuard(const OpenWatchGuard&) = delete;
  OpenWatchGuard& operator=(const OpenWatchGuard&) = delete;

 private:
  ClusterState& state_;
};

}  // namespace

void PodApi::list(HttpExchange& ex, const std::string& ns) {
  PodFilter filter(ns, ex.param("labelSelector"), ex.param("fieldSelector"));
  long long limit = ex.intParam("limit", 0);
  ListSnapshots::SnapshotPtr snap;
  uint64_t snapshotId = 0;
  size_t offset = 0;
  if (ex.hasParam("continue") && !ex.param("continue").empty()) {
    uint64_t rv = 0;
    ListSnapshots::decodeToken(ex.param("continue"), snapshotId, rv, offset);
    snap = server_.listSnapshots().get(snapshotId);
  } else {
    snap = server_.state().sharedSnapshot();
  }
  // Each pod's JSON was rendered once when it was published: a page is those texts copied once
  // into a body of the right size, and nothing here walks the pods outside the page.
  const auto& pods = snap->pods;
  std::vector<const SimPod*> page;
  size_t bytes = 0;
  size_t i = std::min(offset, pods.size());
  for (; i < pods.size(); ++i) {
    if (!filter.matches(*pods[i])) continue;
    if (limit > 0 && static_cast<long long>(page.size()) == limit) break;
    page.push_back(pods[i].get());
    bytes += pods[i]->json.size() + 1;
  }
  size_t remaining = 0;
  if (filter.matchesEverything()) {
    remaining = pods.size() - i;
  } else {
    for (size_t j = i; j < pods.size(); ++j)
      if (filter.matches(*pods[j])) ++remaining;
  }
  std::string meta = R"("resourceVersion":")" + std::to_string(snap->resourceVersion) + "\"";
  if (remaining > 0) {
    if (snapshotId == 0) snapshotId = server_.listSnapshots().put(snap);
    meta += R"(,"continue":")" + ListSnapshots::encodeToken(snapshotId, snap->resourceVersion, i) +
            R"(","remainingItemCount":)" + std::to_string(remaining);
  }
  std::string body;
  body.reserve(bytes + meta.size() + 96);
  body += R"({"kind":"PodList","apiVersion":"v1","metadata":{)" + meta + R"(},"items":[)";
  for (size_t k = 0; k < page.size(); ++k) {
    if (k > 0) body.push_back(',');
    body += page[k]->json;
  }
  body += "]}";
  ex.sendJson(200, body);
}

void PodApi::get(HttpExchange& ex, const std::string& ns, const std::string& name) {
  ex.sendJson(200, server_.state().getPod(ns, name)->json);
}

void PodApi::watch(HttpExchange& ex, const std::string& ns) {
  PodFilter filter(ns, ex.param("labelSelector"), ex.param("fieldSelector"));
  const auto& opts = server_.options();
  std::string rvParam = ex.param("resourceVersion");
  bool sendInitial = rvParam.empty() || rvParam == "0";
  uint64_t startRv = 0;
  if (!sendInitial) {
    try {
      size_t used = 0;
      startRv = std::stoull(rvParam, &used);
      if (used != rvParam.size()) throw std::invalid_argument(rvParam);
    } catch (const std::exception&) {
      throw ApiError::badRequest("invalid resource version: " + rvParam);
    }
  }
  long long timeoutSeconds = ex.intParam("timeoutSeconds", opts.defaultWatchTimeoutSeconds);
  bool bookmarks = ex.boolParam("allowWatchBookmarks");
  ClusterState& state = server_.state();
  if (answerScripted(ex, server_.watchScript().take(), rvParam, state.currentResourceVersion())) return;

  ClusterState::PodSnapshot initial;
  ClusterState::WatchCursor cursor;
  std::string openError;
  if (sendInitial) {
    initial = state.snapshot();
    cursor = state.openWatch(initial.resourceVersion);
  } else {
    try {
      cursor = state.openWatch(startRv);
    } catch (const ApiError& e) {
      // The API server answers 200 and reports the expiry as the first (and last) event.
      openError = e.statusJson();
    }
  }

  std::ostream& out = startStream(ex);
  if (!openError.empty()) {
    out << eventLine("ERROR", openError);
    out.flush();
    return;
  }
  OpenWatchGuard guard(state);
  for (const auto& pod : initial.pods)
    if (filter.matches(*pod)) out << eventLine("ADDED", pod->json);
  out.flush();

  auto& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(ex.request()).socket();
  auto now = SteadyClock::now();
  auto deadline = now + std::chrono::seconds(timeoutSeconds > 0 ? timeoutSeconds : opts.defaultWatchTimeoutSeconds);
  auto nextBookmark = now + opts.bookmarkInterval;
  while (out.good()) {
    now = SteadyClock::now();
    if (now >= deadline) break;
    auto wakeAt = std::min(deadline, now + std::chrono::seconds(1));
    if (bookmarks) wakeAt = std::min(wakeAt, nextBookmark);
    auto batch = state.waitForEvents(cursor, wakeAt);
    if (batch.stopping) break;
    if (batch.dropped) {
      // Abrupt close, without the terminating chunk, like a dropped connection.
      try {
        socket.shutdown();
      } catch (const Poco::Exception&) {}
      return;
    }
    if (batch.expired) {
      out << eventLine("ERROR", ApiError::expired(batch.expiredMessage).statusJson());
      break;
    }
    for (int i = 0; i < batch.malformedLines; ++i) out << kMalformedLine << "\n";
    for (const auto& e : batch.events) {
      bool nowMatches = filter.matches(*e.object);
      bool wasMatching = e.previous && filter.matches(*e.previous);
      switch (e.type) {
        case WatchEvent::Type::Added:
          if (nowMatches) out << eventLine("ADDED", e.object->json);
          break;
        case WatchEvent::Type::Deleted:
          if (nowMatches) out << eventLine("DELETED", e.object->json);
          break;
        case WatchEvent::Type::Modified:
          if (nowMatches && wasMatching) out << eventLine("MODIFIED", e.object->json);
          else if (nowMatches) out << eventLine("ADDED", e.object->json);
          else if (wasMatching)
            out << eventLine("DELETED", PodRenderer::renderWithResourceVersion(*e.previous, e.object->resourceVersion));
          break;
      }
    }
    if (bookmarks && SteadyClock::now() >= nextBookmark) {
      out << bookmarkLine(cursor.resourceVersion);
      nextBookmark = SteadyClock::now() + opts.bookmarkInterval;
    }
    out.flush();
    if (batch.events.empty() && batch.malformedLines == 0 && clientGone(socket)) break;
  }
  out.flush();
}

}  // namespace podmon::kubesim
