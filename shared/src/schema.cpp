#include "psc/schema.hpp"

namespace psc {

const std::vector<std::string>& priority_categories() {
  // server/data/hartford.json "priority_categories"; kept in code because the core
  // reads no files. tests/core/schema_test.cpp checks the two agree.
  static const std::vector<std::string> kCategories = {
      "public_safety", "quality_of_life", "housing_blight",         "traffic_streets",
      "youth",         "environment_sanitation", "economic", "other"};
  return kCategories;
}

const std::vector<std::string>& priority_statuses() {
  static const std::vector<std::string> kStatuses = {"proposed", "adopted", "in_progress",
                                                     "resolved", "dropped"};
  return kStatuses;
}

const FieldSpec* RecordSchema::field(std::string_view name) const {
  for (const auto& spec : fields)
    if (spec.name == name) return &spec;
  return nullptr;
}

namespace {

FieldSpec text(std::string name, std::size_t max_length, bool required = false) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldKind::text;
  spec.max_length = max_length;
  spec.required = required;
  return spec;
}

FieldSpec enumeration(std::string name, std::vector<std::string> allowed, bool required) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldKind::enumeration;
  spec.allowed = std::move(allowed);
  spec.required = required;
  return spec;
}

FieldSpec reference(std::string name, std::string ref_type, bool required, bool immutable) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.kind = FieldKind::reference;
  spec.ref_type = std::move(ref_type);
  spec.required = required;
  spec.immutable = immutable;
  return spec;
}

std::vector<RecordSchema> build_schemas() {
  std::vector<RecordSchema> schemas;

  RecordSchema neighborhood;
  neighborhood.type = "neighborhood";
  neighborhood.reference_data = true;
  neighborhood.fields = {text("name", 100, true)};
  schemas.push_back(neighborhood);

  RecordSchema priority;
  priority.type = "priority";
  priority.fields = {
      text("title", 200, true),
      text("description", 4000),
      enumeration("category", priority_categories(), true),
      enumeration("status", priority_statuses(), true),
      // Immutable: the neighborhood decides who may see and edit the record.
      reference("neighborhood", "neighborhood", true, true),
      text("address", 200),
  };
  schemas.push_back(priority);
  return schemas;
}

}  // namespace

const std::vector<RecordSchema>& all_schemas() {
  static const std::vector<RecordSchema> kSchemas = build_schemas();
  return kSchemas;
}

const RecordSchema* find_schema(std::string_view type) {
  for (const auto& schema : all_schemas())
    if (schema.type == type) return &schema;
  return nullptr;
}

}  // namespace psc
