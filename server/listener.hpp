// Listener: accepts TCP connections and starts an HttpSession on its own strand.
#pragma once

#include <memory>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>

#include "server_context.hpp"

namespace psc::server {

namespace net = boost::asio;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens. Throws boost::system::system_error if it cannot.
  // With `tls` every connection is TLS (HTTPS and WSS); without, plain.
  Listener(net::io_context& ioc, const net::ip::tcp::endpoint& endpoint, ServerContext& context,
           net::ssl::context* tls = nullptr);
  void run();
  void stop();
  net::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, net::ip::tcp::socket socket);

  net::io_context& ioc_;
  net::ip::tcp::acceptor acceptor_;
  ServerContext& context_;
  net::ssl::context* tls_;
};

}  // namespace psc::server
