// Fuzzes reading an Elasticsearch _bulk answer: the first byte is the number of documents that
// were sent, the rest the response body. Bad input must give nullopt (everything is retried),
// never a crash; a parsed answer has exactly one result per document sent.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "index/bulk_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::size_t expected = data[0] % 16;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (auto items = podmon::index::parseBulkResponse(body, expected)) {
    if (items->size() != expected) {
      std::fprintf(stderr, "parsed %zu items for %zu documents\n", items->size(), expected);
      std::abort();
    }
    for (const auto& item : *items) (void)podmon::index::classifyBulkItem(item);
  }
  const std::string described = podmon::index::describeErrorBody(body);
  if (described.size() > 4096) {
    std::fprintf(stderr, "error description of %zu bytes\n", described.size());
    std::abort();
  }
  (void)podmon::index::classifyBulkStatus(static_cast<int>(data[0]) * 4);
  return 0;
}
