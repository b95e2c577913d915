// Offline hand-off: a tablet that never reconnects exports its unsynced
// changes to a file; anyone signed in uploads it here and the server takes the
// changes exactly as if that tablet had pushed them: same authorization (as
// the tablet's account), same validation, idempotent on change ids.
//
// The file: {"format":"psc-handoff","version":1,"device":D,
//            "payload":"<JSON text {\"account\",\"created_at\",\"changes\":[...]}>",
//            "mac":"<hex HMAC-SHA256 of the payload text>"}
// keyed with SHA-256 of the tablet's device token (which the server stores),
// so a tampered file, or one forged without the tablet's token, is refused.
//
//   POST /api/handoff  (Authorization: Bearer, X-PSC-Device of the uploader)
//   -> {"accepted":[ids], "already_stored":n, "rejected":[{change, code, message}]}
//      (already_stored: how many of accepted the server had before)
#pragma once

#include <boost/beast/http.hpp>

#include "query_handlers.hpp"
#include "server_context.hpp"

namespace psc::server {

bool is_handoff_request(const http::request<http::string_body>& request);
void handle_handoff_request(const http::request<http::string_body>& request, ServerContext& context,
                            Reply reply);

}  // namespace psc::server
