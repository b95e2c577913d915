// The HTTP API's handlers called directly, with a real AccountStore on a
// temporary SQLite file and a fake clock (ServerContext::clock): what
// depends on time — kiosk tokens ending after a meeting day, kiosk codes
// after 30 minutes, the sign-in throttle's growing waits — is checked by
// moving the clock, not by sleeping.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include <boost/beast/core.hpp>
#include <nlohmann/json.hpp>

#include "api_handlers.hpp"

namespace psc::server {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
using nlohmann::json;

constexpr int64_t kStart = 1'780'000'000'000;  // the fake clock's first reading
constexpr const char* kPassword = "correct horse battery";

struct Answer {
  unsigned status = 0;
  json body;
  std::string retry_after;
};

// A server's context without the network: accounts on a temporary file, the
// time wherever the test sets it.
struct ApiHarness {
  fs::path dir;
  std::unique_ptr<AccountStore> accounts;
  ServerContext ctx;
  int64_t now = kStart;

  ApiHarness() {
    std::random_device random;
    dir = fs::temp_directory_path() / ("psc-api-test-" + std::to_string(random()));
    fs::create_directories(dir);
    accounts = std::make_unique<AccountStore>((dir / "psc.sqlite").string());
    ctx.accounts = accounts.get();
    ctx.clock = [this] { return now; };
    REQUIRE(accounts->create_account("ana", Role::organizer, "frog-hollow", "", kPassword, now));
  }
  ~ApiHarness() { fs::remove_all(dir); }

  Answer call(http::verb method, const std::string& target, const json& body = nullptr,
              const std::string& token = "", const std::string& device = "tablet-1",
              const std::string& address = "10.0.0.7") {
    http::request<http::string_body> req{method, target, 11};
    if (!body.is_null()) req.body() = body.dump();
    if (!token.empty()) {
      req.set(http::field::authorization, "Bearer " + token);
      req.set("X-PSC-Device", device);
    }
    req.prepare_payload();
    Response response = handle_api_request(req, address, ctx);
    Answer answer;
    answer.status = response.status();
    // Serialize what would go on the wire, then read it back as a client does.
    http::message_generator message = response.take();
    std::string wire;
    beast::error_code ec;
    while (!message.is_done()) {
      const auto buffers = message.prepare(ec);
      REQUIRE(!ec);
      const std::size_t n = beast::buffer_bytes(buffers);
      wire += beast::buffers_to_string(buffers);
      message.consume(n);
    }
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.put(boost::asio::buffer(wire), ec);
    REQUIRE(!ec);
    REQUIRE(parser.is_done());
    REQUIRE(parser.get().result_int() == answer.status);
    answer.body = json::parse(parser.get().body(), nullptr, false);
    answer.retry_after = std::string(parser.get()[http::field::retry_after]);
    return answer;
  }

  std::string sign_in(const std::string& device = "tablet-1") {
    Answer a = call(http::verb::post, "/api/login",
                    {{"username", "ana"}, {"password", kPassword}, {"device", device}});
    REQUIRE(a.status == 200);
    return a.body["token"];
  }
};

TEST_CASE("a kiosk token works for one meeting day, then signs the kiosk out", "[api][clock]") {
  ApiHarness api;
  const std::string organizer = api.sign_in();
  Answer code = api.call(http::verb::post, "/api/kiosk-codes", json::object(), organizer);
  REQUIRE(code.status == 200);
  CHECK(code.body["expires_at"] == kStart + 30 * 60 * 1000);

  Answer kiosk =
      api.call(http::verb::post, "/api/kiosk-login", {{"code", code.body["code"]}, {"device", "kiosk-1"}});
  REQUIRE(kiosk.status == 200);
  const std::string token = kiosk.body["token"];
  CHECK(api.call(http::verb::get, "/api/me", nullptr, token, "kiosk-1").status == 200);

  api.now = kStart + AccountStore::kKioskTokenValidMs - 1;
  CHECK(api.call(http::verb::get, "/api/me", nullptr, token, "kiosk-1").status == 200);
  api.now = kStart + AccountStore::kKioskTokenValidMs;
  Answer late = api.call(http::verb::get, "/api/me", nullptr, token, "kiosk-1");
  CHECK(late.status == 401);
  CHECK(late.body["error"] == "unauthorized");
  // The organizer's own token has no end: a tablet may stay offline for weeks.
  api.now = kStart + 90LL * 24 * 60 * 60 * 1000;
  CHECK(api.call(http::verb::get, "/api/me", nullptr, organizer).status == 200);
}

TEST_CASE("a kiosk code is good for 30 minutes and once", "[api][clock]") {
  ApiHarness api;
  const std::string organizer = api.sign_in();
  auto issue = [&] {
    Answer a = api.call(http::verb::post, "/api/kiosk-codes", json::object(), organizer);
    REQUIRE(a.status == 200);
    return a.body["code"].get<std::string>();
  };
  const std::string stale = issue();
  api.now += 30 * 60 * 1000;
  Answer expired = api.call(http::verb::post, "/api/kiosk-login", {{"code", stale}, {"device", "kiosk-1"}});
  CHECK(expired.status == 401);

  const std::string fresh = issue();
  api.now += 30 * 60 * 1000 - 1;
  CHECK(api.call(http::verb::post, "/api/kiosk-login", {{"code", fresh}, {"device", "kiosk-2"}}).status ==
        200);
  CHECK(api.call(http::verb::post, "/api/kiosk-login", {{"code", fresh}, {"device", "kiosk-3"}}).status ==
        401);
}

TEST_CASE("wrong passwords: free at first, then waits that grow, and time ends each wait", "[api][clock]") {
  ApiHarness api;
  const json wrong = {{"username", "ana"}, {"password", "not it"}, {"device", "tablet-1"}};
  for (int i = 0; i < LoginThrottle::kFreeFailures; ++i)
    REQUIRE(api.call(http::verb::post, "/api/login", wrong).status == 401);

  // Past the free failures, each one locks the (account, address) pair for longer.
  int64_t previous_wait = 0;
  for (int round = 0; round < 3; ++round) {
    Answer refused = api.call(http::verb::post, "/api/login", wrong);
    if (refused.status == 401) refused = api.call(http::verb::post, "/api/login", wrong);
    REQUIRE(refused.status == 429);
    CHECK(refused.body["error"] == "too_many_attempts");
    const int64_t wait = refused.body["retry_after_ms"];
    CHECK(wait > previous_wait);
    CHECK(refused.retry_after == std::to_string((wait + 999) / 1000));
    // Even the right password is not checked while the wait lasts...
    api.now += wait - 1;
    CHECK(api.call(http::verb::post, "/api/login",
                   {{"username", "ana"}, {"password", kPassword}, {"device", "tablet-1"}})
              .status == 429);
    // ...and a wrong one is checked (and refused) again once it is over.
    api.now += 1;
    CHECK(api.call(http::verb::post, "/api/login", wrong).status == 401);
    previous_wait = wait;
  }
  // Another address is not locked out by this one's failures.
  CHECK(api.call(http::verb::post, "/api/login",
                 {{"username", "ana"}, {"password", kPassword}, {"device", "tablet-2"}}, "", "", "10.0.0.8")
            .status == 200);
}

}  // namespace
}  // namespace psc::server
