#include "psc/open311.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "psc/civil_date.hpp"
#include "psc/coordinates.hpp"
#include "psc/reference_lists.hpp"
#include "psc/schema.hpp"

namespace psc {
namespace {

using nlohmann::json;

const std::map<std::string, std::string>& category_names() {
  static const std::map<std::string, std::string> k = {
      {"public_safety", "Public safety"},
      {"quality_of_life", "Quality of life"},
      {"housing_blight", "Housing and blight"},
      {"traffic_streets", "Traffic and streets"},
      {"youth", "Youth"},
      {"environment_sanitation", "Environment and sanitation"},
      {"economic", "Economic development"},
      {"other", "Other"}};
  return k;
}

// A category's public name: the coordinators' list, else the built-in one.
std::string category_name(const Replica& replica, const std::string& code) {
  const auto built_in = category_names().find(code);
  return listed_name(replica, "category", code, built_in == category_names().end() ? code : built_in->second);
}

// The agencies' names: the departments coordinators manage, over the
// server's reference data.
Open311AgencyNames with_listed_names(const Replica& replica, Open311AgencyNames agencies) {
  for (const auto& slug : department_slugs(replica)) {
    const auto known = agencies.find(slug);
    agencies[slug] = listed_name(replica, "department", slug, known == agencies.end() ? slug : known->second);
  }
  return agencies;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Escapes markup, and replaces what XML 1.0 forbids in a document (C0
// controls other than tab, newline and carriage return; U+FFFE and U+FFFF)
// with U+FFFD, so the feed stays well-formed whatever was stored.
std::string xml_escape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
        (byte == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
         (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE)) {
      out += "\xEF\xBF\xBD";
      if (byte == 0xEF) i += 2;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

json open311_services(const Replica& replica) {
  json out = json::array();
  for (const auto& code : category_slugs(replica)) {
    const Record* listed = replica.find("category", code);
    const auto& active = is_live(listed) ? listed->value("active") : json();
    if (active.is_boolean() && !active.get<bool>()) continue;  // retired: no new requests of it
    const std::string name = category_name(replica, code);
    out.push_back({{"service_code", code},
                   {"service_name", name},
                   {"description", "Neighborhood Problem Solving Committee priorities: " + name},
                   {"metadata", false},
                   {"type", "realtime"},
                   {"keywords", "psc,priority," + code},
                   {"group", "Neighborhood priorities"}});
  }
  return out;
}

namespace {

std::string agency_name(const Open311AgencyNames& agencies, const std::string& slug) {
  const auto it = agencies.find(slug);
  return it == agencies.end() ? slug : it->second;
}

// One priority as a service request; `cs` are its live commitments.
json request_json(const Replica& replica, const Record& p, std::vector<const Record*> cs,
                  const Open311AgencyNames& agency_names) {
  const std::string status = text_value(p, "status");
  const std::string open311_status = (status == "resolved" || status == "dropped") ? "closed" : "open";
  const std::string category = text_value(p, "category");
  std::sort(cs.begin(), cs.end(),
            [](const Record* a, const Record* b) { return a->updated() > b->updated(); });
  std::vector<std::string> agencies, notices;
  std::string notes, expected;
  int64_t updated = static_cast<int64_t>(p.updated().millis);
  for (const Record* c : cs) {
    const std::string agency = agency_name(agency_names, text_value(*c, "department"));
    if (std::find(agencies.begin(), agencies.end(), agency) == agencies.end()) agencies.push_back(agency);
    notices.push_back(agency + ": " + text_value(*c, "summary") + " (" + text_value(*c, "status") + ")");
    if (notes.empty()) notes = text_value(*c, "status_notes");
    const std::string date = text_value(*c, "expected_date");
    const std::string cstatus = text_value(*c, "status");
    if (!date.empty() && cstatus != "done" && cstatus != "declined" && (expected.empty() || date < expected))
      expected = date;
    updated = std::max(updated, static_cast<int64_t>(c->updated().millis));
  }
  // Before any department answers, the one the PSC addressed it to is responsible.
  const std::string addressed = text_value(p, "department");
  if (!addressed.empty()) {
    const std::string agency = agency_name(agency_names, addressed);
    if (std::find(agencies.begin(), agencies.end(), agency) == agencies.end()) agencies.push_back(agency);
  }
  // Agency names may hold commas ("Licenses & Inspections, ..."): "; " between them.
  std::string agency_list, notice_list;
  for (const auto& a : agencies) agency_list += (agency_list.empty() ? "" : "; ") + a;
  for (const auto& n : notices) notice_list += (notice_list.empty() ? "" : "; ") + n;
  // An expected date is a Hartford day: its midnight there, with that day's offset.
  std::optional<int64_t> expected_day = expected.empty() ? std::nullopt : day_number(expected);
  const auto address = p.value("address");
  const auto place = parse_coordinates(text_value(p, "coordinates"));
  return {
      {"service_request_id", p.id()},
      {"status", open311_status},
      {"status_notes", notes.empty() ? json() : json(notes)},
      {"service_name", category_name(replica, category)},
      {"service_code", category},
      {"description", text_value(p, "title") +
                          (text_value(p, "description").empty() ? "" : ". " + text_value(p, "description"))},
      {"agency_responsible", agency_list.empty() ? json() : json(agency_list)},
      {"service_notice", notice_list.empty() ? json() : json(notice_list)},
      {"requested_datetime", format_w3c_datetime(static_cast<int64_t>(p.created().millis))},
      {"updated_datetime", format_w3c_datetime(updated)},
      {"expected_datetime", expected_day ? json(format_w3c_us_eastern(*expected_day)) : json()},
      {"address", address.is_string() ? address : json()},
      {"address_id", nullptr},
      {"zipcode", nullptr},
      {"lat", place ? json(place->latitude) : json()},
      {"long", place ? json(place->longitude) : json()},
      {"media_url", nullptr}};
}

}  // namespace

bool open311_is_public(const Record& priority) {
  if (!is_live(&priority)) return false;
  const std::string status = text_value(priority, "status");
  if (status == "adopted" || status == "in_progress" || status == "resolved") return true;
  return status == "dropped" && !text_value(priority, "adopted_on").empty();
}

Result<json> open311_requests(const Replica& replica, const Open311Query& q, int64_t now_ms,
                              const Open311AgencyNames& agencies) {
  auto bad = [](const std::string& m) { return Status::error("bad_query", m); };
  const Open311AgencyNames names = with_listed_names(replica, agencies);
  std::optional<int64_t> start, end;
  if (q.start_date && !(start = parse_w3c_datetime(*q.start_date)))
    return bad("start_date is not a W3C datetime");
  if (q.end_date && !(end = parse_w3c_datetime(*q.end_date))) return bad("end_date is not a W3C datetime");
  if (!start && !end) start = now_ms - int64_t{90} * 86'400'000;
  std::set<std::string> statuses;
  if (q.status)
    for (const auto& s : split(*q.status)) {
      if (s != "open" && s != "closed") return bad("status must be open, closed or open,closed");
      statuses.insert(s);
    }
  std::set<std::string> codes;
  if (q.service_code) {
    for (const auto& c : split(*q.service_code)) codes.insert(c);
  }
  std::set<std::string> ids;
  if (q.service_request_id)
    for (const auto& id : split(*q.service_request_id)) ids.insert(id);

  // Commitments by priority.
  std::map<std::string, std::vector<const Record*>> commitments;
  for (const Record* c : replica.list("commitment"))
    if (is_live(c)) commitments[text_value(*c, "priority")].push_back(c);

  std::vector<std::pair<int64_t, json>> found;
  for (const Record* p : replica.list("priority")) {
    if (!open311_is_public(*p)) continue;
    const int64_t requested = static_cast<int64_t>(p->created().millis);
    if (!ids.empty()) {
      if (!ids.count(p->id())) continue;
    } else {
      if (start && requested < *start) continue;
      if (end && requested > *end) continue;
    }
    const std::string status = text_value(*p, "status");
    const std::string open311_status = (status == "resolved" || status == "dropped") ? "closed" : "open";
    if (!statuses.empty() && !statuses.count(open311_status)) continue;
    if (!codes.empty() && !codes.count(text_value(*p, "category"))) continue;
    found.emplace_back(requested, request_json(replica, *p, commitments[p->id()], names));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first
                              : a.second["service_request_id"].template get<std::string>() <
                                    b.second["service_request_id"].template get<std::string>();
  });
  if (found.size() > 1000) found.resize(1000);
  json out = json::array();
  for (auto& [_, r] : found) out.push_back(std::move(r));
  return out;
}

Result<json> open311_request(const Replica& replica, const std::string& id,
                             const Open311AgencyNames& agencies) {
  const Record* p = replica.find("priority", id);
  if (!p || !open311_is_public(*p)) return Status::error("not_found", "no service request " + id);
  std::vector<const Record*> cs;
  for (const Record* c : replica.list("commitment"))
    if (is_live(c) && text_value(*c, "priority") == id) cs.push_back(c);
  return json::array({request_json(replica, *p, std::move(cs), with_listed_names(replica, agencies))});
}

json open311_errors(int code, const std::string& description) {
  return json::array({{{"code", code}, {"description", description}}});
}

std::string open311_errors_xml(int code, const std::string& description) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error><code>" + std::to_string(code) +
         "</code><description>" + xml_escape(description) + "</description></error></errors>\n";
}

json open311_discovery(const std::string& endpoint_url, const std::string& contact) {
  // When this endpoint last changed in a way a client would notice.
  const std::string changeset = "2026-12-05T00:00:00Z";
  return {{"changeset", changeset},
          {"contact", contact},
          {"key_service",
           "No key is needed: the feed is public and read-only (service requests are not accepted)."},
          {"endpoints", json::array({{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                                      {"url", endpoint_url},
                                      {"changeset", changeset},
                                      {"type", "production"},
                                      {"formats", json::array({"text/xml", "application/json"})}}})}};
}

std::string open311_discovery_xml(const json& d) {
  auto text = [&](const json& j, const char* key) {
    return "<" + std::string(key) + ">" + xml_escape(j.value(key, std::string())) + "</" + key + ">";
  };
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery>" + text(d, "changeset") +
                    text(d, "contact") + text(d, "key_service") + "<endpoints>";
  for (const auto& e : d.at("endpoints")) {
    out += "<endpoint>" + text(e, "specification") + text(e, "url") + text(e, "changeset") + text(e, "type") +
           "<formats>";
    for (const auto& f : e.at("formats")) out += "<format>" + xml_escape(f.get<std::string>()) + "</format>";
    out += "</formats></endpoint>";
  }
  return out + "</endpoints></discovery>\n";
}

std::string open311_to_xml(const json& document, const std::string& list_element,
                           const std::string& item_element) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + list_element + ">";
  for (const auto& item : document) {
    out += "<" + item_element + ">";
    for (const auto& [key, value] : item.items()) {
      out += "<" + key + ">";
      if (!value.is_null()) out += xml_escape(value.is_string() ? value.get<std::string>() : value.dump());
      out += "</" + key + ">";
    }
    out += "</" + item_element + ">";
  }
  return out + "</" + list_element + ">\n";
}

}  // namespace psc
