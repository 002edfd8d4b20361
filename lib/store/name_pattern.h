#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Routes and ignore rules name namespaces and containers by pattern: "*" alone, or with "*" in
// it ("team-*", "*-canary"). Matching is pure, so it is tested without a database.
namespace podmon::store {

// True when name matches pattern, where '*' matches any run of characters (also none).
bool matchesPattern(std::string_view pattern, std::string_view name);

// Higher is more specific: a pattern without '*' beats every pattern with one; among those, more
// literal characters win. Used to pick one route when several match.
int patternSpecificity(std::string_view pattern);

// Of the route patterns (namespaces) read for one cluster, the index of the one that routes
// `namespace_`: an exact name beats a pattern, a more specific pattern a less specific one, ties go
// to the smaller pattern. nullopt when none matches. Both store backends pick routes with this.
std::optional<std::size_t> bestRouteIndex(const std::vector<std::string>& patterns, std::string_view namespace_);

// True when one of the (namespace pattern, container pattern) pairs matches.
bool anyIgnoreMatches(const std::vector<std::string>& namespacePatterns,
                      const std::vector<std::string>& containerPatterns, std::string_view namespace_,
                      std::string_view container);

}  // namespace podmon::store
