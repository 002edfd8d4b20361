#include "crash/name_table.h"

#include <limits>
#include <stdexcept>

namespace podmon::crash {

uint32_t NameTable::acquire(std::string_view name) {
  if (auto it = index_.find(name); it != index_.end()) {
    ++entries_[it->second].references;
    return it->second;
  }
  uint32_t id = 0;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    if (entries_.size() >= std::numeric_limits<uint32_t>::max()) throw std::length_error("too many distinct names");
    id = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  }
  Entry& entry = entries_[id];
  entry.name.assign(name);
  entry.references = 1;
  index_.emplace(std::string_view(entry.name), id);
  return id;
}

void NameTable::release(uint32_t id) {
  if (id >= entries_.size() || entries_[id].references == 0) return;
  Entry& entry = entries_[id];
  if (--entry.references > 0) return;
  index_.erase(std::string_view(entry.name));
  entry.name.clear();
  entry.name.shrink_to_fit();
  free_.push_back(id);
}

}  // namespace podmon::crash
