// Fuzzes what a Kubernetes API server (or anything in between) can put on a watch stream: bytes
// in arbitrary chunks go through LineSplitter, every line through PodParser::parseWatchEvent, and
// the whole input through parsePod and parsePodList. Bad input may only raise KubeException.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/errors.h"
#include "kube/line_splitter.h"
#include "kube/pod_parser.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // The first byte picks the chunk size, the second the line limit: the splitter must give the
  // same lines whatever the chunking.
  const std::size_t chunk = 1 + data[0] % 64;
  const std::size_t maxLine = 16 + data[1] * 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  static podmon::kube::PodParser parser;
  podmon::kube::LineSplitter splitter(maxLine);
  podmon::kube::LineSplitter whole(maxLine);
  std::string chunkedLines;
  std::string wholeLines;
  std::size_t overflowed = 0;
  auto onLine = [&](std::string_view line) {
    check(!line.empty(), "empty line emitted");
    check(line.size() <= maxLine, "line longer than the limit");
    check(line.find('\n') == std::string_view::npos, "line holds a newline");
    chunkedLines.append(line).push_back('\n');
    try {
      auto event = parser.parseWatchEvent(line);
      (void)podmon::kube::toString(event.type);
    } catch (const podmon::KubeException&) {}
  };
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    splitter.feed(input.substr(i, chunk), onLine, [&](std::size_t dropped) { overflowed += dropped; });
  }
  whole.feed(input, [&](std::string_view line) { wholeLines.append(line).push_back('\n'); });
  check(chunkedLines == wholeLines, "chunking changed the lines");
  check(splitter.pending() <= maxLine, "pending bytes exceed the line limit");

  try {
    (void)parser.parsePod(input);
  } catch (const podmon::KubeException&) {}
  try {
    auto page = parser.parsePodList(input);
    for (const auto& pod : page.pods) (void)pod.containers.size();
  } catch (const podmon::KubeException&) {}
  return 0;
}
