#include "psc/scope.hpp"

#include "psc/schema.hpp"

namespace psc {

std::string record_neighborhood(const Replica& replica, const std::string& type, const std::string& id) {
  std::string current_type = type, current_id = id;
  // Scope chains are short (at most attendance -> meeting -> neighborhood);
  // the bound guards against a malformed schema loop.
  for (int hops = 0; hops < 4; ++hops) {
    if (current_type == "neighborhood") return current_id;
    const RecordSchema* schema = find_schema(current_type);
    if (!schema || schema->scope_field.empty()) return {};
    const Record* record = replica.find(current_type, current_id);
    if (!record) return {};
    const auto& link = record->value(schema->scope_field);
    if (!link.is_string()) return {};
    current_type = schema->field(schema->scope_field)->ref_type;
    current_id = link.get<std::string>();
  }
  return {};
}

}  // namespace psc
