#include "aws/aws_error_text.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace podmon::aws {

namespace {

constexpr std::string_view kMask = "[REDACTED]";
constexpr std::string_view kEchoStart = "The Canonical String for this request should have been";
constexpr std::string_view kStringToSignStart = "The String-to-Sign should have been";
constexpr std::string_view kEchoNote = " (the canonical request AWS echoes is not shown)";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool endsValue(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '&' || c == '"' || c == '\'' || c == ',' ||
         c == '\\' || c == ';';
}

// Masks the value after each (case-insensitive) occurrence of `marker`.
void maskAfter(std::string& text, std::string_view marker) {
  std::size_t from = 0;
  for (;;) {
    const std::string folded = lower(text);
    const std::size_t at = folded.find(marker, from);
    if (at == std::string::npos) return;
    std::size_t start = at + marker.size();
    while (start < text.size() && text[start] == ' ') ++start;
    std::size_t end = start;
    while (end < text.size() && !endsValue(text[end])) ++end;
    if (end > start) text.replace(start, end - start, kMask);
    from = start + kMask.size();
  }
}

// Blank space and the escaped newlines of a JSON body ("\n") at the end of `text`.
void trimEnd(std::string& text) {
  for (;;) {
    if (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
      text.pop_back();
    } else if (text.size() >= 2 && text.ends_with("\\n")) {
      text.resize(text.size() - 2);
    } else {
      return;
    }
  }
}

}  // namespace

AwsAuthError classifyAwsAuthError(std::string_view body) {
  const std::string folded = lower(body);
  if (folded.find("signature we calculated does not match") != std::string::npos) {
    return AwsAuthError::kSignatureMismatch;
  }
  if (folded.find("security token included in the request is expired") != std::string::npos) {
    return AwsAuthError::kTokenExpired;
  }
  if (folded.find("security token included in the request is invalid") != std::string::npos) {
    return AwsAuthError::kTokenInvalid;
  }
  return AwsAuthError::kNone;
}

std::string redactAwsErrorText(std::string_view text) {
  std::string out(text);
  std::size_t cut = std::min(out.find(kEchoStart), out.find(kStringToSignStart));
  if (cut != std::string::npos) {
    out.resize(cut);
    trimEnd(out);
    out += kEchoNote;
  }
  static constexpr std::array<std::string_view, 4> kMarkers = {
      "x-amz-security-token:", "x-amz-security-token=", "signature=", "x-amz-signature="};
  for (std::string_view marker : kMarkers) maskAfter(out, marker);
  return out;
}

}  // namespace podmon::aws
