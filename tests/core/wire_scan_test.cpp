#include <catch2/catch.hpp>

#include "psc/protocol.hpp"
#include "psc/wire_scan.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

// What the general decoder makes of a JSON array of changes: every change,
// or nullopt when it refuses the text or any entry.
std::optional<std::vector<Change>> reference(const std::string& text) {
  const json array = json::parse(text, nullptr, false);
  if (!array.is_array()) return std::nullopt;
  std::vector<Change> out;
  for (const auto& entry : array) {
    auto change = change_from_json(entry);
    if (!change) return std::nullopt;
    out.push_back(change.value());
  }
  return out;
}

// The scanner may decline what it does not read itself (the caller then
// uses the general decoder), but what it reads must be what that gives.
void check_never_differs(const std::string& text) {
  INFO(text);
  const auto scanned = scan_change_array(text);
  if (!scanned) return;
  const auto expected = reference(text);
  REQUIRE(expected);
  CHECK(*scanned == *expected);
}

// ... and the shapes devices and the server write are read by the scanner itself.
void check_read(const std::string& text) {
  INFO(text);
  const auto expected = reference(text);
  REQUIRE(expected);
  const auto scanned = scan_change_array(text);
  REQUIRE(scanned);
  CHECK(*scanned == *expected);
  // Each change's own text, as a device forwards it, reads back as that change.
  std::vector<std::string_view> texts;
  const auto with_texts = scan_change_array(text, &texts);
  REQUIRE(with_texts);
  REQUIRE(texts.size() == expected->size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto alone = scan_change_array("[" + std::string(texts[i]) + "]");
    REQUIRE(alone);
    CHECK(alone->front() == (*expected)[i]);
  }
}

std::string with_title(const std::string& encoded_title) {
  return R"([{"actor":"test","base":[],"device":"dev-a","field":"title","hlc":"0000000000010000",)"
         R"("id":"0000000000010000@dev-a","record":"p1","type":"priority","value":)" +
         encoded_title + "}]";
}

}  // namespace

TEST_CASE("the wire scanner reads change arrays exactly as the json decoder does") {
  std::vector<Change> changes = test::seed_neighborhoods();
  for (const json& value : {json("Caf\u00e9 \"quoted\" back\\slash\nnew line\ttab \U0001F600"), json(42),
                            json(-7), json(0), json(INT64_MIN), json(18446744073709551615ull), json(true),
                            json(false), json(nullptr), json(""), json(std::string(1, '\x01'))})
    changes.push_back(
        test::make_change("priority", "p1", "title", value, 5, "dev-a", {"00000000000a0000@dev-b"}));
  json array = json::array();
  for (const auto& c : changes) array.push_back(change_to_json(c));

  // As the core encodes them, pretty-printed, and one by one.
  check_read(array.dump());
  check_read(array.dump(2));
  check_read("[]");
  check_read(" [ ] ");
  for (const auto& entry : array) check_read(json::array({entry}).dump());
  const auto scanned = scan_change_array(array.dump());
  REQUIRE(scanned);
  CHECK(*scanned == changes);

  // Escapes as JSON.stringify and other writers use them.
  check_read(with_title(R"("caf\u00e9 \/ \"x\" \ud83d\ude00 \b\f\r")"));
  check_read(with_title(R"("\u0000")"));
  // Keys in another order (as a browser may store them).
  check_read(R"([{"value":"x","base":[],"actor":"test","device":"dev-a","hlc":"0000000000010000",)"
             R"("field":"title","record":"p1","type":"priority","id":"0000000000010000@dev-a"}])");

  // Refused or left to the general decoder; never read differently.
  for (const std::string title : {R"("\ud83d")",
                                  R"("\ude00")",
                                  R"("\ud83d\u0041")",
                                  R"("\x")",
                                  R"("\u12")",
                                  "\"\xC0\x80\"",
                                  "\"\xED\xA0\x80\"",
                                  "\"\xF5\x80\x80\x80\"",
                                  "\"\xE2\x82\"",
                                  "\"\x80\"",
                                  "\"tab\there\"",
                                  "01",
                                  "-",
                                  "2.5",
                                  "1e3",
                                  "1.0",
                                  "18446744073709551616",
                                  "-9223372036854775809",
                                  "[1]",
                                  "{}",
                                  "tru",
                                  "nul",
                                  "\"unterminated"})
    check_never_differs(with_title(title));
  const std::string good = array.dump();
  for (const std::string& text : std::vector<std::string>{
           good + ",", good + "]", "[" + good.substr(1, good.size() - 2) + ",]",
           good.substr(0, good.size() - 1), "\xEF\xBB\xBF" + good, "[1]", "{}", "", "[", "x"})
    check_never_differs(text);
  // A repeated key: the json decoder keeps the last; the scanner declines.
  check_never_differs(
      R"([{"value":"x","value":7,"base":[],"actor":"test","device":"dev-a","hlc":"0000000000010000",)"
      R"("field":"title","record":"p1","type":"priority","id":"0000000000010000@dev-a"}])");
  CHECK_FALSE(scan_change_array(with_title(R"("\ud83d")")));
  CHECK_FALSE(scan_change_array(with_title("\"\xC0\x80\"")));
}

TEST_CASE("every truncation of a page is refused, never misread") {
  std::vector<Change> changes = {test::seed_neighborhoods().front()};
  changes.push_back(test::make_change("priority", "p1", "title", "Caf\u00e9 \"x\"", 5, "dev-a",
                                      {"00000000000a0000@dev-b"}));
  const std::string page = encode(ChangesPage{changes, 12, true});
  const auto whole = scan_changes_page(page);
  REQUIRE(whole);
  CHECK(whole->changes == changes);
  CHECK(whole->cursor == 12);
  CHECK(whole->more);
  for (std::size_t n = 0; n < page.size(); ++n) {
    INFO(n);
    CHECK_FALSE(scan_changes_page(page.substr(0, n)));
    CHECK_FALSE(decode_server_message(page.substr(0, n)));
  }
}

TEST_CASE("a push framed around checked change text decodes as the push of those changes") {
  std::vector<Change> changes = {test::seed_neighborhoods().front(),
                                 test::make_change("priority", "p1", "title", "Caf\u00e9", 5, "dev-a")};
  json array = json::array();
  for (const auto& c : changes) array.push_back(change_to_json(c));
  for (const std::string batch : {"b1", "quote \" \u00e9"}) {
    const PushFrame frame = push_frame(batch);
    CHECK(frame.head + array.dump() + frame.tail == encode(Push{batch, changes, {}}));
    // The text a browser sends: its own JSON of the stored changes (any key order, any spacing).
    const std::string sent = frame.head + array.dump(1) + frame.tail;
    const auto push = scan_push(sent);
    REQUIRE(push);
    CHECK(push->batch == batch);
    CHECK(push->changes == changes);
  }
}
