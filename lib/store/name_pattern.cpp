#include "store/name_pattern.h"

#include <climits>
#include <cstddef>

namespace podmon::store {

bool matchesPattern(std::string_view pattern, std::string_view name) {
  // Greedy glob with backtracking to the last '*': linear for practical patterns.
  std::size_t p = 0;
  std::size_t n = 0;
  std::size_t starP = std::string_view::npos;
  std::size_t starN = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starN = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
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
  if (pattern.find('*') == std::string_view::npos) return INT_MAX;
  int literal = 0;
  for (char c : pattern) {
    if (c != '*') ++literal;
  }
  return literal;
}

}  // namespace podmon::store
