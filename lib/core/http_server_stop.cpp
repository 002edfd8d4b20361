#include "core/http_server_stop.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/TCPServer.h>

#include <thread>

namespace podmon {

bool stopServerAndWait(Poco::Net::TCPServer& server, std::chrono::milliseconds bound) {
  if (auto* http = dynamic_cast<Poco::Net::HTTPServer*>(&server)) {
    http->stopAll(true);  // also aborts the sockets of connections in progress
  } else {
    server.stop();
  }
  // After stop(), each dispatcher thread leaves its loop (and lowers currentThreads) as soon as the
  // connection it serves, if any, has ended.
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (server.currentThreads() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace podmon
