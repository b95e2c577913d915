#include <catch2/catch.hpp>

#include <set>

#include "psc/exports.hpp"
#include "psc/local_device.hpp"
#include "psc/open311.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {
struct City {
  LocalDevice device{"tab", "coordinator"};
  uint64_t now = 1'764'400'000'000;  // 2025-11-29
  uint64_t random = 1;
  std::string meeting, lights, speeding, dumping;
  City() {
    test::seed(device);
    meeting = make("meeting", {{"neighborhood", "frog-hollow"},
                               {"kind", "psc"},
                               {"title", "November PSC"},
                               {"start", "2025-11-29T23:00Z"},
                               {"status", "held"}});
    lights = make("priority", {{"title", "Lights out, \"again\""},
                               {"category", "public_safety"},
                               {"status", "adopted"},
                               {"neighborhood", "frog-hollow"},
                               {"meeting", meeting},
                               {"address", "12 Park St"}});
    speeding = make("priority", {{"title", "Speeding"},
                                 {"category", "traffic_streets"},
                                 {"status", "resolved"},
                                 {"neighborhood", "frog-hollow"}});
    dumping = make("priority", {{"title", "Dumping"},
                                {"category", "environment_sanitation"},
                                {"status", "proposed"},
                                {"neighborhood", "parkville"}});
    make("attendance", {{"meeting", meeting}, {"name", "José Ñúñez, Jr."}, {"role", "resident"}});
    make("vote", {{"meeting", meeting}, {"priority", lights}, {"voter", test::voter("v1")}});
    make("commitment", {{"priority", lights},
                        {"department", "public-works"},
                        {"summary", "Replace bulbs"},
                        {"status", "in_progress"},
                        {"expected_date", "2025-12-15"},
                        {"status_notes", "Parts ordered"}});
    make("commitment",
         {{"priority", lights}, {"department", "police"}, {"summary", "Extra patrols"}, {"status", "done"}});
  }
  std::string make(const std::string& type, const json& fields) {
    now += 1000;
    auto created = device.create(type, fields, now, ++random, 5);
    INFO(created.status().message());
    REQUIRE(created);
    return created.value().front().record_id;
  }
};
}  // namespace

