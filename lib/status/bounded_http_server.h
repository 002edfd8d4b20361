#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "status/http_exchange.h"
#include "status/http_request_head.h"

namespace podmon::status {

// A small HTTP/1.x server that idle, slow or half-sent connections cannot starve (issue 18).
// Poco's HTTPServer gives every accepted connection a pool thread while it waits for the request,
// so 8 idle connections stopped /healthz. Here one poll loop reads every request head (a pending
// connection costs a buffer, no thread), closes a connection whose head is not complete within
// `headerTimeout`, answers a connection beyond `maxConnections` with an immediate 503, answers the
// fast routes (the probes: in-memory, no I/O) on the loop itself, and hands every other request
// to a bounded pool of workers (503 when its queue is full). Every response closes its connection.
class BoundedHttpServer {
 public:
  struct Options {
    std::string host = "0.0.0.0";
    unsigned short port = 0;  // 0 = any free port (tests)
    int workers = 4;
    std::size_t maxQueued = 16;        // requests waiting for a worker; beyond: 503
    std::size_t maxConnections = 128;  // open connections; beyond: 503 at once
    std::size_t maxHeadBytes = 8192;   // beyond: 431
    std::size_t maxBodyBytes = 4096;   // a request body (the web view's login form); beyond: 413
    std::chrono::milliseconds headerTimeout{std::chrono::seconds(3)};  // accept to complete head
    std::chrono::milliseconds writeTimeout{std::chrono::seconds(5)};   // a worker's response
  };
  // Answers one request; `client` is the peer's address. Must not throw (exceptions become 500).
  using Handler = std::function<ApiResponse(const HttpRequestHead& head, const std::string& client)>;
  // True for requests cheap enough to answer on the poll loop (no I/O, no locks held for long).
  using FastRoute = std::function<bool(const HttpRequestHead& head)>;

  BoundedHttpServer(Options options, Handler handler, FastRoute fast);
  ~BoundedHttpServer();
  BoundedHttpServer(const BoundedHttpServer&) = delete;
  BoundedHttpServer& operator=(const BoundedHttpServer&) = delete;

  // Binds and starts the loop and the workers. Throws Poco::Net::NetException when the address
  // cannot be resolved or bound.
  void start();
  // Stops accepting, closes pending connections and waits for running handlers. Never throws.
  void stop();
  unsigned short port() const { return port_; }

  std::uint64_t refusedConnections() const { return refused_.load(); }  // over maxConnections
  std::uint64_t timedOutHeads() const { return timedOut_.load(); }

  // The bytes of one response (status line, headers, body unless HEAD), closing the connection.
  static std::string serialize(const ApiResponse& response, bool withBody);

 private:
  struct Pending {
    int fd = -1;
    std::string client;
    std::string buffer;
    std::chrono::steady_clock::time_point deadline;
  };
  struct Job {
    int fd = -1;
    std::string client;
    HttpRequestHead head;
  };

  void loop();
  void pollOnce(std::vector<Pending>& pending);
  bool acceptOne(std::vector<Pending>& pending);  // false: nothing left to accept
  bool readSome(Pending& p);                      // false: the connection is done (answered or closed)
  // After a complete head: false and the body in `head` when it is all there (or the request was
  // answered with an error), true while more of it is to come.
  bool awaitBody(Pending& p, HttpRequestHead& head, std::size_t headBytes);
  void dispatch(Pending& p, const HttpRequestHead& head);
  ApiResponse answer(const HttpRequestHead& head, const std::string& client) const;
  void workerLoop();
  void reportRefusals(std::chrono::steady_clock::time_point now);

  Options options_;
  Handler handler_;
  FastRoute fast_;
  int listenFd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread loopThread_;
  std::vector<std::thread> workers_;
  std::mutex queueMutex_;
  std::condition_variable queueCv_;
  std::deque<Job> queue_;
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> timedOut_{0};
  std::uint64_t refusedReported_ = 0;
  std::chrono::steady_clock::time_point lastReport_{};
};

}  // namespace podmon::status
