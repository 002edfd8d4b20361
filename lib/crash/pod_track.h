#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace podmon::crash {

// What the detector remembers of one container: 16 bytes.
struct ContainerTrack {
  uint32_t nameId = 0;  // in the detector's NameTable
  int32_t restartCount = 0;
  uint64_t reportedTermination = 0;  // terminationHash() of the last termination reported, 0 = none
};

// What the detector remembers of one pod, compact because a cluster has 150,000 of them: the
// interned namespace, the sync generation, and one allocation holding the containers and the
// pod's name (about 16 B here plus 8 + 16 per container + the name in the heap).
class PodTrack {
 public:
  PodTrack() = default;
  // Throws std::bad_alloc only.
  PodTrack(uint32_t namespaceId, std::string_view name);

  uint32_t namespaceId() const { return namespaceId_; }
  uint32_t syncGeneration() const { return syncGeneration_; }
  void setSyncGeneration(uint32_t generation) { syncGeneration_ = generation; }

  std::string_view name() const;
  std::size_t containerCount() const;
  ContainerTrack container(std::size_t i) const;
  void setContainer(std::size_t i, const ContainerTrack& track);
  // Appends a container (a reallocation: containers are added rarely, ephemeral ones). Throws
  // std::bad_alloc only.
  void addContainer(const ContainerTrack& track);

 private:
  struct Header {
    uint32_t nameLength;
    uint32_t containers;
  };
  Header header() const;
  static std::unique_ptr<std::byte[]> allocate(const Header& header);

  uint32_t namespaceId_ = 0;
  uint32_t syncGeneration_ = 0;
  std::unique_ptr<std::byte[]> data_;  // Header, ContainerTrack[containers], name bytes
};

}  // namespace podmon::crash
