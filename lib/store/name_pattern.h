#pragma once

#include <string_view>

// Routes and ignore rules name clusters, namespaces and containers by pattern: "*" alone, or with
// "*" in it ("team-*", "*-canary"). Names compare as the original tool's MySQL tables compared
// them (the server's default collation, *_general_ci with PAD SPACE): letters without regard to
// case and trailing spaces ignored, on both sides. Only ASCII letters are folded (Kubernetes names
// are ASCII; the collation's folding of accented letters is not copied). Matching is pure, so
// MySQL and SQLite match alike and it is tested without a database.
namespace podmon::store {

// `name` without its trailing spaces (' ' only, as PAD SPACE).
std::string_view withoutTrailingSpaces(std::string_view name);

// True when the two names are the same rule name: equal but for ASCII case and trailing spaces.
// Two routes whose names are the same this way are one route (the original's unique keys refused
// the second).
bool sameRuleName(std::string_view a, std::string_view b);

// True when name matches pattern, where '*' matches any run of characters (also none); letters
// compare without regard to ASCII case and trailing spaces of either are ignored.
bool matchesPattern(std::string_view pattern, std::string_view name);

// Higher is more specific: a pattern without '*' beats every pattern with one; among those, more
// literal characters win (trailing spaces do not count). notify::NotifyRules picks one route with
// it when several match.
int patternSpecificity(std::string_view pattern);

}  // namespace podmon::store
