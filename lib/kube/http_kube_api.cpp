#include "kube/http_kube_api.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <sstream>

#include "core/errors.h"
#include "kube/line_splitter.h"

namespace podmon::kube {
namespace {

constexpr std::chrono::milliseconds kRequestTimeout{30000};
// Longer than the bookmark interval (about a minute), so a quiet healthy watch is not cut.
constexpr std::chrono::milliseconds kWatchReadTimeout{120000};

std::string readAll(std::istream& in) {
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

[[noreturn]] void throwStatus(int status, const std::string& what, const std::string& body) {
  throw KubeException(what + ": HTTP " + std::to_string(status) + ": " + statusMessage(body), status);
}

std::string str(const Poco::JSON::Object::Ptr& obj, const std::string& key) {
  if (!obj || !obj->has(key) || obj->isNull(key)) return {};
  return obj->getValue<std::string>(key);
}

}  // namespace

std::string statusMessage(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (obj && obj->has("message")) return obj->getValue<std::string>("message");
  } catch (const Poco::Exception&) {}
  return body.size() > 200 ? body.substr(0, 200) + "..." : body;
}

HttpKubeApi::HttpKubeApi(KubeTransport::Ptr transport, RequestRateLimiter::Ptr limiter)
    : transport_(std::move(transport)), limiter_(std::move(limiter)) {}

void HttpKubeApi::throttle() {
  if (limiter_) limiter_->acquire();
}

std::string HttpKubeApi::encode(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]% \"<>", out);
  return out;
}

std::string HttpKubeApi::podsPath(const std::string& namespace_) {
  return namespace_.empty() ? "/api/v1/pods" : "/api/v1/namespaces/" + encode(namespace_) + "/pods";
}

std::string HttpKubeApi::getJson(const std::string& pathAndQuery, std::chrono::milliseconds timeout) {
  std::string body;
  int status = 0;
  throttle();
  transport_->request("GET", pathAndQuery, "", timeout, [&](int s, std::istream& in) {
    status = s;
    body = readAll(in);
  });
  if (status != 200) throwStatus(status, "GET " + pathAndQuery.substr(0, pathAndQuery.find('?')), body);
  return body;
}

void HttpKubeApi::checkPodsReadable(const std::string& namespace_, std::chrono::milliseconds timeout) {
  getJson(podsPath(namespace_) + "?limit=1", timeout);
}

std::string HttpKubeApi::listPods(const PodQuery& query, const PodHandler& onPod) {
  std::string continueToken;
  std::string resourceVersion;
  PodParser parser;
  do {
    std::string path = podsPath(query.namespace_) + "?limit=" + std::to_string(query.pageSize);
    if (!query.labelSelector.empty()) path += "&labelSelector=" + encode(query.labelSelector);
    if (!continueToken.empty()) path += "&continue=" + encode(continueToken);
    std::string body = getJson(path, kRequestTimeout);
    // Item by item: each pod goes to the handler as it is read, never a vector of the page's pods.
    // A parser of its own per list (lists are rare): its megabytes go when the list is done, and
    // watchers of several namespaces listing at once do not wait for each other's handlers.
    PodParser::ListInfo page = parser.parsePodList(body, [&](PodSnapshot&& pod) { onPod(std::move(pod)); });
    if (resourceVersion.empty()) resourceVersion = page.resourceVersion;
    continueToken = page.continueToken;
  } while (!continueToken.empty());
  if (resourceVersion.empty()) throw KubeException("pod list without metadata.resourceVersion");
  return resourceVersion;
}

void HttpKubeApi::watchPods(const PodQuery& query, const std::string& resourceVersion, int timeoutSeconds,
                            const LineHandler& onLine) {
  std::string path = podsPath(query.namespace_) +
                     "?watch=true&allowWatchBookmarks=true&resourceVersion=" + encode(resourceVersion) +
                     "&timeoutSeconds=" + std::to_string(timeoutSeconds);
  if (!query.labelSelector.empty()) path += "&labelSelector=" + encode(query.labelSelector);
  transport_->request("GET", path, "", kWatchReadTimeout, [&](int status, std::istream& in) {
    if (status != 200) throwStatus(status, "watch pods", readAll(in));
    LineSplitter splitter;
    char buffer[64 * 1024];
    // peek() blocks until the server sends something; readsome() then takes what has arrived,
    // so each event is handled as soon as its line is complete.
    while (in.peek() != std::char_traits<char>::eof()) {
      std::streamsize n = in.readsome(buffer, sizeof buffer);
      if (n <= 0) continue;
      splitter.feed(std::string_view(buffer, static_cast<std::size_t>(n)), onLine, [](std::size_t bytes) {
        throw KubeException("watch event line of " + std::to_string(bytes) + " bytes exceeds the limit");
      });
    }
    if (in.bad()) throw KubeException("watch stream broken");
  });
}

