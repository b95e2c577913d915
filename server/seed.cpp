#include "seed.hpp"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "reference_data.hpp"

#include "psc/hlc.hpp"

namespace psc::server {

std::vector<Change> reference_changes(const char* reference_json, uint64_t now_ms) {
  const auto data = nlohmann::json::parse(reference_json);
  HybridLogicalClock clock;
  std::vector<Change> out;
  for (const auto& n : data.at("neighborhoods")) {
    Change c;
    c.record_type = "neighborhood";
    c.record_id = n.at("slug").get<std::string>();
    c.field = "name";
    c.value = n.at("name").get<std::string>();
    c.hlc = clock.tick(now_ms);
    c.device = "server";
    c.actor = "reference data";
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Change> reference_list_changes(const char* reference_json, uint64_t now_ms) {
  const auto data = nlohmann::json::parse(reference_json);
  HybridLogicalClock clock;
  std::vector<Change> out;
  auto add = [&](const char* type, const nlohmann::json& entry, const std::vector<const char*>& fields) {
    for (const char* field : fields) {
      Change c;
      c.record_type = type;
      c.record_id = entry.at("slug").get<std::string>();
      c.field = field;
      c.value = std::string(field) == "active" ? nlohmann::json(true) : entry.at(field);
      c.hlc = clock.tick(now_ms);
      c.device = "server";
      c.actor = "reference data";
      out.push_back(std::move(c));
    }
  };
  for (const auto& d : data.at("departments")) add("department", d, {"name", "name_es", "kind", "active"});
  for (const auto& c : data.at("categories")) add("category", c, {"name", "name_es", "active"});
  return out;
}

bool is_known_neighborhood(std::string_view slug) {
  static const std::vector<std::string> kSlugs = [] {
    std::vector<std::string> slugs;
    for (const auto& c : reference_changes(hartford_reference_json(), 0)) slugs.push_back(c.record_id);
    return slugs;
  }();
  return std::find(kSlugs.begin(), kSlugs.end(), slug) != kSlugs.end();
}

const std::map<std::string, std::string, std::less<>>& department_names() {
  static const std::map<std::string, std::string, std::less<>> kNames = [] {
    std::map<std::string, std::string, std::less<>> names;
    const auto data = nlohmann::json::parse(hartford_reference_json());
    for (const auto& d : data.at("departments"))
      names[d.at("slug").get<std::string>()] = d.at("name").get<std::string>();
    return names;
  }();
  return kNames;
}

}  // namespace psc::server
