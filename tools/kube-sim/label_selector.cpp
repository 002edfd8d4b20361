#include "label_selector.h"

#include <algorithm>

#include "api_error.h"

namespace podmon::kubesim {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

// Splits on commas that are not inside parentheses.
std::vector<std::string> splitTerms(const std::string& text) {
  std::vector<std::string> terms;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      terms.push_back(trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!trim(cur).empty() || !terms.empty()) terms.push_back(trim(cur));
  return terms;
}

std::vector<std::string> parseSet(const std::string& text, const std::string& whole) {
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    throw ApiError::badRequest("unable to parse requirement: found '" + whole + "', expected: '('");
  std::vector<std::string> values;
  std::string inner = text.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= inner.size()) {
    auto comma = inner.find(',', start);
    values.push_back(trim(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

}  // namespace

LabelSelector LabelSelector::parse(const std::string& text) {
  LabelSelector sel;
  for (const auto& term : splitTerms(text)) {
    if (term.empty()) throw ApiError::badRequest("unable to parse requirement: found '', expected: identifier");
    Requirement r;
    size_t pos;
    if (term[0] == '!') {
      r = {trim(term.substr(1)), Op::NotExists, {}};
    } else if ((pos = term.find("!=")) != std::string::npos) {
      r = {trim(term.substr(0, pos)), Op::NotEquals, {trim(term.substr(pos + 2))}};
    } else if ((pos = term.find("==")) != std::string::npos) {
      r = {trim(term.substr(0, pos)), Op::Equals, {trim(term.substr(pos + 2))}};
    } else if ((pos = term.find('=')) != std::string::npos) {
      r = {trim(term.substr(0, pos)), Op::Equals, {trim(term.substr(pos + 1))}};
    } else if ((pos = term.find(" notin ")) != std::string::npos) {
      r = {trim(term.substr(0, pos)), Op::NotIn, parseSet(term.substr(pos), term)};
    } else if ((pos = term.find(" in ")) != std::string::npos) {
      r = {trim(term.substr(0, pos)), Op::In, parseSet(term.substr(pos), term)};
    } else {
      r = {term, Op::Exists, {}};
    }
    if (r.key.empty() || r.key.find_first_of(" ()") != std::string::npos)
      throw ApiError::badRequest("unable to parse requirement: invalid label key \"" + r.key + "\"");
    sel.requirements_.push_back(std::move(r));
  }
  return sel;
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& r : requirements_) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    auto inSet = [&] { return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end(); };
    switch (r.op) {
      case Op::Equals:
      case Op::In:
        if (!inSet()) return false;
        break;
      case Op::NotEquals:
      case Op::NotIn:
        if (inSet()) return false;
        break;
      case Op::Exists:
        if (!has) return false;
        break;
      case Op::NotExists:
        if (has) return false;
        break;
    }
  }
  return true;
}

}  // namespace podmon::kubesim
