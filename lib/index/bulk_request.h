#pragma once

#include <cstddef>
#include <string>
#include <vector>

// The NDJSON body of a _bulk request. podmon writes `create` actions with _id = crash key: a
// crash document never changes once written, so a retry after a lost response gets 409 (counted
// as success) instead of rewriting the document and bumping its version, and `create` is also
// what data streams require should the index ever become one.
namespace podmon::index {

// One document to write.
struct BulkDocument {
  std::string index;
  std::string id;
  std::string source;       // one line of JSON
  std::string mappingType;  // "" on Elasticsearch 7+/OpenSearch; "_doc" for Elasticsearch 6
};

// The action line of one document, without the newline.
std::string bulkActionLine(const BulkDocument& document);

// Bytes this document adds to a bulk body (action, source, two newlines).
std::size_t bulkEntrySize(const BulkDocument& document);

// Action and source lines of documents [first, last), each line ending in '\n' (the body must
// end with one).
std::string buildBulkBody(const std::vector<BulkDocument>& documents, std::size_t first, std::size_t last);

// Half-open ranges [first, last) that cover all documents in order, each with at most maxItems
// documents and at most maxBytes of body. A document larger than maxBytes gets a range of its own.
struct BulkRange {
  std::size_t first = 0;
  std::size_t last = 0;
  bool operator==(const BulkRange&) const = default;
};
std::vector<BulkRange> planBulkRanges(const std::vector<BulkDocument>& documents, std::size_t maxItems,
                                      std::size_t maxBytes);

}  // namespace podmon::index
