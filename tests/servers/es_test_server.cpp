#include "servers/es_test_server.h"

#include "core/http_server_stop.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

namespace podmon::testing {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::string toJson(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

Object::Ptr errorBody(const std::string& type, const std::string& reason, int status) {
  Object::Ptr error = new Object;
  error->set("type", type);
  error->set("reason", reason);
  Object::Ptr body = new Object;
  body->set("error", error);
  body->set("status", status);
  return body;
}

bool matchesPattern(const std::string& pattern, const std::string& index) {
  if (!pattern.empty() && pattern.back() == '*') return index.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
  return pattern == index;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::istringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

}  // namespace

struct EsTestServer::State {
  struct Doc {
    std::string source;
    int version = 1;
  };
  struct Template {
    std::string body;
    std::vector<std::string> patterns;
    int priority = 0;
  };

  mutable std::mutex mutex;
  EsTestServer::Options options;
  std::map<std::string, std::map<std::string, Doc>> indices;
  std::map<std::string, std::string> appliedTemplate;
  std::map<std::string, Template> composable;
  std::map<std::string, Template> legacy;
  int rejectItems = 0;
  int rejectItemStatus = 429;
  DocumentPredicate failPredicate;
  int failRequests = 0;
  int failRequestStatus = 503;
  std::chrono::milliseconds delay{0};
  std::condition_variable stopCv;  // wakes delayed handlers when the listener goes down
  std::uint64_t stops = 0;
  std::size_t requests = 0;
  std::size_t bulkRequests = 0;
  std::size_t bulkItems = 0;
  std::size_t templatePuts = 0;
  std::string lastAuthorization;
  std::string lastContentType;
  std::vector<std::string> log;
  long long autoId = 0;
  Sigv4Verifier sigv4;  // off unless a test turns it on

  // An index podmon writes to is created on first write, taking the template that matches.
  void createIndexIfMissing(const std::string& index) {
    if (indices.count(index)) return;
    indices[index];
    std::string best;
    int bestPriority = -1;
    for (const auto* templates : {&composable, &legacy}) {
      for (const auto& [name, t] : *templates) {
        for (const auto& pattern : t.patterns) {
          if (matchesPattern(pattern, index) && t.priority > bestPriority) {
            best = name;
            bestPriority = t.priority;
          }
        }
      }
      if (!best.empty()) break;  // composable templates win over legacy ones
    }
    appliedTemplate[index] = best;
  }
};

namespace {

struct Reply {
  int status = 200;
  std::string body;
};

Reply json(int status, const Poco::Dynamic::Var& body) { return {status, toJson(body)}; }

Reply handleBulk(EsTestServer::State& s, const std::string& pathIndex, const std::string& body) {
  ++s.bulkRequests;
  if (body.empty() || body.back() != '\n') {
    return json(400,
                errorBody("illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]", 400));
  }
  std::vector<std::string> lines;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  Array::Ptr items = new Array;
  bool errors = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Object::Ptr actionLine;
    try {
      actionLine = Poco::JSON::Parser().parse(lines[i]).extract<Object::Ptr>();
    } catch (const std::exception&) {
      return json(400, errorBody("x_content_parse_exception",
                                 "Malformed action/metadata line [" + std::to_string(i + 1) + "]", 400));
    }
    if (!actionLine || actionLine->size() != 1) {
      return json(400, errorBody("illegal_argument_exception",
                                 "Malformed action/metadata line [" + std::to_string(i + 1) + "]", 400));
    }
    const std::string action = actionLine->begin()->first;
    Object::Ptr meta = actionLine->getObject(action);
    if (!meta || (action != "create" && action != "index")) {
      return json(400, errorBody("illegal_argument_exception", "Unsupported action [" + action + "]", 400));
    }
    const int major = std::atoi(s.options.version.c_str());
    const bool elastic = s.options.distribution == "elasticsearch";
    if (elastic && major < 7 && !meta->has("_type")) {
      return json(400, errorBody("action_request_validation_exception", "Validation Failed: 1: type is missing;", 400));
    }
    if (meta->has("_type") && elastic && major >= 8) {
      return json(
          400,
          errorBody("illegal_argument_exception",
                    "Action/metadata line [" + std::to_string(i + 1) + "] contains an unknown parameter [_type]", 400));
    }
    if (i + 1 >= lines.size()) {
      return json(400,
                  errorBody("action_request_validation_exception", "Validation Failed: 1: no requests added;", 400));
    }
    const std::string source = lines[++i];
    ++s.bulkItems;
    std::string index = meta->optValue<std::string>("_index", pathIndex);
    std::string id = meta->has("_id") ? meta->getValue<std::string>("_id") : "auto-" + std::to_string(++s.autoId);
    Object::Ptr result = new Object;
    result->set("_index", index);
    result->set("_id", id);
    auto fail = [&](int status, const std::string& type, const std::string& reason) {
      result->set("status", status);
      result->set("error", errorBody(type, reason, status)->getObject("error"));
      errors = true;
    };
    Object::Ptr parsedSource;
    try {
      parsedSource = Poco::JSON::Parser().parse(source).extract<Object::Ptr>();
    } catch (const std::exception&) {}
    if (s.rejectItems > 0) {
      --s.rejectItems;
      if (s.rejectItemStatus == 429) {
        fail(429, "es_rejected_execution_exception", "rejected execution of coordinating operation");
      } else {
        fail(s.rejectItemStatus, "unavailable_shards_exception", "primary shard is not active");
      }
    } else if (!parsedSource) {
      fail(400, "mapper_parsing_exception", "failed to parse");
    } else if (s.failPredicate && s.failPredicate(*parsedSource)) {
      fail(400, "mapper_parsing_exception",
           "failed to parse field [exit_code] of type [integer] in document with id '" + id + "'");
    } else {
      s.createIndexIfMissing(index);
      auto& docs = s.indices[index];
      auto existing = docs.find(id);
      if (action == "create" && existing != docs.end()) {
        fail(409, "version_conflict_engine_exception",
             "[" + id + "]: version conflict, document already exists (current version [" +
                 std::to_string(existing->second.version) + "])");
      } else if (existing != docs.end()) {
        existing->second.source = source;
        ++existing->second.version;
        result->set("_version", existing->second.version);
        result->set("result", "updated");
        result->set("status", 200);
      } else {
        docs[id] = {source, 1};
        result->set("_version", 1);
        result->set("result", "created");
        result->set("status", 201);
      }
    }
    Object::Ptr wrapper = new Object;
    wrapper->set(action, result);
    items->add(wrapper);
  }
  Object::Ptr response = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  response->set("took", 1);
  response->set("errors", errors);
  response->set("items", items);
  return json(200, response);
}

Reply handleTemplate(EsTestServer::State& s, bool composable, const std::string& method, const std::string& name,
                     const std::string& body) {
  auto& templates = composable ? s.composable : s.legacy;
  if (method == "GET") {
    auto it = templates.find(name);
    if (it == templates.end())
      return json(404,
                  errorBody("resource_not_found_exception", "index template matching [" + name + "] not found", 404));
    Object::Ptr response = new Object;
    response->set(name, Poco::JSON::Parser().parse(it->second.body));
    return json(200, response);
  }
  if (method != "PUT" && method != "POST")
    return json(405, errorBody("illegal_argument_exception", "Incorrect HTTP method", 405));
  ++s.templatePuts;
  Object::Ptr parsed;
  try {
    parsed = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
  } catch (const std::exception&) {
    return json(400, errorBody("parse_exception", "request body is required", 400));
  }
  Array::Ptr patterns = parsed ? parsed->getArray("index_patterns") : nullptr;
  if (!patterns || patterns->size() == 0) {
    return json(400, errorBody("action_request_validation_exception", "index patterns are missing", 400));
  }
  // The shape of each API, as Elasticsearch checks it.
  if (composable && (parsed->has("settings") || parsed->has("mappings") || parsed->has("order"))) {
    return json(
        400, errorBody("x_content_parse_exception", "[index_template] unknown field [settings/mappings/order]", 400));
  }
  if (!composable && (parsed->has("template") || parsed->has("priority"))) {
    return json(400, errorBody("illegal_argument_exception", "unknown key [template] in the template", 400));
  }
  EsTestServer::State::Template t;
  t.body = body;
  for (std::size_t i = 0; i < patterns->size(); ++i)
    t.patterns.push_back(patterns->getElement<std::string>(static_cast<unsigned>(i)));
  t.priority = parsed->optValue<int>(composable ? "priority" : "order", 0);
  templates[name] = t;
  Object::Ptr ack = new Object;
  ack->set("acknowledged", true);
  return json(200, ack);
}

Reply route(EsTestServer::State& s, const std::string& method, const std::string& path, const std::string& body) {
  const auto parts = splitPath(path);
  if (parts.empty()) {
    Object::Ptr version = new Object;
    version->set("number", s.options.version);
    if (s.options.distribution != "elasticsearch") version->set("distribution", s.options.distribution);
    Object::Ptr root = new Object;
    root->set("name", "es-test-server");
    root->set("cluster_name", "podmon-test");
    root->set("version", version);
    root->set("tagline", "You Know, for Search");
    return json(200, root);
  }
  if (parts[0] == "_bulk")
    return method == "POST" || method == "PUT"
               ? handleBulk(s, "", body)
               : json(405, errorBody("illegal_argument_exception", "Incorrect HTTP method", 405));
  if (parts.size() == 2 && parts[1] == "_bulk") return handleBulk(s, parts[0], body);
  if (parts[0] == "_index_template" && parts.size() == 2) {
    if (!s.options.composableTemplates) {
      // Elasticsearch 6 reads this as an index called "_index_template".
      return json(400, errorBody("invalid_index_name_exception",
                                 "Invalid index name [_index_template], must not start with '_'.", 400));
    }
    return handleTemplate(s, true, method, parts[1], body);
  }
  if (parts[0] == "_template" && parts.size() == 2) return handleTemplate(s, false, method, parts[1], body);
  if (parts[0] == "_cluster" && parts.size() >= 2 && parts[1] == "health") {
    Object::Ptr health = new Object;
    health->set("cluster_name", "podmon-test");
    health->set("status", "yellow");
    health->set("timed_out", false);
    health->set("number_of_nodes", 1);
    health->set("number_of_data_nodes", 1);
    health->set("active_primary_shards", static_cast<int>(s.indices.size()));
    health->set("active_shards", static_cast<int>(s.indices.size()));
    health->set("relocating_shards", 0);
    health->set("initializing_shards", 0);
    health->set("unassigned_shards", static_cast<int>(s.indices.size()));
    health->set("number_of_pending_tasks", 0);
    health->set("active_shards_percent_as_number", 50.0);
    return json(200, health);
  }
  if (parts[0] == "_cat" && parts.size() == 2 && parts[1] == "indices") {
    Array::Ptr list = new Array;
    for (const auto& [name, docs] : s.indices) {
      Object::Ptr row = new Object;
      row->set("health", "yellow");
      row->set("status", "open");
      row->set("index", name);
      row->set("docs.count", std::to_string(docs.size()));
      list->add(row);
    }
    return json(200, list);
  }
  if (parts.size() == 3 && parts[1] == "_doc" && method == "GET") {
    Object::Ptr response = new Object;
    response->set("_index", parts[0]);
    response->set("_id", parts[2]);
    auto index = s.indices.find(parts[0]);
    if (index == s.indices.end()) {
      return json(404, errorBody("index_not_found_exception", "no such index [" + parts[0] + "]", 404));
    }
    auto doc = index->second.find(parts[2]);
    response->set("found", doc != index->second.end());
    if (doc == index->second.end()) return json(404, response);
    response->set("_version", doc->second.version);
    response->set("_source", Poco::JSON::Parser().parse(doc->second.source));
    return json(200, response);
  }
  return json(404, errorBody("resource_not_found_exception",
                             "no handler found for uri [" + path + "] and method [" + method + "]", 404));
}

// AWS's 403 when the SigV4 check is on and the request's signature is not right.
std::optional<Reply> sigv4Rejection(const Sigv4Verifier& verifier, const Poco::Net::HTTPServerRequest& request,
                                    const std::string& body) {
  if (!verifier.enabled()) return std::nullopt;
  Sigv4Verifier::Headers headers;
  for (const auto& [name, value] : request) headers.emplace_back(name, value);
  auto rejection = verifier.verify(request.getMethod(), request.getURI(), headers, body);
  if (!rejection) return std::nullopt;
  return Reply{rejection->status, rejection->body};
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<EsTestServer::State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const Poco::URI uri(request.getURI());
    Reply reply;
    std::chrono::milliseconds delay{0};
    std::uint64_t stopsSeen = 0;
    {
      auto& s = *state_;
      std::lock_guard lock(s.mutex);
      stopsSeen = s.stops;
      ++s.requests;
      s.lastAuthorization = request.get("Authorization", "");
      s.lastContentType = request.getContentType();
      s.log.push_back(request.getMethod() + " " + uri.getPath());
      delay = s.delay;
      if (!s.options.requiredAuthorization.empty() && s.lastAuthorization != s.options.requiredAuthorization) {
        reply = json(401, errorBody("security_exception",
                                    "unable to authenticate user for REST request [" + uri.getPath() + "]", 401));
        response.set("WWW-Authenticate", "Basic realm=\"security\" charset=\"UTF-8\", ApiKey");
      } else if (auto rejected = sigv4Rejection(s.sigv4, request, body)) {
        reply = *rejected;
      } else if (s.failRequests > 0) {
        --s.failRequests;
        const int status = s.failRequestStatus;
        reply = json(status, errorBody(status == 429 ? "circuit_breaking_exception" : "cluster_block_exception",
                                       "injected failure", status));
      } else if (body.size() > s.options.maxContentLength) {
        reply = {413, ""};
      } else if (uri.getPath().find("_bulk") != std::string::npos &&
                 s.lastContentType.rfind("application/json", 0) != 0 &&
                 s.lastContentType.rfind("application/x-ndjson", 0) != 0) {
        reply = json(406, errorBody("illegal_argument_exception",
                                    "Content-Type header [" + s.lastContentType + "] is not supported", 406));
      } else {
        reply = route(s, request.getMethod(), uri.getPath(), body);
      }
    }
    if (delay.count() > 0) {
      auto& s = *state_;
      std::unique_lock lock(s.mutex);
      // A slow answer the listener's stop interrupts is never sent (its socket is aborted).
      if (s.stopCv.wait_for(lock, delay, [&] { return s.stops != stopsSeen; })) return;
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json; charset=UTF-8");
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

 private:
  std::shared_ptr<EsTestServer::State> state_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(std::shared_ptr<EsTestServer::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<EsTestServer::State> state_;
};

}  // namespace

struct EsTestServer::Listener {
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

EsTestServer::EsTestServer() : EsTestServer(Options{}) {}

EsTestServer::EsTestServer(Options options) : options_(std::move(options)), state_(std::make_shared<State>()) {
  state_->options = options_;
  startListening(options_.port);
}

EsTestServer::~EsTestServer() { setDown(true); }

void EsTestServer::startListening(std::uint16_t port) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), 64);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(true);
  listener_ = std::make_unique<Listener>();
  listener_->server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(state_), socket, params);
  listener_->server->start();
}

