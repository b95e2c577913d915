// The network thread only moves bytes (work_pool.hpp): SQLite, password
// hashing and exports run on the worker pool. To keep it that way, the
// network thread marks itself while it runs, and every store connection is
// taken through forbid_on_network_thread(): a code path that forgot the
// worker pool fails its one request (internal_error, logged) in every test
// that reaches it, instead of quietly stalling every device in production.
#pragma once

namespace psc::server {

// Marks the calling thread as the network thread for the object's lifetime.
class NetworkThreadMark {
 public:
  NetworkThreadMark();
  ~NetworkThreadMark();
  NetworkThreadMark(const NetworkThreadMark&) = delete;
  NetworkThreadMark& operator=(const NetworkThreadMark&) = delete;
};

bool on_network_thread();

// Throws std::logic_error naming `what` when called on the network thread.
void forbid_on_network_thread(const char* what);

}  // namespace psc::server
