#include <catch2/catch.hpp>

#include "psc/protocol.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {
template <typename T>
T decode_as_client(const std::string& text) {
  auto m = decode_client_message(text);
  REQUIRE(m);
  REQUIRE(std::holds_alternative<T>(m.value()));
  return std::get<T>(m.value());
}
template <typename T>
T decode_as_server(const std::string& text) {
  auto m = decode_server_message(text);
  REQUIRE(m);
  REQUIRE(std::holds_alternative<T>(m.value()));
  return std::get<T>(m.value());
}
std::string error_code(const std::string& text) {
  auto m = decode_client_message(text);
  REQUIRE_FALSE(m);
  CHECK_FALSE(m.status().message().empty());
  return m.status().code();
}
}  // namespace

TEST_CASE("every message round-trips through the codec") {
  Hello hello{kProtocolVersion, "dev-a", "secret", 42, 3, "0123456789abcdef"};
  const Hello h = decode_as_client<Hello>(encode(hello));
  CHECK(h.device == "dev-a");
  CHECK(h.token == "secret");
  CHECK(h.cursor == 42);
  CHECK(h.unsynced == 3);
  CHECK(h.epoch == "0123456789abcdef");
  // The epoch is optional: a device that has none sends no key.
  CHECK(encode(Hello{kProtocolVersion, "dev-a", "secret", 0, 0, ""}).find("epoch") == std::string::npos);
  CHECK(decode_as_client<Hello>(encode(Hello{kProtocolVersion, "dev-a", "secret", 0, 0, ""})).epoch.empty());

  Push push{"b1", {test::make_change("priority", "p1", "title", "x", 1, "dev-a")}, {}};
  const Push p = decode_as_client<Push>(encode(push));
  CHECK(p.batch == "b1");
  CHECK(p.changes == push.changes);

  const Welcome w = decode_as_server<Welcome>(encode(
      Welcome{1, 123456, "dev-a", "ana", "organizer", "frog-hollow", "", 1000, 500, "0123456789abcdef", 7}));
  CHECK(w.server_time == 123456);
  CHECK(w.role == "organizer");
  CHECK(w.neighborhood == "frog-hollow");
  CHECK(w.epoch == "0123456789abcdef");
  CHECK(w.cursor == 7);

  ChangesPage page{push.changes, 7, true};
  const ChangesPage cp = decode_as_server<ChangesPage>(encode(page));
  CHECK(cp.changes == page.changes);
  CHECK(cp.cursor == 7);
  CHECK(cp.more);

  const Ack a = decode_as_server<Ack>(encode(Ack{"b1", {"x@y"}, {{"z@y", "invalid_field", "bad"}}}));
  CHECK(a.accepted == std::vector<std::string>{"x@y"});
  CHECK(a.rejected == std::vector<Rejection>{{"z@y", "invalid_field", "bad"}});

  const ErrorMessage e = decode_as_server<ErrorMessage>(encode(ErrorMessage{"too_large", "big"}));
  CHECK(e.code == "too_large");
}

TEST_CASE("a changes page built from stored text equals the encoded page") {
  const auto changes = test::seed_neighborhoods();
  std::string joined;
  for (const auto& c : changes) joined += (joined.empty() ? "" : ",") + encode_change(c);
  const std::string text = encode_changes_page(joined, 9, false);
  const ChangesPage page = decode_as_server<ChangesPage>(text);
  CHECK(page.changes == changes);
  CHECK(page.cursor == 9);
  CHECK(json::parse(text) == json::parse(encode(ChangesPage{changes, 9, false})));
}

