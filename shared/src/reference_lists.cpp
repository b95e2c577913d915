#include "psc/reference_lists.hpp"

#include <algorithm>

namespace psc {

namespace {

bool holds_any(const Replica& replica, const std::string& type) {
  const auto records = replica.list(type);
  return std::any_of(records.begin(), records.end(), [](const Record* r) { return is_live(r); });
}

}  // namespace

std::vector<std::string> listed_values(const Replica& replica, const FieldSpec& spec) {
  if (spec.listed_in.empty() || !holds_any(replica, spec.listed_in)) return spec.allowed;
  std::vector<std::string> seeded, added;
  for (const Record* r : replica.list(spec.listed_in)) {
    if (!is_live(r)) continue;
    const bool built_in = std::find(spec.allowed.begin(), spec.allowed.end(), r->id()) != spec.allowed.end();
    (built_in ? seeded : added).push_back(r->id());
  }
  std::vector<std::string> out;
  for (const auto& value : spec.allowed)
    if (std::find(seeded.begin(), seeded.end(), value) != seeded.end()) out.push_back(value);
  std::sort(added.begin(), added.end());
  out.insert(out.end(), added.begin(), added.end());
  return out;
}

std::vector<std::string> category_slugs(const Replica& replica) {
  return listed_values(replica, *find_schema("priority")->field("category"));
}

std::vector<std::string> department_slugs(const Replica& replica) {
  return listed_values(replica, *find_schema("commitment")->field("department"));
}

bool is_listed_value(const Replica& replica, const FieldSpec& spec, std::string_view value) {
  if (spec.listed_in.empty() || !holds_any(replica, spec.listed_in))
    return std::find(spec.allowed.begin(), spec.allowed.end(), value) != spec.allowed.end();
  return is_live(replica.find(spec.listed_in, std::string(value)));
}

std::string listed_name(const Replica& replica, std::string_view type, const std::string& slug,
                        const std::string& fallback) {
  const Record* r = replica.find(std::string(type), slug);
  const std::string name = is_live(r) ? text_value(*r, "name") : std::string();
  return name.empty() ? fallback : name;
}

}  // namespace psc
