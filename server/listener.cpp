#include "listener.hpp"

#include "http_session.hpp"
#include "log.hpp"

namespace psc::server {

Listener::Listener(net::io_context& ioc, const net::ip::tcp::endpoint& endpoint, ServerContext& context,
                   net::ssl::context* tls)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), context_(context), tls_(tls) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() { do_accept(); }

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::beast::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // stopped
  if (ec) {
    log_error("accept: " + ec.message());  // e.g. out of file descriptors; keep accepting
  } else {
    // Small messages (acks, one-change live pages) go out at once instead of
    // waiting for the device's delayed ACK (~40 ms on Linux) under Nagle.
    boost::system::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    if (tls_)
      std::make_shared<HttpSession<boost::beast::ssl_stream<boost::beast::tcp_stream>>>(
          context_, std::move(socket), *tls_)
          ->run();
    else
      std::make_shared<HttpSession<boost::beast::tcp_stream>>(context_, std::move(socket))->run();
  }
  if (acceptor_.is_open()) do_accept();
}

}  // namespace psc::server