void EsTestServer::setDown(bool down) {
  std::lock_guard listenerLock(listenerMutex_);
  if (down && listener_) {
    {
      std::lock_guard lock(state_->mutex);
      ++state_->stops;
    }
    state_->stopCv.notify_all();
    stopServerAndWait(*listener_->server);
    listener_.reset();
  } else if (!down && !listener_) {
    startListening(port_);
  }
}

std::uint16_t EsTestServer::port() const { return port_; }
std::string EsTestServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void EsTestServer::setComposableTemplates(bool supported) {
  std::lock_guard lock(state_->mutex);
  state_->options.composableTemplates = supported;
}
void EsTestServer::setVersion(const std::string& version, const std::string& distribution) {
  std::lock_guard lock(state_->mutex);
  state_->options.version = version;
  state_->options.distribution = distribution;
}
void EsTestServer::setRequiredAuthorization(const std::string& header) {
  std::lock_guard lock(state_->mutex);
  state_->options.requiredAuthorization = header;
}
void EsTestServer::setMaxContentLength(std::size_t bytes) {
  std::lock_guard lock(state_->mutex);
  state_->options.maxContentLength = bytes;
}
void EsTestServer::rejectNextItems(int n, int status) {
  std::lock_guard lock(state_->mutex);
  state_->rejectItems = n;
  state_->rejectItemStatus = status;
}
void EsTestServer::failDocumentsWhere(DocumentPredicate predicate) {
  std::lock_guard lock(state_->mutex);
  state_->failPredicate = std::move(predicate);
}
void EsTestServer::failDocumentsWithField(const std::string& field, const std::string& value) {
  failDocumentsWhere([field, value](const Object& source) {
    return source.has(field) && source.get(field).isString() && source.getValue<std::string>(field) == value;
  });
}
void EsTestServer::failNextRequests(int n, int status) {
  std::lock_guard lock(state_->mutex);
  state_->failRequests = n;
  state_->failRequestStatus = status;
}
void EsTestServer::setResponseDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(state_->mutex);
  state_->delay = delay;
}

