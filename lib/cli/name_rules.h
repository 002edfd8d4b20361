#pragma once

#include <string>

// What podmonctl accepts as a namespace, container, Slack channel and cluster before it writes a
// rule. podmon matches rules by exact text, so a typo ("Payments", "#pay ments") would be stored
// and silently never match: refusing it up front is the only place the mistake can be caught.
// Each check throws UsageException with a message that names the value and says what is allowed.
namespace podmon::cli {

// A DNS-1123 label (lower-case letters, digits, '-', starting and ending with a letter or digit,
// at most 63 characters), "*", or such a label with '*' wildcards ("team-*", "*-canary"), as the
// routing rules match them.
void validateNamespace(const std::string& value);
// Same rules as a namespace: Kubernetes container names are DNS-1123 labels too.
void validateContainer(const std::string& value);
// "#name" or "name" (lower-case letters, digits, '-', '_', '.', at most 80 characters), or a Slack
// channel ID (C, G or D followed by at least 8 upper-case letters or digits, e.g. C0123ABCD).
void validateChannel(const std::string& value);
// A cluster name as CLUSTER_NAME holds it: letters, digits and ". _ - : /", at most 64
// characters, or "*" (a rule for every cluster), or such a name with '*' wildcards.
void validateCluster(const std::string& value);

// True for a DNS-1123 label (no wildcards).
bool isDns1123Label(const std::string& value);

}  // namespace podmon::cli
