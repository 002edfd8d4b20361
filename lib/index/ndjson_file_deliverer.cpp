#include "index/ndjson_file_deliverer.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/errors.h"
#include "index/crash_document.h"

namespace podmon::index {

namespace {

std::string openError(const std::string& path) {
  return "cannot append to INDEX_FILE " + path + ": " + std::strerror(errno);
}

}  // namespace

NdjsonFileDeliverer::NdjsonFileDeliverer(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw ConfigException("INDEX_FILE must name a file");
}

void NdjsonFileDeliverer::prepare() {
  std::lock_guard lock(mutex_);
  std::ofstream out(path_, std::ios::app | std::ios::binary);
  if (!out) throw SinkException(openError(path_));
}

std::vector<delivery::DeliveryOutcome> NdjsonFileDeliverer::deliver(const std::vector<store::OutboxItem>& items) {
  using delivery::DeliveryOutcome;
  std::vector<DeliveryOutcome> outcomes(items.size());
  std::lock_guard lock(mutex_);
  std::ofstream out(path_, std::ios::app | std::ios::binary);
  if (!out) {
    const std::string error = openError(path_);
    for (auto& outcome : outcomes) outcome = DeliveryOutcome::retry("write", error);
    return outcomes;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string line = buildCrashDocument(items[i].crash, items[i].createdAt) + "\n";
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.flush();
    if (out) {
      outcomes[i] = DeliveryOutcome::delivered();
    } else {
      outcomes[i] = DeliveryOutcome::retry("write", "writing INDEX_FILE " + path_ + " failed");
    }
  }
  return outcomes;
}

}  // namespace podmon::index
