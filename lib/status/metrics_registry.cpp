#include "status/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>

#include "core/errors.h"

namespace podmon::status {
namespace {

void atomicAdd(std::atomic<double>& a, double delta) {
  double cur = a.load();
  while (!a.compare_exchange_weak(cur, cur + delta)) {}
}

std::string escapeHelp(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escapeLabel(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"') out += "\\\"";
    else out += c;
  }
  return out;
}

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
  return std::string(buf, res.ptr);
}

std::string labelText(const Labels& labels, const std::string& extraName = "", const std::string& extraValue = "") {
  if (labels.empty() && extraName.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k + "=\"" + escapeLabel(v) + "\"";
  }
  if (!extraName.empty()) {
    if (!first) out += ',';
    out += extraName + "=\"" + extraValue + "\"";
  }
  return out + "}";
}

const std::regex& nameRe() {
  static const std::regex re("[a-zA-Z_:][a-zA-Z0-9_:]*");
  return re;
}
const std::regex& labelRe() {
  static const std::regex re("[a-zA-Z_][a-zA-Z0-9_]*");
  return re;
}

}  // namespace

MetricSeries::MetricSeries(std::vector<double> bucketBounds) : bounds_(std::move(bucketBounds)) {
  if (!bounds_.empty()) {
    buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size());
    for (std::size_t i = 0; i < bounds_.size(); ++i) buckets_[i] = 0;
  }
}

void MetricSeries::add(double delta) { atomicAdd(value_, delta); }

void MetricSeries::set(double value) { value_.store(value); }

void MetricSeries::setAtLeast(double value) {
  double cur = value_.load();
  while (value > cur && !value_.compare_exchange_weak(cur, value)) {}
}

void MetricSeries::observe(double value) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      buckets_[i].fetch_add(1);
      break;
    }
  }
  atomicAdd(sum_, value);
  count_.fetch_add(1);
}

const std::vector<double>& MetricsRegistry::latencyBuckets() {
  static const std::vector<double> b = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  return b;
}

MetricSeries& MetricsRegistry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  return series(name, Type::kCounter, help, {}, labels);
}

MetricSeries& MetricsRegistry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  return series(name, Type::kGauge, help, {}, labels);
}

MetricSeries& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                         const std::vector<double>& buckets, const Labels& labels) {
  return series(name, Type::kHistogram, help, buckets, labels);
}

void MetricsRegistry::removeSeries(const std::string& name, const std::string& label, const std::string& value) {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return;
  auto& series = it->second.series;
  for (auto s = series.begin(); s != series.end();) {
    auto l = s->first.find(label);
    if (l != s->first.end() && l->second == value) s = series.erase(s);
    else ++s;
  }
}

MetricSeries& MetricsRegistry::series(const std::string& name, Type type, const std::string& help,
                                      const std::vector<double>& buckets, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    // Names are fixed in code: a bad one is a programming error, caught by the unit tests.
    if (!std::regex_match(name, nameRe())) throw PodmonException("bad metric name '" + name + "'");
    it = families_.emplace(name, Family{type, help, buckets, {}}).first;
  } else if (it->second.type != type) {
    throw PodmonException("metric '" + name + "' registered with two types");
  }
  auto& family = it->second;
  auto s = family.series.find(labels);
  if (s != family.series.end()) return *s->second;
  for (const auto& [k, v] : labels) {
    if (!std::regex_match(k, labelRe()) || k.rfind("__", 0) == 0 || k == "le")
      throw PodmonException("bad label name '" + k + "' on metric '" + name + "'");
  }
  auto created = std::make_unique<MetricSeries>(type == Type::kHistogram ? family.buckets : std::vector<double>{});
  auto& ref = *created;
  family.series.emplace(labels, std::move(created));
  return ref;
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    if (family.series.empty()) continue;
    const char* typeName = family.type == Type::kCounter ? "counter"
                           : family.type == Type::kGauge ? "gauge"
                                                         : "histogram";
    out += "# HELP " + name + " " + escapeHelp(family.help) + "\n";
    out += "# TYPE " + name + " " + typeName + "\n";
    for (const auto& [labels, s] : family.series) {
      if (family.type != Type::kHistogram) {
        out += name + labelText(labels) + " " + formatValue(s->value()) + "\n";
        continue;
      }
      uint64_t cumulative = 0;
      for (std::size_t i = 0; i < s->bounds_.size(); ++i) {
        cumulative += s->buckets_[i].load();
        out += name + "_bucket" + labelText(labels, "le", formatValue(s->bounds_[i])) + " " +
               std::to_string(cumulative) + "\n";
      }
      // A concurrent observe() may have counted its bucket but not yet the total.
      uint64_t count = std::max(s->count_.load(), cumulative);
      out += name + "_bucket" + labelText(labels, "le", "+Inf") + " " + std::to_string(count) + "\n";
      out += name + "_sum" + labelText(labels) + " " + formatValue(s->sum_.load()) + "\n";
      out += name + "_count" + labelText(labels) + " " + std::to_string(count) + "\n";
    }
  }
  return out;
}

}  // namespace podmon::status
