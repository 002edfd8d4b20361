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

std::optional<std::size_t> bestRouteIndex(const std::vector<std::string>& patterns, std::string_view namespace_) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (!matchesPattern(patterns[i], namespace_)) continue;
    if (!best) {
      best = i;
      continue;
    }
    const int mine = patternSpecificity(patterns[i]);
    const int theirs = patternSpecificity(patterns[*best]);
    if (mine > theirs || (mine == theirs && patterns[i] < patterns[*best])) best = i;
  }
  return best;
}

bool anyIgnoreMatches(const std::vector<std::string>& namespacePatterns,
                      const std::vector<std::string>& containerPatterns, std::string_view namespace_,
                      std::string_view container) {
  for (std::size_t i = 0; i < namespacePatterns.size() && i < containerPatterns.size(); ++i) {
    if (matchesPattern(namespacePatterns[i], namespace_) && matchesPattern(containerPatterns[i], container)) return true;
  }
  return false;
}

}  // namespace podmon::store
