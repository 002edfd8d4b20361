#pragma once

#include <string>
#include <string_view>

namespace podmon::aws {

// Text an AWS credential service sent back (an error code or message), fit for a log line and an
// exception message: at most kMaxServiceMessage bytes, control characters shown as '?', and any
// occurrence of `secret` (the token podmon sent) replaced by "(redacted)". Pure; never throws.
constexpr std::size_t kMaxServiceMessage = 300;
std::string serviceMessage(std::string_view text, std::string_view secret = {});

}  // namespace podmon::aws
