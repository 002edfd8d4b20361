#include "aws/service_message.h"

#include "core/terminal_text.h"

namespace podmon::aws {

std::string serviceMessage(std::string_view text, std::string_view secret) {
  std::string out(text);
  if (!secret.empty()) {
    const std::string_view redacted = "(redacted)";
    for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at + redacted.size())) {
      out.replace(at, secret.size(), redacted);
    }
  }
  const bool cut = out.size() > kMaxServiceMessage;
  if (cut) out.resize(kMaxServiceMessage);
  out = terminalSafeText(out);
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return cut ? out + "..." : out;
}

}  // namespace podmon::aws