TEST_CASE("bad client messages are error values with clear codes") {
  CHECK(error_code("") == "malformed_json");
  CHECK(error_code("{not json") == "malformed_json");
  CHECK(error_code("[1,2]") == "malformed_message");
  CHECK(error_code(R"({"type":7})") == "malformed_message");
  CHECK(error_code(R"({"type":"launch"})") == "unknown_type");
  CHECK(error_code(R"({"type":"hello","version":1,"device":"d","token":"","cursor":0})") ==
        "malformed_message");
  CHECK(error_code(R"({"type":"hello","version":2,"device":"d","token":"","cursor":0,"unsynced":0})") ==
        "unsupported_version");
  CHECK(error_code(R"({"type":"hello","version":1,"device":"d","token":"","cursor":-1,"unsynced":0})") ==
        "malformed_message");
  CHECK(error_code(
            R"({"type":"hello","version":1,"device":"bad device","token":"","cursor":0,"unsynced":0})") ==
        "malformed_message");
  CHECK(error_code(R"({"type":"hello","version":1,"device":"d","token":"","cursor":0,"unsynced":0,"x":1})") ==
        "malformed_message");
  CHECK(error_code(R"({"type":"push","batch":"b","changes":{}})") == "malformed_message");
  CHECK(error_code(std::string(kMaxMessageBytes + 1, ' ')) == "too_large");
  CHECK(error_code("\"\xff\xfe\"") == "malformed_json");
}

TEST_CASE("a push with some undecodable changes keeps the good ones and names the bad") {
  json good = change_to_json(test::make_change("priority", "p1", "title", "x", 1, "dev-a"));
  json bad = good;
  bad["hlc"] = "nope";
  const std::string text = json{{"type", "push"}, {"batch", "b"}, {"changes", {good, bad, 5}}}.dump();
  const Push p = decode_as_client<Push>(text);
  REQUIRE(p.changes.size() == 1);
  REQUIRE(p.malformed.size() == 2);
  CHECK(p.malformed[0].change == good["id"]);
  CHECK(p.malformed[0].code == "invalid_change");
  CHECK(p.malformed[1].change == "#2");
}

namespace {
// What the general (json object) decoder makes of a push's or a page's
// changes: the reference the streaming decoder must match.
std::vector<Result<Change>> reference_changes(const std::string& text) {
  std::vector<Result<Change>> out;
  const json message = json::parse(text);
  for (const auto& entry : message["changes"]) out.push_back(change_from_json(entry));
  return out;
}

void check_same_as_reference(const std::string& text) {
  INFO(text);
  const auto reference = reference_changes(text);
  std::vector<Change> good;
  std::size_t bad = 0;
  for (const auto& r : reference) {
    if (r)
      good.push_back(r.value());
    else
      ++bad;
  }
  const Push p = decode_as_client<Push>(R"({"type":"push","batch":"b",)" + text.substr(1));
  CHECK(p.changes == good);
  CHECK(p.malformed.size() == bad);
  if (bad == 0) {
    const ChangesPage page =
        decode_as_server<ChangesPage>(R"({"type":"changes","cursor":5,"more":true,)" + text.substr(1));
    CHECK(page.changes == good);
    CHECK(page.cursor == 5);
    CHECK(page.more);
  } else {
    CHECK_FALSE(decode_server_message(R"({"type":"changes","cursor":5,"more":true,)" + text.substr(1)));
  }
}
}  // namespace

