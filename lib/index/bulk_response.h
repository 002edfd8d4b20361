#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "delivery/delivery_outcome.h"

// Reading a _bulk answer and deciding what becomes of each document (protocols.md 2.2). Pure.
namespace podmon::index {

// One item of a bulk response.
struct BulkItemResult {
  int status = 0;
  std::string errorType;  // e.g. mapper_parsing_exception; "" on success
  std::string errorReason;
};

// The items of an HTTP-200 bulk response, in request order. nullopt when the body is not JSON,
// has no items array, or has a different number of items than were sent: then nobody can tell
// which documents were written, and all of them are retried (create makes that harmless).
std::optional<std::vector<BulkItemResult>> parseBulkResponse(const std::string& body, std::size_t expectedItems);

// 2xx and 409 (create: the document is already there) are delivered; 429, 5xx, 408 and 401/403
// (a security or read-only block an operator must lift) are retried; any other status (400
// mapping errors, 404 index missing with auto-create off) is dead, with the error kept.
delivery::DeliveryOutcome classifyBulkItem(const BulkItemResult& item);

// What to do with a whole bulk request from its HTTP status.
enum class BulkRequestVerdict {
  kReadItems,  // 200: look at each item
  kSplit,      // 413 (body too large) or 400 (a body ES could not read): halve it; one item alone is dead
  kRetryAll,   // 429, 5xx, 401/403, anything else: every item retries
};
BulkRequestVerdict classifyBulkStatus(int httpStatus);

// The "type: reason" of an error object in an Elasticsearch error body ({"error":{...},"status":N}),
// or a short excerpt of the body when it has none. Never longer than about 1000 characters.
std::string describeErrorBody(const std::string& body);

}  // namespace podmon::index
