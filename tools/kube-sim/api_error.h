#pragma once

#include <string>

#include "core/errors.h"

namespace podmon::kubesim {

// An error that a Kubernetes API server would return as a Status object. Handlers throw it; the
// router turns it into the HTTP code and Status body, so every error path looks like the real one.
class ApiError : public podmon::PodmonException {
 public:
  ApiError(int httpCode, std::string reason, const std::string& message, std::string details = "");

  int httpCode() const { return httpCode_; }
  const std::string& reason() const { return reason_; }
  // JSON of metadata-less Status, as sent in a response body or a watch ERROR event.
  std::string statusJson() const;

  static std::string statusJson(int httpCode, const std::string& reason, const std::string& message,
                                const std::string& detailsJson = "");

  // Common errors with the real API server's wording.
  static ApiError notFound(const std::string& resource, const std::string& name, const std::string& group = "");
  static ApiError badRequest(const std::string& message);
  static ApiError expired(const std::string& message);

  const char* name() const noexcept override { return "ApiError"; }
  const char* className() const noexcept override { return typeid(*this).name(); }
  Poco::Exception* clone() const override { return new ApiError(*this); }
  void rethrow() const override { throw *this; }

 private:
  int httpCode_;
  std::string reason_;
  std::string details_;
};

}  // namespace podmon::kubesim