LogResponse HttpKubeApi::podLog(const LogRequest& request) {
  std::string path = "/api/v1/namespaces/" + encode(request.namespace_) + "/pods/" + encode(request.pod) +
                     "/log?container=" + encode(request.container);
  if (request.previous) path += "&previous=true";
  if (request.tailLines > 0) path += "&tailLines=" + std::to_string(request.tailLines);
  if (request.limitBytes > 0) path += "&limitBytes=" + std::to_string(request.limitBytes);
  LogResponse response;
  throttle();
  transport_->request("GET", path, "", std::min(request.timeout, kRequestTimeout), [&](int status, std::istream& in) {
    response.status = status;
    response.body = readAll(in);
  });
  if (response.status != 200) response.body = statusMessage(response.body);
  return response;
}

std::vector<PodEventInfo> HttpKubeApi::podEvents(const std::string& namespace_, const std::string& podUid,
                                                 std::chrono::milliseconds timeout) {
  std::string body = getJson(
      "/api/v1/namespaces/" + encode(namespace_) + "/events?fieldSelector=" + encode("involvedObject.uid=" + podUid),
      std::min(timeout, kRequestTimeout));
  return parseEventList(body).events;
}

EventListPage HttpKubeApi::listEvents(const std::string& namespace_, int limit, const std::string& continueToken,
                                      std::chrono::milliseconds timeout) {
  std::string path = "/api/v1/namespaces/" + encode(namespace_) + "/events?limit=" + std::to_string(limit);
  if (!continueToken.empty()) path += "&continue=" + encode(continueToken);
  return parseEventList(getJson(path, std::min(timeout, kRequestTimeout)));
}

EventListPage parseEventList(const std::string& body) {
  EventListPage page;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    page.continueToken = str(root ? root->getObject("metadata") : nullptr, "continue");
    auto items = root->getArray("items");
    if (!items) return page;
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto item = items->getObject(static_cast<unsigned>(i));
      if (!item) continue;
      PodEventInfo e;
      e.type = str(item, "type");
      e.reason = str(item, "reason");
      e.message = str(item, "message");
      if (item->has("count") && !item->isNull("count")) e.count = item->getValue<int>("count");
      e.lastTimestamp = str(item, "lastTimestamp");
      if (e.lastTimestamp.empty()) e.lastTimestamp = str(item, "eventTime");
      e.fieldPath = str(item->getObject("involvedObject"), "fieldPath");
      e.involvedUid = str(item->getObject("involvedObject"), "uid");
      page.events.push_back(std::move(e));
    }
  } catch (const Poco::Exception& e) {
    throw KubeException("malformed EventList: " + e.displayText());
  }
  return page;
}

std::optional<OwnerReference> HttpKubeApi::controllerOf(const std::string& namespace_, const std::string& groupVersion,
                                                        const std::string& resource, const std::string& name,
                                                        std::chrono::milliseconds timeout) {
  std::string prefix = groupVersion == "v1" ? "/api/v1" : "/apis/" + groupVersion;
  std::string body = getJson(prefix + "/namespaces/" + encode(namespace_) + "/" + resource + "/" + encode(name),
                             std::min(timeout, kRequestTimeout));
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    auto owners = root->getObject("metadata") ? root->getObject("metadata")->getArray("ownerReferences") : nullptr;
    if (!owners) return std::nullopt;
    for (std::size_t i = 0; i < owners->size(); ++i) {
      auto o = owners->getObject(static_cast<unsigned>(i));
      if (o && o->has("controller") && o->getValue<bool>("controller")) {
        return OwnerReference{str(o, "kind"), str(o, "name"), str(o, "uid")};
      }
    }
  } catch (const Poco::Exception& e) {
    throw KubeException("malformed " + resource + " object: " + e.displayText());
  }
  return std::nullopt;
}

std::optional<PodSnapshot> HttpKubeApi::getPod(const std::string& namespace_, const std::string& name,
                                               std::chrono::milliseconds timeout) {
  std::string body;
  int status = 0;
  const std::string path = podsPath(namespace_) + "/" + encode(name);
  throttle();
  transport_->request("GET", path, "", std::min(timeout, kRequestTimeout), [&](int s, std::istream& in) {
    status = s;
    body = readAll(in);
  });
  if (status == 404) return std::nullopt;
  if (status != 200) throwStatus(status, "GET pod " + namespace_ + "/" + name, body);
  // Its own parser: the list parser's buffers are for lists, and this runs on the enrich workers.
  PodParser parser;
  return parser.parsePod(body);
}

void HttpKubeApi::abort() { transport_->abort(); }

}  // namespace podmon::kube
