#include "api_error.h"

#include "json_writer.h"

namespace podmon::kubesim {

ApiError::ApiError(int httpCode, std::string reason, const std::string& message, std::string details)
    : podmon::PodmonException(message, httpCode),
      httpCode_(httpCode),
      reason_(std::move(reason)),
      details_(std::move(details)) {}

std::string ApiError::statusJson() const { return statusJson(httpCode_, reason_, message(), details_); }

std::string ApiError::statusJson(int httpCode, const std::string& reason, const std::string& message,
                                 const std::string& detailsJson) {
  std::string out;
  JsonWriter w(out);
  w.beginObject()
      .field("kind", "Status")
      .field("apiVersion", "v1")
      .emptyObject("metadata")
      .field("status", "Failure")
      .field("message", message)
      .field("reason", reason);
  if (!detailsJson.empty()) w.key("details").raw(detailsJson);
  w.field("code", httpCode).endObject();
  return out;
}

ApiError ApiError::notFound(const std::string& resource, const std::string& name, const std::string& group) {
  std::string details;
  JsonWriter w(details);
  w.beginObject().field("name", name);
  if (!group.empty()) w.field("group", group);
  w.field("kind", resource).endObject();
  std::string qualified = group.empty() ? resource : resource + "." + group;
  return ApiError(404, "NotFound", qualified + " \"" + name + "\" not found", details);
}

ApiError ApiError::badRequest(const std::string& message) { return ApiError(400, "BadRequest", message); }

ApiError ApiError::expired(const std::string& message) { return ApiError(410, "Expired", message); }

}  // namespace podmon::kubesim