std::optional<std::string> EsTestServer::document(const std::string& index, const std::string& id) const {
  std::lock_guard lock(state_->mutex);
  auto i = state_->indices.find(index);
  if (i == state_->indices.end()) return std::nullopt;
  auto d = i->second.find(id);
  if (d == i->second.end()) return std::nullopt;
  return d->second.source;
}

std::map<std::string, std::size_t> EsTestServer::indices() const {
  std::lock_guard lock(state_->mutex);
  std::map<std::string, std::size_t> out;
  for (const auto& [name, docs] : state_->indices) out[name] = docs.size();
  return out;
}

std::vector<EsTestServer::StoredDocument> EsTestServer::documents() const {
  std::lock_guard lock(state_->mutex);
  std::vector<StoredDocument> out;
  for (const auto& [index, docs] : state_->indices) {
    for (const auto& [id, doc] : docs) out.push_back({index, id, doc.source});
  }
  return out;
}

std::size_t EsTestServer::documentCount() const {
  std::size_t total = 0;
  for (const auto& [name, count] : indices()) total += count;
  return total;
}

int EsTestServer::documentVersion(const std::string& index, const std::string& id) const {
  std::lock_guard lock(state_->mutex);
  auto i = state_->indices.find(index);
  if (i == state_->indices.end()) return 0;
  auto d = i->second.find(id);
  return d == i->second.end() ? 0 : d->second.version;
}

