#include "client_address.hpp"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

namespace psc::server {

namespace {

bool trusted(std::string_view address, const std::vector<std::string>& proxies) {
  return std::find(proxies.begin(), proxies.end(), address) != proxies.end();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  if (forwarded_for.empty() || !trusted(peer, trusted_proxies)) return std::string(peer);
  // Right to left: each hop appended the address it received from.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(hop), ec);
    if (ec) return std::string(peer);  // garbage: believe nothing of it
    const std::string text = address.to_string();
    if (!trusted(text, trusted_proxies)) return text;
  }
  return std::string(peer);  // every hop a trusted proxy
}

}  // namespace psc::server
