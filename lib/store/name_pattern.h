#pragma once

#include <string_view>

// Routes and ignore rules name namespaces and containers by pattern: "*" alone, or with "*" in
// it ("team-*", "*-canary"). Matching is pure, so it is tested without a database.
namespace podmon::store {

// True when name matches pattern, where '*' matches any run of characters (also none).
bool matchesPattern(std::string_view pattern, std::string_view name);

// Higher is more specific: a pattern without '*' beats every pattern with one; among those, more
// literal characters win. notify::NotifyRules picks one route with it when several match.
int patternSpecificity(std::string_view pattern);

}  // namespace podmon::store