std::optional<std::string> EsTestServer::indexTemplate(const std::string& name) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->composable.find(name);
  return it == state_->composable.end() ? std::nullopt : std::optional<std::string>(it->second.body);
}

std::optional<std::string> EsTestServer::legacyTemplate(const std::string& name) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->legacy.find(name);
  return it == state_->legacy.end() ? std::nullopt : std::optional<std::string>(it->second.body);
}

std::string EsTestServer::templateAppliedTo(const std::string& index) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->appliedTemplate.find(index);
  return it == state_->appliedTemplate.end() ? "" : it->second;
}

std::size_t EsTestServer::requestCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}
std::size_t EsTestServer::bulkRequestCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->bulkRequests;
}
std::size_t EsTestServer::bulkItemCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->bulkItems;
}
std::size_t EsTestServer::templatePutCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->templatePuts;
}
Sigv4Verifier& EsTestServer::sigv4() { return state_->sigv4; }

std::string EsTestServer::lastAuthorization() const {
  std::lock_guard lock(state_->mutex);
  return state_->lastAuthorization;
}
std::string EsTestServer::lastContentType() const {
  std::lock_guard lock(state_->mutex);
  return state_->lastContentType;
}
std::vector<std::string> EsTestServer::requestLog() const {
  std::lock_guard lock(state_->mutex);
  return state_->log;
}

}  // namespace podmon::testing
