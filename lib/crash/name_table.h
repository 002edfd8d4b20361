#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace podmon::crash {

// Interns the names many tracked pods share (namespaces, container names): each distinct name is
// kept once and a pod holds a 4-byte id. Reference-counted, so names of pods long gone do not
// pile up in a daemon that runs for months. Not thread-safe (the detector's thread only).
class NameTable {
 public:
  // The id of `name`, one more reference to it. Throws std::length_error beyond 2^32 names.
  uint32_t acquire(std::string_view name);
  // Drops one reference; the name is forgotten with its last. Throws nothing.
  void release(uint32_t id);
  // The name behind a live id. Throws nothing (the id must come from acquire()).
  const std::string& name(uint32_t id) const { return entries_[id].name; }
  std::size_t size() const { return index_.size(); }

 private:
  struct Entry {
    std::string name;
    uint32_t references = 0;
  };
  std::deque<Entry> entries_;  // a deque: the views in index_ stay valid as it grows
  std::unordered_map<std::string_view, uint32_t> index_;
  std::vector<uint32_t> free_;
};

}  // namespace podmon::crash
