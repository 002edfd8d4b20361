#pragma once

// A strict reader of the Prometheus text exposition format 0.0.4 (protocols.md section 4), for
// tests: returns every problem found, empty when the text is valid. Also used on live /metrics.

#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace podmon::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromParse {
  std::vector<std::string> problems;
  std::vector<PromSample> samples;
  std::map<std::string, std::string> types;  // family -> type

  std::optional<double> value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& s : samples)
      if (s.name == name && s.labels == labels) return s.value;
    return std::nullopt;
  }
};

inline std::optional<double> parsePromValue(const std::string& v) {
  if (v == "NaN") return std::nan("");
  if (v == "+Inf") return INFINITY;
  if (v == "-Inf") return -INFINITY;
  static const std::regex num(R"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?)");
  if (!std::regex_match(v, num)) return std::nullopt;
  return std::stod(v);
}

inline PromParse parsePrometheusText(const std::string& text) {
  PromParse out;
  auto problem = [&](int line, const std::string& what) {
    out.problems.push_back("line " + std::to_string(line) + ": " + what);
  };
  if (text.empty() || text.back() != '\n') out.problems.push_back("the last line must end with \\n");
  if (text.find('\r') != std::string::npos) out.problems.push_back("\\r found: lines must end with \\n only");

  static const std::regex nameRe("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex labelRe("[a-zA-Z_][a-zA-Z0-9_]*");
  static const std::set<std::string> types = {"counter", "gauge", "histogram", "summary", "untyped"};
  std::set<std::string> helped, finished, seenSeries;
  std::string current;  // family whose lines we are in
  auto familyOf = [&](const std::string& sample) -> std::string {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      std::string s = suffix;
      if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
        std::string base = sample.substr(0, sample.size() - s.size());
        if (out.types.count(base) && out.types[base] == "histogram") return base;
      }
    }
    return sample;
  };
  auto enter = [&](const std::string& family, int line) {
    if (family == current) return;
    if (finished.count(family)) problem(line, "lines of metric family " + family + " are not contiguous");
    if (!current.empty()) finished.insert(current);
    current = family;
  };

  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream ls(line.substr(1));
      std::string kw, name;
      ls >> kw >> name;
      if (kw != "HELP" && kw != "TYPE") continue;  // a plain comment
      if (!std::regex_match(name, nameRe)) {
        problem(n, "bad metric name in " + kw + ": " + name);
        continue;
      }
      enter(name, n);
      if (kw == "HELP") {
        if (!helped.insert(name).second) problem(n, "second HELP for " + name);
        std::string rest = line.substr(std::min(line.size(), 7 + name.size() + 1));
        for (std::size_t i = 0; i < rest.size(); ++i)
          if (rest[i] == '\\' && (i + 1 >= rest.size() || (rest[i + 1] != '\\' && rest[i + 1] != 'n')))
            problem(n, "bad escape in HELP of " + name);
          else if (rest[i] == '\\') ++i;
      } else {
        std::string type;
        ls >> type;
        if (!types.count(type)) problem(n, "unknown TYPE '" + type + "'");
        if (out.types.count(name)) problem(n, "second TYPE for " + name);
        for (const auto& s : out.samples)
          if (s.name == name) problem(n, "TYPE for " + name + " after its first sample");
        out.types[name] = type;
        if (type == "counter" && name.size() < 6) problem(n, "counter " + name + " should end in _total");
        else if (type == "counter" && name.compare(name.size() - 6, 6, "_total") != 0)
          problem(n, "counter " + name + " should end in _total");
      }
      continue;
    }
    // name{labels} value [timestamp]
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    PromSample s;
    s.name = line.substr(0, i);
    if (!std::regex_match(s.name, nameRe)) {
      problem(n, "bad metric name '" + s.name + "'");
      continue;
    }
    if (i < line.size() && line[i] == '{') {
      ++i;
      bool ok = true;
      while (ok && i < line.size() && line[i] != '}') {
        std::size_t eq = line.find('=', i);
        if (eq == std::string::npos) {
          ok = false;
          break;
        }
        std::string lname = line.substr(i, eq - i);
        if (!std::regex_match(lname, labelRe) || lname.rfind("__", 0) == 0)
          problem(n, "bad label name '" + lname + "'");
        if (eq + 1 >= line.size() || line[eq + 1] != '"') {
          ok = false;
          break;
        }
        std::string value;
        std::size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            if (j + 1 >= line.size()) {
              ok = false;
              break;
            }
            char e = line[++j];
            if (e == 'n') value += '\n';
            else if (e == '\\' || e == '"') value += e;
            else problem(n, "bad escape in label value");
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) {
          ok = false;
          break;
        }
        if (!s.labels.emplace(lname, value).second) problem(n, "label " + lname + " repeated");
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (!ok || i >= line.size()) {
        problem(n, "unreadable label set");
        continue;
      }
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') {
      problem(n, "expected a space before the value");
      continue;
    }
    std::istringstream rest(line.substr(i + 1));
    std::string value, timestamp, extra;
    rest >> value >> timestamp >> extra;
    auto v = parsePromValue(value);
    if (!v) {
      problem(n, "bad value '" + value + "'");
      continue;
    }
    if (!timestamp.empty() && !std::regex_match(timestamp, std::regex("-?[0-9]+"))) problem(n, "bad timestamp");
    if (!extra.empty()) problem(n, "trailing text");
    s.value = *v;
    std::string family = familyOf(s.name);
    enter(family, n);
    std::ostringstream key;
    key << s.name;
    for (const auto& [k, lv] : s.labels) key << '|' << k << '=' << lv;
    if (!seenSeries.insert(key.str()).second) problem(n, "series repeated: " + key.str());
    auto t = out.types.find(family);
    if (t != out.types.end() && t->second == "histogram") {
      if (s.name == family) problem(n, "histogram " + family + " sample without _bucket/_sum/_count");
      if (s.name == family + "_bucket" && !s.labels.count("le")) problem(n, "bucket without le");
    }
    if (t != out.types.end() && t->second == "counter" && s.value < 0) problem(n, "negative counter");
    out.samples.push_back(std::move(s));
  }

  // Histograms: cumulative buckets in increasing le order, +Inf equal to _count.
  for (const auto& [family, type] : out.types) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    std::map<std::map<std::string, std::string>, double> counts;
    for (const auto& s : out.samples) {
      auto others = s.labels;
      if (s.name == family + "_bucket") {
        others.erase("le");
        auto le = parsePromValue(s.labels.count("le") ? s.labels.at("le") : "");
        if (!le) {
          out.problems.push_back(family + ": bad le");
          continue;
        }
        buckets[others].push_back({*le, s.value});
      } else if (s.name == family + "_count") {
        counts[others] = s.value;
      }
    }
    for (const auto& [labels, list] : buckets) {
      for (std::size_t k = 1; k < list.size(); ++k) {
        if (!(list[k].first > list[k - 1].first)) out.problems.push_back(family + ": le not increasing");
        if (list[k].second < list[k - 1].second) out.problems.push_back(family + ": buckets not cumulative");
      }
      if (list.empty() || !std::isinf(list.back().first)) out.problems.push_back(family + ": no le=\"+Inf\" bucket");
      else if (!counts.count(labels) || counts[labels] != list.back().second)
        out.problems.push_back(family + ": +Inf bucket differs from _count");
    }
  }
  return out;
}

}  // namespace podmon::testing
