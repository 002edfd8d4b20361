#include "status/bounded_http_server.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace podmon::status {
namespace {

constexpr std::size_t kReadChunk = 4096;
constexpr int kPollMillis = 100;  // how soon the loop sees stop()
constexpr int kAcceptsPerRound = 32;
constexpr auto kReportEvery = std::chrono::seconds(10);

int openListener(const std::string& host, unsigned short port) {
  Poco::Net::SocketAddress address;
  try {
    address = Poco::Net::SocketAddress(host, port);
  } catch (const Poco::Exception& e) {
    throw Poco::Net::NetException("cannot listen on '" + host + "' port " + std::to_string(port) + ": " +
                                  e.displayText());
  }
  int fd = ::socket(address.af(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Poco::Net::NetException("socket: " + std::string(std::strerror(errno)));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, address.addr(), address.length()) != 0 || ::listen(fd, 128) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    throw Poco::Net::NetException("cannot listen on " + address.toString() + ": " + why);
  }
  return fd;
}

unsigned short boundPort(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  return Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&storage), length).port();
}

// Writes what the socket takes; a non-blocking socket that is full, or a peer that is gone,
// just loses the rest (the connection is closed right after).
void sendAll(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

void closeConnection(int fd) {
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
}

ApiResponse plain(int status, const std::string& error) {
  ApiResponse r;
  r.status = status;
  r.body = R"({"error":")" + error + R"("})";
  return r;
}

void respondAndClose(int fd, const ApiResponse& response) {
  sendAll(fd, BoundedHttpServer::serialize(response, true));
  closeConnection(fd);
}

}  // namespace

BoundedHttpServer::BoundedHttpServer(Options options, Handler handler, FastRoute fast)
    : options_(std::move(options)), handler_(std::move(handler)), fast_(std::move(fast)) {}

BoundedHttpServer::~BoundedHttpServer() { stop(); }

std::string BoundedHttpServer::serialize(const ApiResponse& response, bool withBody) {
  auto reason =
      Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason + "\r\n";
  out += "Content-Type: " + response.contentType + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Connection: close\r\n\r\n";
  if (withBody) out += response.body;
  return out;
}

void BoundedHttpServer::start() {
  listenFd_ = openListener(options_.host, options_.port);
  port_ = boundPort(listenFd_);
  stopping_ = false;
  lastReport_ = std::chrono::steady_clock::now();
  loopThread_ = std::thread([this] { loop(); });
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { workerLoop(); });
}

void BoundedHttpServer::stop() {
  if (!loopThread_.joinable() && workers_.empty()) return;
  stopping_ = true;
  queueCv_.notify_all();
  if (loopThread_.joinable()) loopThread_.join();
  for (auto& w : workers_) w.join();
  workers_.clear();
  for (const auto& job : queue_) ::close(job.fd);
  queue_.clear();
  if (listenFd_ >= 0) ::close(listenFd_);
  listenFd_ = -1;
}

void BoundedHttpServer::loop() {
  std::vector<Pending> pending;
  while (!stopping_) pollOnce(pending);
  for (const auto& p : pending) ::close(p.fd);
}

void BoundedHttpServer::pollOnce(std::vector<Pending>& pending) {
  std::vector<pollfd> fds;
  fds.reserve(pending.size() + 1);
  fds.push_back({listenFd_, POLLIN, 0});
  for (const auto& p : pending) fds.push_back({p.fd, POLLIN, 0});
  if (::poll(fds.data(), fds.size(), kPollMillis) < 0) return;  // EINTR: next round
  const auto now = std::chrono::steady_clock::now();
  std::vector<Pending> kept;
  kept.reserve(pending.size());
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Pending& p = pending[i];
    bool open = fds[i + 1].revents == 0 || readSome(p);
    if (open && now >= p.deadline) {
      ++timedOut_;
      respondAndClose(p.fd, plain(408, "the request head did not arrive in time"));
      open = false;
    }
    if (open) kept.push_back(std::move(p));
  }
  pending.swap(kept);
  if (fds[0].revents & POLLIN) {
    for (int i = 0; i < kAcceptsPerRound && acceptOne(pending); ++i) {}
  }
  reportRefusals(now);
}

