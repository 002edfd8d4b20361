#include "notify/storm_summary.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace podmon::notify {

namespace {

constexpr std::size_t kNameMax = 253;  // Kubernetes names are shorter; cut anything else

// Tabs and newlines separate the fields: never inside one.
std::string clean(const std::string& text) {
  std::string out = text.substr(0, kNameMax);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return out;
}

}  // namespace

StormSummary StormSummary::decode(const std::string& text) {
  StormSummary summary;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto a = line.find('\t');
    const auto b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    int crashes = 0;
    const char* first = line.data() + b + 1;
    const auto [end, ec] = std::from_chars(first, line.data() + line.size(), crashes);
    if (ec != std::errc{} || crashes <= 0 || summary.entries_.size() >= kMaxEntries + 1) continue;
    summary.entries_.push_back(Entry{line.substr(0, a), line.substr(a + 1, b - a - 1), crashes});
  }
  return summary;
}

std::string StormSummary::encode() const {
  std::string text;
  for (const auto& e : entries_) {
    text += e.namespace_ + "\t" + e.workload + "\t" + std::to_string(e.crashes) + "\n";
  }
  return text;
}

void StormSummary::add(const std::string& namespace_, const std::string& workload) {
  count(clean(namespace_), clean(workload));
}

void StormSummary::count(const std::string& ns, const std::string& workload) {
  const auto find = [&](const std::string& n, const std::string& w) {
    return std::find_if(entries_.begin(), entries_.end(),
                        [&](const Entry& e) { return e.namespace_ == n && e.workload == w; });
  };
  for (const auto& [n, w] : {std::pair{ns, workload}, std::pair{ns, std::string(kOtherWorkloads)},
                             std::pair{std::string(kOtherNamespaces), std::string(kOtherWorkloads)}}) {
    if (auto it = find(n, w); it != entries_.end()) {
      ++it->crashes;
      return;
    }
    // A new entry while there is room; the last slot is kept for "(other namespaces)".
    const bool last = n == kOtherNamespaces;
    if (last || entries_.size() < kMaxEntries) {
      entries_.push_back(Entry{n, w, 1});
      return;
    }
  }
}

int StormSummary::crashes() const {
  int total = 0;
  for (const auto& e : entries_) total += e.crashes;
  return total;
}

std::vector<std::pair<std::string, int>> StormSummary::perNamespace() const {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& e : entries_) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == e.namespace_; });
    if (it == out.end()) {
      out.emplace_back(e.namespace_, e.crashes);
    } else {
      it->second += e.crashes;
    }
  }
  return out;
}

std::vector<std::string> StormSummary::namespaces() const {
  std::vector<std::string> out;
  for (const auto& [ns, crashes] : perNamespace()) out.push_back(ns);
  return out;
}

std::size_t StormSummary::workloadCount() const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.workload != kOtherWorkloads; }));
}

}  // namespace podmon::notify
