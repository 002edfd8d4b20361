#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace podmon::status {

// Keeps the per-namespace metric series bounded (issue 23): the `capacity` busiest namespaces get a
// series of their own, every other namespace counts under kOther. The first `capacity` namespaces
// seen are admitted; after that a namespace whose crash count reaches twice the least busy
// admitted one's (and at least kMinCountToPromote) takes its place, and the evicted namespace's
// series are to be removed (its later crashes count under kOther). Crash counts are tracked for
// at most `tracked` namespaces; beyond that the newcomers only count under kOther. Pure, not
// thread-safe: the caller locks.
class NamespaceSeriesCap {
 public:
  // Kubernetes namespace names are DNS labels ([a-z0-9-]), so this one never names a real one.
  static constexpr const char* kOther = "_other";
  static constexpr std::size_t kDefaultCapacity = 200;
  static constexpr std::size_t kDefaultTracked = 20000;
  static constexpr std::uint64_t kMinCountToPromote = 10;

  struct Decision {
    std::string label;                   // the namespace, or kOther
    std::optional<std::string> evicted;  // a namespace whose series must go now
  };

  explicit NamespaceSeriesCap(std::size_t capacity = kDefaultCapacity, std::size_t tracked = kDefaultTracked);

  // Counts one crash in `namespace_` and says which label it goes under.
  Decision count(const std::string& namespace_);
  std::size_t admitted() const { return admitted_.size(); }

 private:
  std::size_t capacity_;
  std::size_t tracked_;
  std::unordered_map<std::string, std::uint64_t> counts_;
  std::set<std::string> admitted_;
};

}  // namespace podmon::status
