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
  Hello hello{kProtocolVersion, "dev-a", "secret", 42, 3};
  const Hello h = decode_as_client<Hello>(encode(hello));
  CHECK(h.device == "dev-a");
  CHECK(h.token == "secret");
  CHECK(h.cursor == 42);
  CHECK(h.unsynced == 3);

  Push push{"b1", {test::make_change("priority", "p1", "title", "x", 1, "dev-a")}, {}};
  const Push p = decode_as_client<Push>(encode(push));
  CHECK(p.batch == "b1");
  CHECK(p.changes == push.changes);

  const Welcome w = decode_as_server<Welcome>(encode(Welcome{1, 123456, "dev-a", "ana", "organizer", "frog-hollow", "", 1000, 500}));
  CHECK(w.server_time == 123456);
  CHECK(w.role == "organizer");
  CHECK(w.neighborhood == "frog-hollow");

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
  std::vector<std::string> encoded;
  for (const auto& c : changes) encoded.push_back(encode_change(c));
  const std::string text = encode_changes_page(encoded, 9, false);
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
  CHECK(error_code(R"({"type":"hello","version":1,"device":"d","token":"","cursor":0})") == "malformed_message");
  CHECK(error_code(R"({"type":"hello","version":2,"device":"d","token":"","cursor":0,"unsynced":0})") ==
        "unsupported_version");
  CHECK(error_code(R"({"type":"hello","version":1,"device":"d","token":"","cursor":-1,"unsynced":0})") ==
        "malformed_message");
  CHECK(error_code(R"({"type":"hello","version":1,"device":"bad device","token":"","cursor":0,"unsynced":0})") ==
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