TEST_CASE("the streaming decoder of pushes and pages agrees with the json object decoder") {
  const json good = change_to_json(
      test::make_change("priority", "p1", "title", "x", 1, "dev-a", {"00000000000a0000@dev-b"}));
  std::vector<json> variants;
  for (const json& value :
       {json("Caf\u00e9 \"quoted\"\n"), json(42), json(-7), json(18446744073709551615ull), json(2.5),
        json(1.0), json(true), json(nullptr), json::object(), json::array({1}), json::array()})
    variants.push_back([&] {
      json j = good;
      j["value"] = value;
      return j;
    }());
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, json>>{{"hlc", "not-a-stamp"},
                                                 {"hlc", 12},
                                                 {"record", "has space"},
                                                 {"record", std::string(65, 'a')},
                                                 {"type", "Bad Type"},
                                                 {"field", "_deleted"},
                                                 {"field", "bad-field"},
                                                 {"device", "bad device"},
                                                 {"actor", std::string(201, 'a')},
                                                 {"actor", 5},
                                                 {"id", "0000000000010000@other"},
                                                 {"base", "x"},
                                                 {"base", json::array({1})},
                                                 {"base", json::array({"nope"})},
                                                 {"base", json::array({json::array()})},
                                                 {"base", json::object()},
                                                 {"extra", 1}})
    variants.push_back([&, k = key, v = value] {
      json j = good;
      j[k] = v;
      return j;
    }());  // clang 14: no captured bindings
  variants.push_back([&] {
    json j = good;
    j.erase("base");
    return j;
  }());
  json many_bases = good;
  many_bases["base"] = json::array();
  for (int i = 0; i < 65; ++i) many_bases["base"].push_back("00000000000a0000@dev-b");
  variants.push_back(many_bases);
  variants.push_back(5);
  variants.push_back("a string");

  for (const auto& variant : variants) check_same_as_reference(json{{"changes", {good, variant}}}.dump());
  check_same_as_reference(json{{"changes", json::array()}}.dump());

  // Keys in another order (as the web client sends them) and a repeated key
  // (the json decoder keeps the last).
  const std::string id = good["id"];
  check_same_as_reference(
      R"({"changes":[{"value":"x","base":[],"actor":"test","device":"dev-a","hlc":"0000000000010000",)"
      R"("field":"title","record":"p1","type":"priority","id":"0000000000010000@dev-a"}]})");
  check_same_as_reference(
      R"({"changes":[{"value":"x","value":7,"base":[],"actor":"test","device":"dev-a","hlc":"0000000000010000",)"
      R"("field":"title","record":"p1","type":"priority","id":"0000000000010000@dev-a"}]})");

  // Envelopes the streaming decoder leaves to the general one.
  CHECK(error_code(R"({"type":"push","batch":"b","changes":[],"extra":1})") == "malformed_message");
  CHECK(error_code(R"({"type":"push","batch":")" + std::string(129, 'b') + R"(","changes":[]})") ==
        "malformed_message");
  CHECK(decode_as_client<Push>(R"({"batch":"b","type":"push","changes":[],"batch":"c"})").batch == "c");
  CHECK_FALSE(decode_server_message(R"({"type":"changes","changes":[],"cursor":-1,"more":false})"));
  CHECK_FALSE(decode_server_message(R"({"type":"changes","changes":[],"cursor":1.0,"more":false})"));
  CHECK_FALSE(
      decode_server_message(R"({"type":"changes","changes":[],"cursor":18446744073709551615,"more":false})"));
  CHECK_FALSE(decode_server_message(R"({"type":"changes","changes":[],"cursor":1,"more":1})"));
  CHECK(decode_as_server<ChangesPage>(
            R"({"more":false,"cursor":9223372036854775807,"changes":[],"type":"changes"})")
            .cursor == INT64_MAX);
}

TEST_CASE("push and changes pages are encoded as the json objects' dump, change by change") {
  std::vector<Change> changes = test::seed_neighborhoods();
  changes.push_back(test::make_change("priority", "p1", "title", "Caf\u00e9 \"x\"\n", 5, "dev-a",
                                      {"00000000000a0000@dev-b"}));
  changes.push_back(test::make_change("priority", "p1", "rank", 2.5, 6, "dev-a"));
  json array = json::array();
  for (const auto& c : changes) array.push_back(change_to_json(c));
  for (const std::string batch : {"b1", "quote \" \u00e9"}) {
    CHECK(encode(Push{batch, changes, {}}) ==
          json{{"type", "push"}, {"batch", batch}, {"changes", array}}.dump());
    CHECK(encode(Push{batch, {}, {}}) ==
          json{{"type", "push"}, {"batch", batch}, {"changes", json::array()}}.dump());
  }
  for (bool more : {true, false}) {
    CHECK(encode(ChangesPage{changes, 77, more}) ==
          json{{"type", "changes"}, {"changes", array}, {"cursor", 77}, {"more", more}}.dump());
    CHECK(encode(ChangesPage{{}, 0, more}) ==
          json{{"type", "changes"}, {"changes", json::array()}, {"cursor", 0}, {"more", more}}.dump());
  }
}
