// HTTP requests answered from the replica by the core: exports and the
// Open311 feed. They run on the commit pipeline's thread (which owns the
// replica) and answer asynchronously through `reply`.
//
//   GET /api/export/neighborhood/<slug>.json     GET /api/export/neighborhood/<slug>/<table>.csv
//   GET /api/export/meeting/<id>.json            GET /api/export/meeting/<id>/<table>.csv
//       (coordinators: any; organizers and viewers: their own neighborhood)
//   GET /open311/v2/services.json|.xml           GET /open311/v2/requests.json|.xml
//   GET /open311/v2/requests/<id>.json|.xml      (public, read-only; GeoReport v2 filters)
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/beast/http.hpp>

#include "http_responses.hpp"
#include "server_context.hpp"

namespace psc::server {

namespace http = boost::beast::http;

using Reply = std::function<void(std::shared_ptr<Response>)>;

bool is_query_request(const http::request<http::string_body>& request);
// Answers `request` by calling `reply` once, from any thread.
void handle_query_request(const http::request<http::string_body>& request, ServerContext& context,
                          Reply reply);

}  // namespace psc::server
