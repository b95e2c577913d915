#include "psc/conflict_queue.hpp"

#include <algorithm>

#include "psc/scope.hpp"

namespace psc {

using nlohmann::json;

namespace {

std::string label_of(const Record& record) {
  for (const char* field : {"title", "name", "summary", "description"}) {
    std::string text = text_value(record, field);
    if (!text.empty()) return text;
  }
  return "";
}

}  // namespace

json conflict_queue(const Replica& replica) {
  json out = json::array();
  replica.for_each([&](const Record& record) {
    if (!record.has_conflict()) return;
    for (const auto& [field, reg] : record.fields()) {
      if (!reg.has_conflict()) continue;
      json values = json::array();
      Hlc latest{};
      for (const FieldValue* leaf : reg.leaves()) {
        latest = std::max(latest, leaf->hlc);
        values.push_back(value_json(*leaf));
      }
      out.push_back({{"type", record.type()},
                     {"id", record.id()},
                     {"neighborhood", record_neighborhood(replica, record.type(), record.id())},
                     {"label", label_of(record)},
                     {"field", field},
                     {"latest", latest.to_text()},
                     {"values", std::move(values)}});
    }
  });
  // HLC text sorts like time (hlc.hpp), so the newest conflicting write comes first.
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    if (a["latest"] != b["latest"]) return a["latest"] > b["latest"];
    if (a["type"] != b["type"]) return a["type"] < b["type"];
    if (a["id"] != b["id"]) return a["id"] < b["id"];
    return a["field"] < b["field"];
  });
  return out;
}

std::size_t conflict_count(const Replica& replica) {
  std::size_t n = 0;
  replica.for_each([&](const Record& record) {
    for (const auto& [_, reg] : record.fields())
      if (reg.has_conflict()) ++n;
  });
  return n;
}

}  // namespace psc
