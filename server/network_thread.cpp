#include "network_thread.hpp"

#include <stdexcept>
#include <string>

namespace psc::server {

namespace {
thread_local bool is_network_thread = false;
}

NetworkThreadMark::NetworkThreadMark() { is_network_thread = true; }
NetworkThreadMark::~NetworkThreadMark() { is_network_thread = false; }

bool on_network_thread() { return is_network_thread; }

void forbid_on_network_thread(const char* what) {
  if (is_network_thread)
    throw std::logic_error(std::string(what) +
                           " on the network thread (a bug: it belongs on the worker pool)");
}

}  // namespace psc::server
