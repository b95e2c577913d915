// The address a request comes from, for per-address limits (sign-in
// throttle, sync connections per address). Behind a reverse proxy every
// request comes from the proxy; only a proxy named with --trusted-proxy is
// believed when it says, in X-Forwarded-For, whom it forwards for. The
// right-most address not itself a trusted proxy is the client (the ones to
// its left were written by the client and prove nothing).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace psc::server {

// `peer`: the TCP peer's address. `forwarded_for`: the X-Forwarded-For
// header ("" when absent). Falls back to `peer` when the peer is not trusted,
// the header is absent, or what it names is not an IP address.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace psc::server
