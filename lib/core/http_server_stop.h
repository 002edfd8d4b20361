#pragma once

#include <chrono>

namespace Poco::Net {
class TCPServer;
}

namespace podmon {

// Stops a Poco TCP/HTTP server and waits until none of its connection threads is still inside a
// handler. Poco's stopAll(true) only stops accepting and aborts the open sockets: a handler that is
// already running keeps running on a pool thread, and may then touch the objects its owner is
// about to destroy (or static objects during exit). Call this before destroying anything a
// handler can reach. Returns false if handlers were still running when `bound` ran out.
bool stopServerAndWait(Poco::Net::TCPServer& server, std::chrono::milliseconds bound = std::chrono::seconds(30));

}  // namespace podmon
