#include "health_probe.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace psc::load {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::optional<nlohmann::json> fetch_health(uint16_t port) {
  try {
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), port));
    http::request<http::empty_body> request{http::verb::get, "/health", 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    if (response.result() != http::status::ok) return std::nullopt;
    auto body = nlohmann::json::parse(response.body(), nullptr, false);
    if (body.is_discarded()) return std::nullopt;
    return body;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace psc::load
