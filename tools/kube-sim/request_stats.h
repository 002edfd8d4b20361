#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace podmon::kubesim {

// Counts requests served per kind of path ("list", "watch", "log", ...) for GET /_sim/stats, so
// tests and benchmarks can check what a client really asked for.
class RequestStats {
 public:
  void count(const std::string& kind);
  std::map<std::string, uint64_t> counts() const;
  uint64_t total() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> counts_;
};

}  // namespace podmon::kubesim
