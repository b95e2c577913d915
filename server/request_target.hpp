// A request target ("/open311/v2/requests.json?status=open&start_date=...")
// as its path and its query parameters, decoded as browsers and HTTP clients
// encode them (percent-escapes, '+' for a space), by Boost.URL: the one
// query parser of the server's handlers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace psc::server {

struct RequestTarget {
  std::string path;                           // not decoded: routes compare it as sent
  std::map<std::string, std::string> params;  // decoded; a key given twice keeps its last value
};

// nullopt when `target` is not an origin-form target (RFC 9112 3.2.1):
// a stray '%' escape, spaces, a fragment.
std::optional<RequestTarget> parse_request_target(std::string_view target);

}  // namespace psc::server
