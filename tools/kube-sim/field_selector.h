#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace podmon::kubesim {

// A parsed fieldSelector (field=value, field==value, field!=value, comma = AND). The caller names
// the fields its resource supports; any other field is rejected with the API server's 400.
class FieldSelector {
 public:
  using FieldGetter = std::function<std::string(const std::string& field)>;

  FieldSelector() = default;
  static FieldSelector parse(const std::string& text, const std::set<std::string>& supportedFields);

  bool matches(const FieldGetter& get) const;
  bool empty() const { return terms_.empty(); }
  // The value required by an equality term on `field`, or "" (used to narrow lookups).
  std::string requiredValue(const std::string& field) const;

 private:
  struct Term {
    std::string field;
    std::string value;
    bool negate;
  };
  std::vector<Term> terms_;
};

}  // namespace podmon::kubesim
