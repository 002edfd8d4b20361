// Fuzzes reading Slack's answers (chat.postMessage JSON and incoming webhook text): the first
// byte picks the HTTP status, the second a Retry-After, the rest is the body. Every answer must
// be classified, never crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "notify/slack_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const int kStatuses[] = {200, 200, 200, 429, 500, 502, 503, 400, 403, 404, 410, 302, 0, 201, 299, 599};
  podmon::notify::SlackHttpResponse response;
  response.status = kStatuses[data[0] % 16];
  if (data[1] != 0) response.retryAfter = std::chrono::milliseconds(1000LL * data[1]);
  response.body.assign(reinterpret_cast<const char*>(data) + 2, size - 2);
  auto api = podmon::notify::classifyApiResponse(response);
  (void)podmon::notify::toString(api.kind);
  auto webhook = podmon::notify::classifyWebhookResponse(response);
  (void)podmon::notify::toString(webhook.kind);
  return 0;
}
