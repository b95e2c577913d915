#include "psc/adoption.hpp"

#include <string>

namespace psc {

namespace {
bool adopts(const nlohmann::json& status) {
  if (!status.is_string()) return false;
  const auto& s = status.get_ref<const std::string&>();
  return s == "adopted" || s == "in_progress" || s == "resolved";
}

bool is_set(const nlohmann::json& value) {
  return !value.is_null() && !(value.is_string() && value.get_ref<const std::string&>().empty());
}
}  // namespace

nlohmann::json adoption_fields(std::string_view type, const Record* current, const nlohmann::json& changed,
                               std::string_view today) {
  nlohmann::json out = nlohmann::json::object();
  if (type != "priority" || !changed.is_object()) return out;
  const auto status = changed.find("status");
  if (status == changed.end() || !adopts(*status)) return out;
  if (changed.contains("adopted_on")) return out;  // the caller sets it itself
  if (current && is_set(current->value("adopted_on"))) return out;
  out["adopted_on"] = std::string(today);
  return out;
}

}  // namespace psc
