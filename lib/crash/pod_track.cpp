#include "crash/pod_track.h"

#include <cstring>

namespace podmon::crash {

// The record is read and written with memcpy: no alignment or aliasing assumptions.
PodTrack::PodTrack(uint32_t namespaceId, std::string_view name) : namespaceId_(namespaceId) {
  const Header h{static_cast<uint32_t>(name.size()), 0};
  data_ = allocate(h);
  std::memcpy(data_.get() + sizeof(Header), name.data(), name.size());
}

std::unique_ptr<std::byte[]> PodTrack::allocate(const Header& h) {
  auto data = std::make_unique_for_overwrite<std::byte[]>(sizeof(Header) + h.containers * sizeof(ContainerTrack) +
                                                          h.nameLength);
  std::memcpy(data.get(), &h, sizeof h);
  return data;
}

PodTrack::Header PodTrack::header() const {
  Header h{0, 0};
  if (data_) std::memcpy(&h, data_.get(), sizeof h);
  return h;
}

std::string_view PodTrack::name() const {
  const Header h = header();
  if (!data_) return {};
  return {reinterpret_cast<const char*>(data_.get() + sizeof(Header) + h.containers * sizeof(ContainerTrack)),
          h.nameLength};
}

std::size_t PodTrack::containerCount() const { return header().containers; }

ContainerTrack PodTrack::container(std::size_t i) const {
  ContainerTrack t;
  std::memcpy(&t, data_.get() + sizeof(Header) + i * sizeof(ContainerTrack), sizeof t);
  return t;
}

void PodTrack::setContainer(std::size_t i, const ContainerTrack& track) {
  std::memcpy(data_.get() + sizeof(Header) + i * sizeof(ContainerTrack), &track, sizeof track);
}

void PodTrack::addContainer(const ContainerTrack& track) {
  const Header old = header();
  const Header h{old.nameLength, old.containers + 1};
  auto data = allocate(h);
  const std::size_t containerBytes = old.containers * sizeof(ContainerTrack);
  std::byte* out = data.get() + sizeof(Header);
  if (data_) std::memcpy(out, data_.get() + sizeof(Header), containerBytes);
  std::memcpy(out + containerBytes, &track, sizeof track);
  if (data_)
    std::memcpy(out + containerBytes + sizeof track, data_.get() + sizeof(Header) + containerBytes, old.nameLength);
  data_ = std::move(data);
}

}  // namespace podmon::crash
