#pragma once

#include <map>
#include <string>
#include <vector>

namespace podmon::kubesim {

// A parsed labelSelector query parameter (k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b)),
// so lists and watches filter the way the API server does. Parse errors throw ApiError 400.
class LabelSelector {
 public:
  LabelSelector() = default;
  static LabelSelector parse(const std::string& text);

  bool matches(const std::map<std::string, std::string>& labels) const;
  bool empty() const { return requirements_.empty(); }

 private:
  enum class Op { Equals, NotEquals, Exists, NotExists, In, NotIn };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace podmon::kubesim
