#include "psc/exports.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "psc/civil_date.hpp"
#include "psc/coordinates.hpp"
#include "psc/priority_ranking.hpp"
#include "psc/scope.hpp"

namespace psc {
namespace {

using nlohmann::json;

json flat(const Record& r) {
  json out = json::object();
  for (const auto& [name, reg] : r.fields())
    if (!reg.empty() && name != kDeletedField) out[name] = reg.winner().value;
  out["id"] = r.id();
  out["created"] = r.created().millis;
  out["updated"] = r.updated().millis;
  return out;
}

// Columns of each table, in order.
const std::map<std::string, std::vector<std::string>>& table_columns() {
  static const std::map<std::string, std::vector<std::string>> k = {
      {"priorities",
       {"id", "rank", "score", "title", "category", "status", "address", "latitude", "longitude",
        "police_beat", "description", "department", "adopted_on", "meeting", "neighborhood", "created",
        "updated", "created_local", "updated_local"}},
      {"meetings",
       {"id", "title", "kind", "start", "start_local", "location", "status", "headcount", "minutes",
        "neighborhood", "organization"}},
      {"agenda_items", {"id", "meeting", "order", "title", "notes"}},
      {"attendance",
       {"id", "meeting", "name", "organization", "organization_name", "role", "neighborhood", "department"}},
      {"organizations",
       {"id", "name", "kind", "neighborhood", "parent", "joined_on", "left_on", "active", "representative"}},
      // The city's lists (reference_lists.hpp), in the city-wide export.
      {"departments", {"id", "name", "name_es", "kind", "active"}},
      {"categories", {"id", "name", "name_es", "active"}},
      {"outcomes", {"id", "meeting", "priority", "verdict", "decided_on", "notes"}},
      {"votes", {"id", "meeting", "priority", "voter"}},
      {"tallies", {"id", "meeting", "priority", "count"}},
      {"commitments",
       {"id", "priority", "department", "summary", "status", "expected_date", "status_notes", "responder"}},
      {"action_items",
       {"id", "meeting", "priority", "description", "owner", "due_date", "done", "department",
        "neighborhood"}},
  };
  return k;
}

std::string cell(const json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Hartford's local time of a UTC instant, beside it in the exports: "created"
// and "updated" are milliseconds since the epoch, a meeting's start is UTC.
json local_time(const json& utc) {
  if (utc.is_number_integer()) return format_us_eastern_of_millis(utc.get<int64_t>());
  if (utc.is_string())
    if (auto ms = parse_w3c_datetime(utc.get<std::string>())) return format_us_eastern_of_millis(*ms);
  return nullptr;
}

// Adds the local times and, for attendance, the organization's name (an id
// alone resolves to nothing in a spreadsheet).
json readable(json rows, const std::string& type, const Replica& replica) {
  for (auto& row : rows) {
    if (type == "priority") {
      row["created_local"] = local_time(row["created"]);
      row["updated_local"] = local_time(row["updated"]);
    } else if (type == "meeting") {
      row["start_local"] = local_time(row.value("start", json()));
    } else if (type == "attendance") {
      const Record* o = row.value("organization", json()).is_string()
                            ? replica.find("organization", row["organization"].get<std::string>())
                            : nullptr;
      row["organization_name"] = is_live(o) ? json(text_value(*o, "name")) : json();
    }
  }
  return rows;
}

// Live records of `type` passing `keep`, flattened, by id.
template <typename Keep>
json records(const Replica& replica, const std::string& type, Keep keep) {
  json out = json::array();
  for (const Record* r : replica.list(type))
    if (is_live(r) && keep(*r)) out.push_back(flat(*r));
  return readable(std::move(out), type, replica);
}

// Adds rank and score from `ranking` to priorities, ranked first, and the
// coordinates as latitude and longitude (the columns a spreadsheet or a GIS
// tool reads as a point).
json ranked(json priorities, const std::vector<RankedPriority>& ranking) {
  std::map<std::string, const RankedPriority*> by_id;
  for (const auto& r : ranking) by_id[r.priority] = &r;
  for (auto& p : priorities) {
    auto it = by_id.find(p["id"].get<std::string>());
    p["rank"] = it == by_id.end() ? json() : json(it->second->rank);
    p["score"] = it == by_id.end() ? json() : json(it->second->score);
    const auto place = parse_coordinates(p.value("coordinates", ""));
    p["latitude"] = place ? json(place->latitude) : json();
    p["longitude"] = place ? json(place->longitude) : json();
  }
  std::stable_sort(priorities.begin(), priorities.end(), [](const json& a, const json& b) {
    const bool ra = a["rank"].is_number(), rb = b["rank"].is_number();
    if (ra != rb) return ra;
    if (ra && a["rank"] != b["rank"]) return a["rank"].get<int>() < b["rank"].get<int>();
    return a.value("title", "") < b.value("title", "");
  });
  return priorities;
}

// "-72.6851", "12", "-3.5": a minus, digits, at most one dot between digits.
bool is_plain_number(std::string_view f) {
  std::size_t i = f.starts_with('-') ? 1 : 0;
  const std::size_t first_digit = i;
  while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
  if (i == first_digit) return false;
  if (i < f.size() && f[i] == '.') {
    const std::size_t after_dot = ++i;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
    if (i == after_dot) return false;
  }
  return i == f.size();
}

}  // namespace

std::string to_csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      const std::string& f = row[i];
      // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR
      // before one) as a formula: text typed at a meeting must stay text, so
      // such a cell is written quoted with a leading apostrophe (OWASP's
      // advice for CSV injection). A plain number (a longitude, -72.6851)
      // runs nothing and stays a number.
      if (!f.empty() && std::string_view("=+-@\t\r").find(f.front()) != std::string_view::npos &&
          !is_plain_number(f)) {
        out += "\"'";
        for (char c : f) {
          if (c == '"') out += '"';
          out += c;
        }
        out += '"';
        continue;
      }
      if (f.find_first_of(",\"\r\n") == std::string::npos) {
        out += f;
        continue;
      }
      out += '"';
      for (char c : f) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

const std::vector<std::string>& export_table_names() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> names;
    for (const auto& [name, _] : table_columns()) names.push_back(name);
    return names;
  }();
  return k;
}

