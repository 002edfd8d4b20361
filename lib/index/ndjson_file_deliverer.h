#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "delivery/outbox_deliverer.h"

namespace podmon::index {

// Indexing without Elasticsearch (INDEX_FILE): appends each crash's Elasticsearch document
// (buildCrashDocument, the same JSON _bulk gets) as one line to a file. It drains the
// elasticsearch outbox like ElasticsearchDeliverer, so a full disk or a missing folder only delays
// documents (retried), never loses them. Each line is flushed before its item counts as delivered.
// The file is created 0600 whatever the umask (an existing file keeps its mode).
class NdjsonFileDeliverer : public delivery::OutboxDeliverer {
 public:
  // Throws ConfigException when path is empty.
  explicit NdjsonFileDeliverer(std::string path);

  store::Sink sink() const override { return store::Sink::kElasticsearch; }
  std::size_t batchSize() const override { return 100; }
  // One outcome per item: delivered once its line is written and flushed, else retry.
  std::vector<delivery::DeliveryOutcome> deliver(const std::vector<store::OutboxItem>& items) override;
  // Throws SinkException when the file cannot be opened for appending.
  void prepare() override;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex mutex_;
};

}  // namespace podmon::index