TEST_CASE("CSV quotes commas, quotes and newlines and keeps UTF-8") {
  CHECK(to_csv({{"a", "b,c", "say \"hi\"", "two\nlines", "José Ñúñez"}}) ==
        "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",José Ñúñez\r\n");
  CHECK(to_csv({{""}, {"x"}}) == "\r\nx\r\n");
}

TEST_CASE("CSV keeps a cell that a spreadsheet would run as a formula as text") {
  for (const std::string cell : {"=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                 "\t=1", "\r=1", "-1.", "-.5", "-1.2.3", "-", "-5e3", "+5", "-1,5"}) {
    INFO(cell);
    const std::string csv = to_csv({{cell}});
    CHECK(csv.rfind("\"'", 0) == 0);  // quoted, with a leading apostrophe
  }
  CHECK(to_csv({{"=1,\"2\""}}) == "\"'=1,\"\"2\"\"\"\r\n");
  CHECK(to_csv({{"a=1", "2026-12-04"}}) == "a=1,2026-12-04\r\n");  // only a leading sign counts
  // A plain negative number (a longitude) runs nothing: it stays a number.
  CHECK(to_csv({{"-72.6851", "-3", "12.5"}}) == "-72.6851,-3,12.5\r\n");
}

TEST_CASE("a city export holds every neighborhood the replica holds, each ranked within its own") {
  City c;
  const json doc = city_export(c.device.replica());
  CHECK(doc["neighborhoods"].size() ==
        c.device.replica().list("neighborhood").size());  // what test::seed made
  CHECK(doc["neighborhoods"].size() >= 2);
  REQUIRE(doc["priorities"].size() == 3);
  std::set<std::string> ids;
  for (const auto& p : doc["priorities"]) ids.insert(p["id"].get<std::string>());
  CHECK(ids == std::set<std::string>{c.lights, c.speeding, c.dumping});
  for (const auto& p : doc["priorities"]) {
    if (p["id"] == c.lights) CHECK(p["rank"] == 1);
    if (p["id"] == c.dumping) CHECK(p["rank"] == 1);  // first in Parkville
  }
  CHECK(doc["commitments"].size() == 2);
  CHECK(doc["meetings"].size() == 1);
  // The city's lists are tables of it too, once the replica holds them.
  CHECK(doc["categories"].empty());
  auto truancy = c.device.create_listed("category", "truancy",
                                        {{"name", "Truancy"}, {"name_es", "Ausentismo escolar"}}, 9'000);
  REQUIRE(truancy);
  const auto lists = export_table_csv(city_export(c.device.replica()), "categories");
  REQUIRE(lists);
  CHECK(*lists == "id,name,name_es,active\r\ntruancy,Truancy,Ausentismo escolar,\r\n");
  const auto csv = export_table_csv(doc, "priorities");
  REQUIRE(csv);
  // Rows from several neighborhoods say which each belongs to.
  CHECK(csv->find(",parkville,") != std::string::npos);
  CHECK(csv->find(",frog-hollow,") != std::string::npos);
  CHECK(export_table_csv(doc, "meetings")->find("neighborhood") != std::string::npos);
  CHECK_FALSE(export_table_csv(doc, "secrets"));
}

TEST_CASE("a neighborhood export holds only that neighborhood, priorities ranked") {
  City c;
  const json doc = neighborhood_export(c.device.replica(), "frog-hollow");
  REQUIRE(doc.is_object());
  CHECK(doc["priorities"].size() == 2);
  CHECK(doc["priorities"][0]["id"] == c.lights);
  CHECK(doc["priorities"][0]["rank"] == 1);
  CHECK(doc["priorities"][1]["rank"].is_null());  // resolved: not ranked
  CHECK(doc["attendance"].size() == 1);
  CHECK(doc["commitments"].size() == 2);
  CHECK(neighborhood_export(c.device.replica(), "parkville")["priorities"].size() == 1);
  CHECK(neighborhood_export(c.device.replica(), "atlantis").is_null());

  const auto csv = export_table_csv(doc, "attendance");
  REQUIRE(csv);
  CHECK(csv->find("\"José Ñúñez, Jr.\"") != std::string::npos);
  const auto priorities = export_table_csv(doc, "priorities");
  REQUIRE(priorities);
  CHECK(priorities->rfind("id,rank,score,title,", 0) == 0);
  CHECK(priorities->find("\"Lights out, \"\"again\"\"\"") != std::string::npos);
  CHECK_FALSE(export_table_csv(doc, "secrets"));

  // A located priority: latitude and longitude columns a spreadsheet or GIS reads as a point.
  REQUIRE(c.device.set_field("priority", c.lights, "coordinates", "41.7637,-72.6851", ++c.now));
  REQUIRE(c.device.set_field("priority", c.lights, "police_beat", "District 3", ++c.now));
  const json located = neighborhood_export(c.device.replica(), "frog-hollow");
  CHECK(located["priorities"][0]["latitude"] == 41.7637);
  CHECK(located["priorities"][0]["longitude"] == -72.6851);
  CHECK(located["priorities"][1]["latitude"].is_null());
  const auto rows = export_table_csv(located, "priorities");
  REQUIRE(rows);
  CHECK(rows->find("address,latitude,longitude,police_beat,") != std::string::npos);
  CHECK(rows->find("12 Park St,41.7637,-72.6851,District 3,") != std::string::npos);
}

TEST_CASE("a meeting export holds the meeting's attendance, votes and the commitments on its priorities") {
  City c;
  const json doc = meeting_export(c.device.replica(), c.meeting);
  CHECK(doc["meeting"]["title"] == "November PSC");
  CHECK(doc["votes"].size() == 1);
  CHECK(doc["attendance"].size() == 1);
  CHECK(doc["commitments"].size() == 2);
  CHECK(meeting_export(c.device.replica(), "nope").is_null());
}

TEST_CASE("W3C datetimes parse and format") {
  CHECK(parse_w3c_datetime("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_w3c_datetime("1970-01-01") == 0);
  CHECK(parse_w3c_datetime("2010-04-14T06:37:38-08:00") == parse_w3c_datetime("2010-04-14T14:37:38Z"));
  CHECK(parse_w3c_datetime("2026-11-29T18:30Z").has_value());
  CHECK_FALSE(parse_w3c_datetime("2026-11-29T18:30:00"));
  CHECK_FALSE(parse_w3c_datetime("yesterday"));
  CHECK(format_w3c_datetime(*parse_w3c_datetime("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
  CHECK(format_w3c_datetime(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("Open311 services and requests with the spec's fields and filters") {
  City c;
  const json services = open311_services(Replica());
  CHECK(services.size() == 8);
  CHECK(services[0]["service_code"] == "public_safety");

  const int64_t now = static_cast<int64_t>(c.now);
  const Open311AgencyNames names = {{"police", "Hartford Police Department"},
                                    {"public-works", "Department of Public Works"}};
  auto all = open311_requests(c.device.replica(), {}, now, names);
  REQUIRE(all);
  REQUIRE(all.value().size() == 2);  // the proposed one (dumping) is not public
  json lights;
  for (const auto& r : all.value())
    if (r["service_request_id"] == c.lights) lights = r;
  for (const char* field : {"service_request_id", "status", "status_notes", "service_code", "service_name",
                            "description", "agency_responsible", "service_notice", "requested_datetime",
                            "updated_datetime", "expected_datetime", "address", "lat", "long"})
    CHECK(lights.contains(field));
  CHECK(lights["status"] == "open");
  // Agencies by name, most recently updated first.
  CHECK(lights["agency_responsible"] == "Hartford Police Department; Department of Public Works");
  CHECK(lights["service_notice"].get<std::string>().find("Department of Public Works: Replace bulbs") !=
        std::string::npos);
  CHECK(lights["status_notes"] == "Parts ordered");
  // Midnight in Hartford on December 15 (standard time), not midnight UTC.
  CHECK(lights["expected_datetime"] == "2025-12-15T00:00:00-05:00");
  CHECK(lights["address"] == "12 Park St");
  CHECK(lights["lat"].is_null());  // no location yet
  CHECK(lights["long"].is_null());
  CHECK(parse_w3c_datetime(lights["requested_datetime"].get<std::string>()).has_value());

  // A location fills lat and long, as numbers.
  REQUIRE(c.device.set_field("priority", c.lights, "coordinates", "41.7637,-72.6851", ++c.now));
  const auto placed = open311_requests(c.device.replica(), {}, static_cast<int64_t>(c.now), names);
  for (const auto& r : placed.value()) {
    if (r["service_request_id"] != c.lights) continue;
    CHECK(r["lat"] == 41.7637);
    CHECK(r["long"] == -72.6851);
    CHECK(r.dump().find("\"lat\":41.7637,\"long\":-72.6851") != std::string::npos);
  }

  // Before any answer, the department the PSC addressed it to is responsible.
  REQUIRE(c.device.set_field("priority", c.dumping, "status", "adopted", ++c.now));
  auto public_dumping = [&] {
    json found;
    const auto all = open311_requests(c.device.replica(), {}, static_cast<int64_t>(c.now), names);
    for (const auto& r : all.value())
      if (r["service_request_id"] == c.dumping) found = r;
    return found;
  };
  CHECK(public_dumping()["agency_responsible"].is_null());
  REQUIRE(c.device.set_field("priority", c.dumping, "department", "public-works", ++c.now));
  CHECK(public_dumping()["agency_responsible"] == "Department of Public Works");
  // A slug without a name in the reference data shows as it is.
  const auto unnamed = open311_requests(c.device.replica(), {}, static_cast<int64_t>(c.now));
  for (const auto& r : unnamed.value())
    if (r["service_request_id"] == c.dumping) CHECK(r["agency_responsible"] == "public-works");

  Open311Query closed;
  closed.status = "closed";
  CHECK(open311_requests(c.device.replica(), closed, now).value().size() == 1);
  Open311Query code;
  code.service_code = "environment_sanitation";
  CHECK(open311_requests(c.device.replica(), code, now).value().size() == 1);
  Open311Query late;
  late.start_date = format_w3c_datetime(now + 1000);
  CHECK(open311_requests(c.device.replica(), late, now).value().empty());
  Open311Query early;
  early.end_date = "2000-01-01T00:00:00Z";
  CHECK(open311_requests(c.device.replica(), early, now).value().empty());
  CHECK(open311_requests(c.device.replica(), {}, now + int64_t{100} * 86'400'000)
            .value()
            .empty());  // older than 90 days
  Open311Query bad;
  bad.status = "pending";
  CHECK(open311_requests(c.device.replica(), bad, now).status().code() == "bad_query");
  Open311Query bad_date;
  bad_date.start_date = "last week";
  CHECK_FALSE(open311_requests(c.device.replica(), bad_date, now));

  const std::string xml = open311_to_xml(all.value(), "service_requests", "request");
  CHECK(xml.find("<service_requests><request><") != std::string::npos);
  CHECK(xml.find("&quot;again&quot;") != std::string::npos);
}

TEST_CASE("Open311 XML stays well-formed whatever text was stored") {
  const json doc =
      json::array({{{"description", std::string("bell\x01 nul") + '\0' + " ok\ttab \xEF\xBF\xBE end"}}});
  const std::string xml = open311_to_xml(doc, "service_requests", "request");
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(xml.find('\0') == std::string::npos);
  CHECK(xml.find("\xEF\xBF\xBE") == std::string::npos);
  CHECK(xml.find("bell\xEF\xBF\xBD nul\xEF\xBF\xBD ok\ttab \xEF\xBF\xBD end") != std::string::npos);
}

TEST_CASE("Open311 shows only priorities the PSC adopted") {
  City c;
  const int64_t now = static_cast<int64_t>(c.now);
  auto ids = [&] {
    std::set<std::string> out;
    const auto all = open311_requests(c.device.replica(), {}, static_cast<int64_t>(c.now));
    for (const auto& r : all.value()) out.insert(r["service_request_id"].get<std::string>());
    return out;
  };
  // A kiosk's proposal is not public, not even asked for by id.
  CHECK_FALSE(ids().count(c.dumping));
  Open311Query by_id;
  by_id.service_request_id = c.dumping;
  CHECK(open311_requests(c.device.replica(), by_id, now).value().empty());
  CHECK(open311_request(c.device.replica(), c.dumping).status().code() == "not_found");
  CHECK(open311_request(c.device.replica(), "no-such-id").status().code() == "not_found");
  const auto one = open311_request(c.device.replica(), c.lights);
  REQUIRE(one);
  REQUIRE(one.value().size() == 1);
  CHECK(one.value()[0]["service_request_id"] == c.lights);

  // Dropped without ever being adopted: still not public.
  REQUIRE(c.device.set_field("priority", c.dumping, "status", "dropped", ++c.now));
  CHECK_FALSE(ids().count(c.dumping));
  // Adopted (then in progress): public; dropped after that: public and closed.
  // (The app sets adopted_on with the status: psc/adoption.hpp.)
  REQUIRE(c.device.set_field("priority", c.dumping, "status", "adopted", ++c.now));
  REQUIRE(c.device.set_field("priority", c.dumping, "adopted_on", "2025-11-29", ++c.now));
  CHECK(ids().count(c.dumping));
  REQUIRE(c.device.set_field("priority", c.dumping, "status", "in_progress", ++c.now));
  CHECK(ids().count(c.dumping));
  REQUIRE(c.device.set_field("priority", c.dumping, "status", "dropped", ++c.now));
  CHECK(ids().count(c.dumping));
  const auto dropped = open311_request(c.device.replica(), c.dumping);
  REQUIRE(dropped);
  CHECK(dropped.value()[0]["status"] == "closed");
}

TEST_CASE("Open311 errors and discovery in the spec's JSON and XML") {
  CHECK(open311_errors(404, "no such request") ==
        json::parse(R"([{"code":404,"description":"no such request"}])"));
  CHECK(open311_errors_xml(400, "a <bad> date") ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error><code>400</code>"
        "<description>a &lt;bad&gt; date</description></error></errors>\n");

  const json d = open311_discovery("https://psc.example.org/open311/v2", "PSC coordinator");
  for (const char* key : {"changeset", "contact", "key_service", "endpoints"}) CHECK(d.contains(key));
  REQUIRE(d["endpoints"].size() == 1);
  const json& e = d["endpoints"][0];
  CHECK(e["specification"] == "http://wiki.open311.org/GeoReport_v2");
  CHECK(e["url"] == "https://psc.example.org/open311/v2");
  CHECK(e["type"] == "production");
  CHECK(e["formats"] == json::array({"text/xml", "application/json"}));
  CHECK(parse_w3c_datetime(d["changeset"].get<std::string>()).has_value());
  const std::string xml = open311_discovery_xml(d);
  CHECK(xml.find("<discovery><changeset>") != std::string::npos);
  CHECK(xml.find("<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>"
                 "<url>https://psc.example.org/open311/v2</url>") != std::string::npos);
  CHECK(xml.find("<type>production</type><formats><format>text/xml</format><format>application/json</format>"
                 "</formats></endpoint></endpoints></discovery>") != std::string::npos);
}

TEST_CASE("US Eastern offsets follow the US daylight-time rule") {
  auto day = [](const char* date) { return *day_number(date); };
  CHECK(weekday(0) == 4);                  // 1970-01-01, a Thursday
  CHECK(weekday(day("2026-03-08")) == 0);  // a Sunday
  // 2026: daylight time from Sunday March 8 to Sunday November 1.
  CHECK(us_eastern_utc_offset_minutes(day("2026-01-15")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2026-03-07")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2026-03-08"), 0) == -300);  // midnight: before 2:00
  CHECK(us_eastern_utc_offset_minutes(day("2026-03-08"), 119) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2026-03-08"), 180) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2026-03-09")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2026-07-04")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2026-10-31")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2026-11-01"), 0) == -240);   // midnight: still daylight
  CHECK(us_eastern_utc_offset_minutes(day("2026-11-01"), 90) == -240);  // the first 1:30
  CHECK(us_eastern_utc_offset_minutes(day("2026-11-01"), 120) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2026-11-02")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2026-12-31")) == -300);
  // Other years: 2025 (March 9 - November 2), 2024 leap year (March 10 - November 3),
  // 2027 (March 14 - November 7), and a year whose March 1 is a Sunday (2037: March 8).
  CHECK(us_eastern_utc_offset_minutes(day("2025-03-09")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2025-03-10")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2025-11-02")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2025-11-03")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2024-03-10")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2024-03-11")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2024-11-03")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2024-11-04")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2027-03-14"), 0) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2027-03-15")) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2027-11-07"), 0) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2027-11-08")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2037-03-01")) == -300);
  CHECK(us_eastern_utc_offset_minutes(day("2037-03-08"), 180) == -240);
  CHECK(us_eastern_utc_offset_minutes(day("2037-03-07")) == -300);

  CHECK(format_w3c_us_eastern(day("2025-12-15")) == "2025-12-15T00:00:00-05:00");
  CHECK(format_w3c_us_eastern(day("2026-06-30")) == "2026-06-30T00:00:00-04:00");
  CHECK(format_w3c_us_eastern(day("2026-06-30"), 17 * 60 + 30) == "2026-06-30T17:30:00-04:00");
  // The same instant read back: midnight EDT is 04:00 UTC.
  CHECK(parse_w3c_datetime(format_w3c_us_eastern(day("2026-06-30"))) ==
        parse_w3c_datetime("2026-06-30T04:00:00Z"));
}