json neighborhood_export(const Replica& replica, const std::string& neighborhood) {
  const Record* n = replica.find("neighborhood", neighborhood);
  if (!is_live(n)) return nullptr;
  auto in_scope = [&](const std::string& type) {
    return [&replica, &neighborhood, type](const Record& r) {
      return record_neighborhood(replica, type, r.id()) == neighborhood;
    };
  };
  return json{{"neighborhood", {{"id", neighborhood}, {"name", text_value(*n, "name")}}},
              {"priorities", ranked(records(replica, "priority", in_scope("priority")),
                                    neighborhood_ranking(replica, neighborhood))},
              {"meetings", records(replica, "meeting", in_scope("meeting"))},
              {"agenda_items", records(replica, "agenda_item", in_scope("agenda_item"))},
              {"attendance", records(replica, "attendance", in_scope("attendance"))},
              {"organizations", records(replica, "organization", in_scope("organization"))},
              {"outcomes", records(replica, "outcome", in_scope("outcome"))},
              {"votes", records(replica, "vote", in_scope("vote"))},
              {"tallies", records(replica, "tally", in_scope("tally"))},
              {"commitments", records(replica, "commitment", in_scope("commitment"))},
              {"action_items", records(replica, "action_item", in_scope("action_item"))}};
}

json city_export(const Replica& replica) {
  json neighborhoods = json::array();
  json priorities = json::array();
  for (const Record* n : replica.list("neighborhood")) {
    if (!is_live(n)) continue;
    neighborhoods.push_back({{"id", n->id()}, {"name", text_value(*n, "name")}});
    // Ranked within their neighborhood, as each PSC ranks its own.
    json own = records(replica, "priority", [&](const Record& r) {
      return record_neighborhood(replica, "priority", r.id()) == n->id();
    });
    for (auto& p : ranked(std::move(own), neighborhood_ranking(replica, n->id())))
      priorities.push_back(std::move(p));
  }
  auto any = [](const Record&) { return true; };
  return json{{"neighborhoods", std::move(neighborhoods)},
              {"priorities", std::move(priorities)},
              {"meetings", records(replica, "meeting", any)},
              {"agenda_items", records(replica, "agenda_item", any)},
              {"attendance", records(replica, "attendance", any)},
              {"organizations", records(replica, "organization", any)},
              {"outcomes", records(replica, "outcome", any)},
              {"votes", records(replica, "vote", any)},
              {"tallies", records(replica, "tally", any)},
              {"commitments", records(replica, "commitment", any)},
              {"action_items", records(replica, "action_item", any)},
              {"departments", records(replica, "department", any)},
              {"categories", records(replica, "category", any)}};
}

json meeting_export(const Replica& replica, const std::string& meeting) {
  const Record* m = replica.find("meeting", meeting);
  if (!is_live(m)) return nullptr;
  auto of_meeting = [&meeting](const Record& r) { return text_value(r, "meeting") == meeting; };
  json priorities = records(replica, "priority", of_meeting);
  std::set<std::string> raised;
  for (const auto& p : priorities) raised.insert(p["id"].get<std::string>());
  // Everything ranked at the meeting, not only what was raised there.
  const auto ranking = meeting_ranking(replica, meeting);
  for (const auto& r : ranking)
    if (!raised.count(r.priority)) priorities.push_back(flat(*replica.find("priority", r.priority)));
  std::set<std::string> discussed;
  for (const auto& p : priorities) discussed.insert(p["id"].get<std::string>());
  return json{{"meeting", flat(*m)},
              {"neighborhood", {{"id", text_value(*m, "neighborhood")}}},
              {"priorities", ranked(readable(std::move(priorities), "priority", replica), ranking)},
              {"meetings", readable(json::array({flat(*m)}), "meeting", replica)},
              {"agenda_items", records(replica, "agenda_item", of_meeting)},
              {"attendance", records(replica, "attendance", of_meeting)},
              {"organizations", records(replica, "organization",
                                        [&](const Record& r) {
                                          return text_value(r, "neighborhood") ==
                                                 text_value(*m, "neighborhood");
                                        })},
              {"outcomes", records(replica, "outcome", of_meeting)},
              {"votes", records(replica, "vote", of_meeting)},
              {"tallies", records(replica, "tally", of_meeting)},
              {"commitments",
               records(replica, "commitment",
                       [&](const Record& r) { return discussed.count(text_value(r, "priority")) > 0; })},
              {"action_items", records(replica, "action_item", of_meeting)}};
}

std::optional<std::string> export_table_csv(const json& document, const std::string& table) {
  auto columns = table_columns().find(table);
  if (columns == table_columns().end() || !document.is_object() || !document.contains(table))
    return std::nullopt;
  std::vector<std::vector<std::string>> rows{columns->second};
  for (const auto& item : document[table]) {
    std::vector<std::string> row;
    for (const auto& column : columns->second)
      row.push_back(item.contains(column) ? cell(item[column]) : std::string());
    rows.push_back(std::move(row));
  }
  return to_csv(rows);
}

}  // namespace psc
