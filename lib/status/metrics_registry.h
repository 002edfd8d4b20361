#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace podmon::status {

using Labels = std::map<std::string, std::string>;

// One counter, gauge or histogram series. Values are doubles behind a mutex-free atomic so the
// watch thread, the recorder and the HTTP handler threads can touch them without locks.
class MetricSeries {
 public:
  explicit MetricSeries(std::vector<double> bucketBounds = {});
  void add(double delta);
  void set(double value);
  // Counters mirrored from another component's monotonic atomic: never goes backwards.
  void setAtLeast(double value);
  void observe(double value);  // histograms
  double value() const { return value_.load(); }

 private:
  friend class MetricsRegistry;
  std::atomic<double> value_{0};
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bound, not cumulative
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// The process's metrics, rendered in the Prometheus text format 0.0.4. Series are created on
// first use and live as long as the registry, so callers may keep the returned references.
// Keep label values low-cardinality (namespaces and reasons, never pod names).
class MetricsRegistry {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  MetricSeries& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  MetricSeries& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  MetricSeries& histogram(const std::string& name, const std::string& help, const std::vector<double>& buckets,
                          const Labels& labels = {});

  std::string render() const;
  // Drops every series of metric `name` whose label `label` is `value` (a namespace that lost its
  // own series to NamespaceSeriesCap). Only for series nobody keeps a reference to.
  void removeSeries(const std::string& name, const std::string& label, const std::string& value);

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
  // Seconds buckets from 5 ms to 5 min, for latencies.
  static const std::vector<double>& latencyBuckets();

 private:
  struct Family {
    Type type;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, std::unique_ptr<MetricSeries>> series;
  };
  MetricSeries& series(const std::string& name, Type type, const std::string& help, const std::vector<double>& buckets,
                       const Labels& labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace podmon::status
