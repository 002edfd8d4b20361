#include "index/bulk_request.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace podmon::index {

std::string bulkActionLine(const BulkDocument& document) {
  Poco::JSON::Object meta(Poco::JSON_PRESERVE_KEY_ORDER);
  meta.set("_index", document.index);
  if (!document.mappingType.empty()) meta.set("_type", document.mappingType);
  meta.set("_id", document.id);
  Poco::JSON::Object action;
  action.set("create", meta);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(action, out);
  return out.str();
}

std::size_t bulkEntrySize(const BulkDocument& document) {
  return bulkActionLine(document).size() + document.source.size() + 2;
}

std::string buildBulkBody(const std::vector<BulkDocument>& documents, std::size_t first, std::size_t last) {
  std::string body;
  for (std::size_t i = first; i < last && i < documents.size(); ++i) {
    body += bulkActionLine(documents[i]);
    body += '\n';
    body += documents[i].source;
    body += '\n';
  }
  return body;
}

std::vector<BulkRange> planBulkRanges(const std::vector<BulkDocument>& documents, std::size_t maxItems,
                                      std::size_t maxBytes) {
  if (maxItems == 0) maxItems = 1;
  std::vector<BulkRange> ranges;
  BulkRange current;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const std::size_t size = bulkEntrySize(documents[i]);
    const std::size_t count = i - current.first;
    if (count > 0 && (count >= maxItems || bytes + size > maxBytes)) {
      current.last = i;
      ranges.push_back(current);
      current.first = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (current.first < documents.size()) {
    current.last = documents.size();
    ranges.push_back(current);
  }
  return ranges;
}

}  // namespace podmon::index
