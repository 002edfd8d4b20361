#include "list_snapshots.h"

#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include "api_error.h"

namespace podmon::kubesim {
namespace {
const char* kExpiredMessage =
    "The provided continue parameter is too old to display a consistent list result. You can start a new list "
    "without the continue parameter, or use the continue token in this response to retrieve the remainder of the "
    "results. Continuing with the provided token results in an inconsistent list - objects that were created, "
    "modified, or deleted between the time the first chunk was returned and now may show up in the list.";
}

uint64_t ListSnapshots::put(SnapshotPtr snapshot) {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  for (auto it = entries_.begin(); it != entries_.end();)
    it = now - it->second.created > ttl_ ? entries_.erase(it) : std::next(it);
  while (entries_.size() >= max_) entries_.erase(entries_.begin());
  uint64_t id = nextId_++;
  entries_[id] = Entry{std::move(snapshot), now};
  return id;
}

ListSnapshots::SnapshotPtr ListSnapshots::get(uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || std::chrono::steady_clock::now() - it->second.created > ttl_)
    throw ApiError::expired(kExpiredMessage);
  return it->second.snapshot;
}

std::string ListSnapshots::encodeToken(uint64_t id, uint64_t resourceVersion, size_t offset) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc << R"({"v":"kubesim/v1","id":)" << id << R"(,"rv":)" << resourceVersion << R"(,"offset":)" << offset << "}";
  enc.close();
  return out.str();
}

void ListSnapshots::decodeToken(const std::string& token, uint64_t& id, uint64_t& resourceVersion, size_t& offset) {
  std::string text;
  try {
    std::istringstream in(token);
    Poco::Base64Decoder dec(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    std::getline(dec, text);
  } catch (const Poco::Exception&) {
    text.clear();
  }
  unsigned long long a = 0, b = 0, c = 0;
  if (std::sscanf(text.c_str(), R"({"v":"kubesim/v1","id":%llu,"rv":%llu,"offset":%llu})", &a, &b, &c) != 3)
    throw ApiError::badRequest("continue key is not valid: illegal base64 data at input byte 0");
  id = a;
  resourceVersion = b;
  offset = c;
}

}  // namespace podmon::kubesim
