// client_address(): X-Forwarded-For believed only from trusted proxies, read
// right to left, and never when it is not an address.
#include <catch2/catch.hpp>

#include "client_address.hpp"

using psc::server::client_address;

TEST_CASE("X-Forwarded-For from an untrusted peer is ignored") {
  CHECK(client_address("192.0.2.1", "203.0.113.7", {}) == "192.0.2.1");
  CHECK(client_address("192.0.2.1", "203.0.113.7", {"10.0.0.5"}) == "192.0.2.1");
}

TEST_CASE("a trusted proxy's header names the client: the right-most address not itself a proxy") {
  const std::vector<std::string> proxies = {"10.0.0.5", "10.0.0.6"};
  CHECK(client_address("10.0.0.5", "", proxies) == "10.0.0.5");
  CHECK(client_address("10.0.0.5", "203.0.113.7", proxies) == "203.0.113.7");
  // The client wrote the left part; the proxy appended the right one.
  CHECK(client_address("10.0.0.5", "198.51.100.4, 203.0.113.7", proxies) == "203.0.113.7");
  // Two proxies in a row.
  CHECK(client_address("10.0.0.5", "203.0.113.7,10.0.0.6", proxies) == "203.0.113.7");
  CHECK(client_address("10.0.0.5", "10.0.0.6, 10.0.0.5", proxies) == "10.0.0.5");
  CHECK(client_address("10.0.0.5", " 2001:db8::1 ", proxies) == "2001:db8::1");
}

TEST_CASE("what is not an address is not believed") {
  const std::vector<std::string> proxies = {"10.0.0.5"};
  CHECK(client_address("10.0.0.5", "not-an-address", proxies) == "10.0.0.5");
  CHECK(client_address("10.0.0.5", "203.0.113.7, unknown", proxies) == "10.0.0.5");
  CHECK(client_address("10.0.0.5", ",", proxies) == "10.0.0.5");
  CHECK(client_address("10.0.0.5", "203.0.113.7:443", proxies) == "10.0.0.5");
}
