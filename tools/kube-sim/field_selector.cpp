#include "field_selector.h"

#include "api_error.h"

namespace podmon::kubesim {

FieldSelector FieldSelector::parse(const std::string& text, const std::set<std::string>& supportedFields) {
  FieldSelector sel;
  size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    std::string term = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() : comma + 1;
    if (term.empty()) continue;
    Term t{};
    size_t pos;
    if ((pos = term.find("!=")) != std::string::npos) {
      t = {term.substr(0, pos), term.substr(pos + 2), true};
    } else if ((pos = term.find("==")) != std::string::npos) {
      t = {term.substr(0, pos), term.substr(pos + 2), false};
    } else if ((pos = term.find('=')) != std::string::npos) {
      t = {term.substr(0, pos), term.substr(pos + 1), false};
    } else {
      throw ApiError::badRequest("invalid selector: '" + text + "'; can't understand '" + term + "'");
    }
    if (!supportedFields.count(t.field)) throw ApiError::badRequest("field label not supported: " + t.field);
    sel.terms_.push_back(std::move(t));
  }
  return sel;
}

bool FieldSelector::matches(const FieldGetter& get) const {
  for (const auto& t : terms_)
    if ((get(t.field) == t.value) == t.negate) return false;
  return true;
}

std::string FieldSelector::requiredValue(const std::string& field) const {
  for (const auto& t : terms_)
    if (t.field == field && !t.negate) return t.value;
  return "";
}

}  // namespace podmon::kubesim
