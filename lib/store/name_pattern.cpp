#include "store/name_pattern.h"

#include <climits>
#include <cstddef>

namespace podmon::store {

namespace {

char foldAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool sameChar(char a, char b) { return foldAscii(a) == foldAscii(b); }

}  // namespace

std::string_view withoutTrailingSpaces(std::string_view name) {
  const std::size_t end = name.find_last_not_of(' ');
  return end == std::string_view::npos ? std::string_view() : name.substr(0, end + 1);
}

bool sameRuleName(std::string_view a, std::string_view b) {
  a = withoutTrailingSpaces(a);
  b = withoutTrailingSpaces(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!sameChar(a[i], b[i])) return false;
  }
  return true;
}

bool matchesPattern(std::string_view pattern, std::string_view name) {
  pattern = withoutTrailingSpaces(pattern);
  name = withoutTrailingSpaces(name);
  // Greedy glob with backtracking to the last '*': linear for practical patterns.
  std::size_t p = 0;
  std::size_t n = 0;
  std::size_t starP = std::string_view::npos;
  std::size_t starN = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starN = n;
    } else if (p < pattern.size() && sameChar(pattern[p], name[n])) {
      ++p;
      ++n;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

int patternSpecificity(std::string_view pattern) {
  pattern = withoutTrailingSpaces(pattern);
  if (pattern.find('*') == std::string_view::npos) return INT_MAX;
  int literal = 0;
  for (char c : pattern) {
    if (c != '*') ++literal;
  }
  return literal;
}

}  // namespace podmon::store
