#include <catch2/catch.hpp>

#include "psc/change.hpp"
#include "psc/record_id.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

TEST_CASE("a change id is hlc@device") {
  const Change c = test::make_change("priority", "p1", "title", "Lights", 0x10, "dev-a", {}, 2);
  CHECK(c.id() == "0000000000100002@dev-a");
}

TEST_CASE("a change round-trips through its canonical JSON") {
  const Change c = test::make_change("priority", "p1", "title", "Café on Park St", 1234, "dev-a",
                                     {"00000000000a0000@dev-b"});
  const std::string text = encode_change(c);
  auto back = change_from_json(json::parse(text));
  REQUIRE(back);
  CHECK(back.value() == c);
  CHECK(encode_change(back.value()) == text);
}

TEST_CASE("encode_change writes exactly what nlohmann's dump of change_to_json writes") {
  // encode_change writes the canonical form directly (it is on the server's
  // commit path); the bytes must never differ from the json object's dump.
  const std::vector<json> values = {"plain",
                                    "",
                                    "quote \" and backslash \\",
                                    "line\nbreak\ttab\r\b\f",
                                    std::string("ctrl \x01 \x1f del \x7f"),
                                    "Caf\u00e9 \u2713 \U0001F600",
                                    "</script>",
                                    0,
                                    42,
                                    -7,
                                    18446744073709551615ull,
                                    -9223372036854775807ll - 1,
                                    3.25,
                                    0.1,
                                    1e-7,
                                    -2.5e300,
                                    1.0,
                                    true,
                                    false,
                                    nullptr};
  const std::vector<std::vector<std::string>> bases = {
      {},
      {"00000000000a0000@dev-b"},
      {"00000000000a0000@dev-b", "00000000000b0001@dev-c", "0000ffffffffffff@x"}};
  const std::vector<std::string> actors = {"ana", "Jos\u00e9 \"JJ\" P\u00e9rez", ""};
  int checked = 0;
  for (const auto& value : values)
    for (const auto& base : bases)
      for (const auto& actor : actors) {
        Change c = test::make_change("priority", "p1", "title", value, 0xfedcba987654ull, "dev.a:1_-Z", base,
                                     0xabcd);
        c.actor = actor;
        INFO(change_to_json(c).dump());
        CHECK(encode_change(c) == change_to_json(c).dump());
        // A store keeps the value as its text and re-encodes from that; the
        // text parses back to a value that encodes to the same bytes.
        const std::string value_text = encode_value(c.value);
        CHECK(value_text == c.value.dump());
        Change without_value = c;
        without_value.value = "ignored";
        CHECK(encode_change(without_value, value_text) == encode_change(c));
        CHECK(encode_value(json::parse(value_text)) == value_text);
        ++checked;
      }
  CHECK(checked == static_cast<int>(values.size() * bases.size() * actors.size()));
  // Hlc text at the extremes.
  Change c = test::make_change("priority", "p1", "_deleted", true, 0, "d", {}, 0);
  CHECK(encode_change(c) == change_to_json(c).dump());
  c.hlc = Hlc{Hlc::kMaxMillis, Hlc::kMaxCounter};
  CHECK(encode_change(c) == change_to_json(c).dump());
}

TEST_CASE("change decoding is strict") {
  const json good = change_to_json(test::make_change("priority", "p1", "title", "x", 1, "dev-a"));
  auto with = [&](const std::string& key, json value) {
    json j = good;
    j[key] = std::move(value);
    return change_from_json(j);
  };
  auto without = [&](const std::string& key) {
    json j = good;
    j.erase(key);
    return change_from_json(j);
  };
  CHECK(change_from_json(good));
  CHECK_FALSE(change_from_json(json::array()));
  CHECK_FALSE(without("hlc"));
  CHECK_FALSE(without("base"));
  CHECK_FALSE(with("extra", 1));
  CHECK_FALSE(with("hlc", "not-a-stamp"));
  CHECK_FALSE(with("hlc", 12));
  CHECK_FALSE(with("value", json::object()));
  CHECK_FALSE(with("value", json::array({1})));
  CHECK_FALSE(with("record", "has space"));
  CHECK_FALSE(with("record", std::string(65, 'a')));
  CHECK_FALSE(with("device", ""));
  CHECK_FALSE(with("field", "Title"));
  CHECK_FALSE(with("base", json::array({"nonsense"})));
  CHECK_FALSE(with("id", "0000000000000001@dev-b"));  // id must match hlc@device
  auto bad = with("hlc", "zz");
  CHECK(bad.status().code() == "invalid_change");
  CHECK_FALSE(bad.status().message().empty());
}

TEST_CASE("record ids are 32 hex digits from the given bits") {
  CHECK(new_record_id(0x0123456789abcdefULL, 0xfedcba9876543210ULL) == "0123456789abcdeffedcba9876543210");
  CHECK(is_valid_record_id("frog-hollow"));
  CHECK_FALSE(is_valid_record_id(""));
  CHECK_FALSE(is_valid_record_id("a/b"));
}