bool BoundedHttpServer::acceptOne(std::vector<Pending>& pending) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&storage), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    // Out of descriptors: the listener stays readable, so pause a little instead of spinning.
    const int error = errno;
    if (error == EMFILE || error == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return error == EINTR || error == ECONNABORTED;  // EAGAIN: nothing left
  }
  if (pending.size() >= options_.maxConnections) {
    ++refused_;
    // Read what the client already sent (bounded), so closing does not reset the 503 away.
    char drain[kReadChunk];
    for (int i = 0; i < 4 && ::recv(fd, drain, sizeof drain, 0) > 0; ++i) {}
    auto r = plain(503, "too many connections");
    r.headers["Retry-After"] = "1";
    respondAndClose(fd, r);
    return true;
  }
  Pending p;
  p.fd = fd;
  p.client = Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&storage), length).host().toString();
  p.deadline = std::chrono::steady_clock::now() + options_.headerTimeout;
  pending.push_back(std::move(p));
  return true;
}

bool BoundedHttpServer::readSome(Pending& p) {
  char chunk[kReadChunk];
  auto n = ::recv(p.fd, chunk, sizeof chunk, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
  if (n <= 0) {  // the peer closed or reset
    ::close(p.fd);
    return false;
  }
  p.buffer.append(chunk, static_cast<std::size_t>(n));
  auto parsed = parseRequestHead(p.buffer, options_.maxHeadBytes);
  switch (parsed.status) {
    case HeadParse::Status::kIncomplete: return true;
    case HeadParse::Status::kTooLarge: respondAndClose(p.fd, plain(431, "request head too large")); return false;
    case HeadParse::Status::kBad:
      spdlog::debug("status server: bad request from {}: {}", p.client, parsed.error);
      respondAndClose(p.fd, plain(400, "bad request"));
      return false;
    case HeadParse::Status::kComplete: break;
  }
  if (awaitBody(p, parsed.head, parsed.headBytes)) return true;
  if (p.fd >= 0) dispatch(p, parsed.head);
  return false;
}

bool BoundedHttpServer::awaitBody(Pending& p, HttpRequestHead& head, std::size_t headBytes) {
  auto refuse = [&](int status, const std::string& why) {
    respondAndClose(p.fd, plain(status, why));
    p.fd = -1;
    return false;
  };
  if (!head.header("transfer-encoding").empty()) return refuse(411, "a request body needs a Content-Length");
  const std::string length = head.header("content-length");
  if (length.empty()) return false;
  if (length.size() > 9 || length.find_first_not_of("0123456789") != std::string::npos)
    return refuse(400, "bad Content-Length");
  const auto bytes = static_cast<std::size_t>(std::stoul(length));
  if (bytes > options_.maxBodyBytes) return refuse(413, "request body too large");
  if (p.buffer.size() < headBytes + bytes) return true;
  head.body = p.buffer.substr(headBytes, bytes);
  return false;
}

void BoundedHttpServer::dispatch(Pending& p, const HttpRequestHead& head) {
  if (fast_ && fast_(head)) {
    sendAll(p.fd, serialize(answer(head, p.client), head.method != "HEAD"));
    closeConnection(p.fd);
    return;
  }
  {
    std::lock_guard lock(queueMutex_);
    if (queue_.size() < options_.maxQueued) {
      queue_.push_back(Job{p.fd, p.client, head});
      queueCv_.notify_one();
      return;
    }
  }
  auto r = plain(503, "busy");
  r.headers["Retry-After"] = "1";
  respondAndClose(p.fd, r);
}

ApiResponse BoundedHttpServer::answer(const HttpRequestHead& head, const std::string& client) const {
  ApiResponse response;
  try {
    response = handler_(head, client);
  } catch (const std::exception& e) {
    spdlog::warn("status server: {} failed: {}", head.pathForLog(), e.what());
    response = plain(500, "internal error");
  }
  // The path only: a query may carry the API token, and header values are never logged.
  spdlog::debug("status server: {} {} from {} -> {}", head.method.substr(0, 16), head.pathForLog(), client,
                response.status);
  return response;
}

void BoundedHttpServer::workerLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(queueMutex_);
      queueCv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    int flags = ::fcntl(job.fd, F_GETFL);
    ::fcntl(job.fd, F_SETFL, flags & ~O_NONBLOCK);
    auto ms = options_.writeTimeout.count();
    timeval timeout{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
    ::setsockopt(job.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sendAll(job.fd, serialize(answer(job.head, job.client), job.head.method != "HEAD"));
    closeConnection(job.fd);
  }
}

void BoundedHttpServer::reportRefusals(std::chrono::steady_clock::time_point now) {
  if (now - lastReport_ < kReportEvery) return;
  lastReport_ = now;
  auto refused = refused_.load();
  if (refused == refusedReported_) return;
  spdlog::warn("status server: refused {} connections in the last {}s (more than {} open); {} heads timed out so far",
               refused - refusedReported_, std::chrono::duration_cast<std::chrono::seconds>(kReportEvery).count(),
               options_.maxConnections, timedOut_.load());
  refusedReported_ = refused;
}

}  // namespace podmon::status
