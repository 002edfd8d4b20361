#include "index/bulk_response.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "aws/aws_error_text.h"
#include "store/utf8_text.h"

namespace podmon::index {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxErrorChars = 1000;

std::string stringField(const Object::Ptr& object, const std::string& name) {
  if (!object || !object->has(name)) return "";
  const auto value = object->get(name);
  if (value.isEmpty()) return "";
  return value.isString() ? value.extract<std::string>() : value.convert<std::string>();
}

Object::Ptr parseObject(const std::string& body) {
  try {
    auto parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() != typeid(Object::Ptr)) return nullptr;
    return parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

std::string typeAndReason(const std::string& type, const std::string& reason) {
  // AWS's signature errors echo the canonical request (session token included): cut before anything else.
  std::string text = aws::redactAwsErrorText(type.empty() ? reason : (reason.empty() ? type : type + ": " + reason));
  return store::headUtf8Chars(store::sanitizeUtf8(text), kMaxErrorChars);
}

}  // namespace

std::optional<std::vector<BulkItemResult>> parseBulkResponse(const std::string& body, std::size_t expectedItems) {
  Object::Ptr root = parseObject(body);
  if (!root) return std::nullopt;
  Array::Ptr items = root->getArray("items");
  if (!items || items->size() != expectedItems) return std::nullopt;
  std::vector<BulkItemResult> results;
  results.reserve(expectedItems);
  for (std::size_t i = 0; i < items->size(); ++i) {
    Object::Ptr wrapper = items->getObject(static_cast<unsigned>(i));
    if (!wrapper || wrapper->size() != 1) return std::nullopt;
    Object::Ptr item = wrapper->getObject(wrapper->begin()->first);
    if (!item || !item->has("status")) return std::nullopt;
    BulkItemResult result;
    try {
      result.status = item->getValue<int>("status");
    } catch (const Poco::Exception&) {
      return std::nullopt;
    }
    if (Object::Ptr error = item->getObject("error")) {
      result.errorType = stringField(error, "type");
      result.errorReason = stringField(error, "reason");
    } else if (item->has("error")) {
      result.errorReason = stringField(item, "error");
    }
    results.push_back(std::move(result));
  }
  return results;
}

delivery::DeliveryOutcome classifyBulkItem(const BulkItemResult& item) {
  using delivery::DeliveryOutcome;
  const int s = item.status;
  if ((s >= 200 && s < 300) || s == 409) return DeliveryOutcome::delivered(s);
  const std::string what = typeAndReason(item.errorType, item.errorReason);
  std::string error = "Elasticsearch item status " + std::to_string(s) + (what.empty() ? "" : " " + what);
  const std::string cause = "item_" + std::to_string(s);
  const bool retry = s == 408 || s == 429 || s >= 500 || s == 401 || s == 403 || s < 100;
  DeliveryOutcome outcome =
      retry ? DeliveryOutcome::retry(cause, std::move(error)) : DeliveryOutcome::dead(cause, std::move(error));
  outcome.status = s;
  return outcome;
}

BulkRequestVerdict classifyBulkStatus(int httpStatus) {
  if (httpStatus >= 200 && httpStatus < 300) return BulkRequestVerdict::kReadItems;
  if (httpStatus == 413 || httpStatus == 400) return BulkRequestVerdict::kSplit;
  return BulkRequestVerdict::kRetryAll;
}

std::string describeErrorBody(const std::string& body) {
  if (Object::Ptr root = parseObject(body)) {
    if (Object::Ptr error = root->getObject("error")) {
      return typeAndReason(stringField(error, "type"), stringField(error, "reason"));
    }
    if (root->has("error")) return typeAndReason("", stringField(root, "error"));
    if (root->has("message")) return typeAndReason("", stringField(root, "message"));
  }
  std::string excerpt = store::headUtf8Chars(store::sanitizeUtf8(aws::redactAwsErrorText(body)), 200);
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return excerpt;
}

}  // namespace podmon::index
