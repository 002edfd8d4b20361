#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace podmon::notify {

// Who crashed in one crash-storm group (StormGrouper): crash counts per namespace and workload,
// kept in the group's alert state as text and shown in its Slack message. Bounded: beyond
// kMaxEntries workloads, further ones are counted under their namespace as "(other workloads)",
// and beyond that in one "(other namespaces)" entry, so the stored text and the message stay small
// whatever a storm brings. Pure; decode() never throws (a damaged line is skipped, never fatal).
class StormSummary {
 public:
  static constexpr std::size_t kMaxEntries = 100;
  static constexpr const char* kOtherWorkloads = "(other workloads)";
  static constexpr const char* kOtherNamespaces = "(other namespaces)";

  struct Entry {
    std::string namespace_;
    std::string workload;  // "Deployment/web", "Pod/x" or kOtherWorkloads
    int crashes = 0;
  };

  static StormSummary decode(const std::string& text);
  std::string encode() const;

  // Counts one crash of `workload` in `namespace_`.
  void add(const std::string& namespace_, const std::string& workload);

  int crashes() const;
  // Distinct namespaces, in first-seen order.
  std::vector<std::string> namespaces() const;
  // Crashes per namespace, in first-seen order.
  std::vector<std::pair<std::string, int>> perNamespace() const;
  std::size_t workloadCount() const;
  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  void count(const std::string& namespace_, const std::string& workload);

  std::vector<Entry> entries_;
};

}  // namespace podmon::notify
