#include "index/ndjson_file_deliverer.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <system_error>

#include "core/errors.h"
#include "core/private_file.h"
#include "index/crash_document.h"

namespace podmon::index {

namespace {

std::string openError(const std::string& path) {
  return "cannot append to INDEX_FILE " + path + ": " + std::strerror(errno);
}

// Crash logs of the whole cluster: the file is created readable by its owner only (0600).
std::optional<std::string> createIfMissing(const std::string& path) {
  try {
    createPrivateFile(path);
  } catch (const std::system_error& error) {
    return "cannot create INDEX_FILE " + path + ": " + error.code().message();
  }
  return std::nullopt;
}

}  // namespace

NdjsonFileDeliverer::NdjsonFileDeliverer(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw ConfigException("INDEX_FILE must name a file");
}

void NdjsonFileDeliverer::prepare() {
  std::lock_guard lock(mutex_);
  if (auto error = createIfMissing(path_)) throw SinkException(*error);
  std::ofstream out(path_, std::ios::app | std::ios::binary);
  if (!out) throw SinkException(openError(path_));
}

std::vector<delivery::DeliveryOutcome> NdjsonFileDeliverer::deliver(const std::vector<store::OutboxItem>& items) {
  using delivery::DeliveryOutcome;
  std::vector<DeliveryOutcome> outcomes(items.size());
  std::lock_guard lock(mutex_);
  // Created again (0600) when it was removed or rotated away since the last batch.
  const auto createError = createIfMissing(path_);
  std::ofstream out;
  if (!createError) out.open(path_, std::ios::app | std::ios::binary);
  if (createError || !out) {
    const std::string error = createError ? *createError : openError(path_);
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
