#pragma once

#include <string>
#include <vector>

// Daily indices that existed before podmon (the original tool created them, or a missing template
// privilege let Elasticsearch map them dynamically) may map a field with another type than
// podmon's template: `created_at` as long breaks the dashboards' time field. These read the
// server's `GET /<index>/_mapping` answer and name such fields, so podmon can say so once.
namespace podmon::index {

struct MappingConflict {
  std::string field;         // top-level field name
  std::string indexType;     // as the index maps it ("long")
  std::string templateType;  // as podmon's template maps it ("date")
};

// The top-level fields of podmon's template that the `GET /<index>/_mapping` answer maps with
// another type, by field name. Reads the typed form of Elasticsearch 6 (`_doc`) too. Empty when the
// answer cannot be read or names no such field. Throws nothing.
std::vector<MappingConflict> findMappingConflicts(const std::string& mappingResponse);

// "created_at is long (podmon's template: date), @timestamp is long (podmon's template: date)".
std::string describeConflicts(const std::vector<MappingConflict>& conflicts);

}  // namespace podmon::index
