#include "query_handlers.hpp"
#include "clock.hpp"
#include "request_auth.hpp"
#include "request_target.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>

#include <nlohmann/json.hpp>

#include "http_responses.hpp"
#include "psc/exports.hpp"
#include "psc/open311.hpp"
#include "psc/record_id.hpp"
#include "psc/scope.hpp"
#include "reference_data.hpp"

namespace psc::server {

namespace {

using nlohmann::json;
using Request = http::request<http::string_body>;

std::shared_ptr<Response> share(Response m) { return std::make_shared<Response>(std::move(m)); }

Response csv_response(const Request& req, const std::string& filename, std::string body) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  add_security_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::content_type, "text/csv; charset=utf-8");
  res.set(http::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// /api/export/(neighborhood|meeting)/<id>(.json|/<table>.csv)
void export_request(const Request& req, const std::string& path, ServerContext& ctx, Reply reply) {
  auto who = authenticate_request(req, ctx);
  if (!who) return reply(share(json_error(req, http::status::unauthorized, "unauthorized", "sign in first")));
  if (who->role == Role::kiosk || who->role == Role::liaison)
    return reply(share(json_error(req, http::status::forbidden, "forbidden",
                                  "exports are for coordinators, organizers and viewers")));
  std::string rest = path.substr(std::string("/api/export/").size());
  const auto slash = rest.find('/');
  if (slash == std::string::npos)
    return reply(share(json_error(req, http::status::not_found, "not_found", "no such export")));
  const std::string kind = rest.substr(0, slash);
  rest = rest.substr(slash + 1);
  std::string id, table;
  if (rest.ends_with(".json"))
    id = rest.substr(0, rest.size() - 5);
  else if (const auto t = rest.find('/'); t != std::string::npos && rest.ends_with(".csv")) {
    id = rest.substr(0, t);
    table = rest.substr(t + 1, rest.size() - t - 1 - 4);
  }
  if ((kind != "neighborhood" && kind != "meeting") || !is_valid_record_id(id))
    return reply(share(json_error(req, http::status::not_found, "not_found", "no such export")));
  ctx.pipeline->query([req, kind, id, table, who = *who, reply](const Replica& replica) {
    const std::string scope = kind == "neighborhood" ? id : record_neighborhood(replica, "meeting", id);
    // What the account reads: its neighborhood's, and the leaders' meeting.
    if (!may_read(read_scope(who), "meeting", scope))
      return reply(
          share(json_error(req, http::status::forbidden, "forbidden", "that is outside your neighborhood")));
    const json doc = kind == "neighborhood" ? neighborhood_export(replica, id) : meeting_export(replica, id);
    if (doc.is_null())
      return reply(share(json_error(req, http::status::not_found, "not_found", "no " + kind + " " + id)));
    if (table.empty()) return reply(share(json_response(req, http::status::ok, doc.dump(2))));
    auto csv = export_table_csv(doc, table);
    if (!csv) return reply(share(json_error(req, http::status::not_found, "not_found", "no table " + table)));
    reply(share(csv_response(req, kind + "-" + id + "-" + table + ".csv", std::move(*csv))));
  });
}

// --- Open311 (public, read-only) ------------------------------------------
// Every answer under /open311/ — errors included — carries
// Access-Control-Allow-Origin: *, so any web page may read the feed; no
// other route does (the API is authenticated).

template <typename Body>
void add_open311_headers(http::response<Body>& res) {
  res.set(http::field::access_control_allow_origin, "*");
}

http::response<http::string_body> open311_response(const Request& req, http::status status, bool xml,
                                                   std::string body) {
  http::response<http::string_body> res{status, req.version()};
  add_security_headers(res);
  add_open311_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::content_type, xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// The spec's error document, with the HTTP status as its code.
http::response<http::string_body> open311_error(const Request& req, http::status status, bool xml,
                                                const std::string& description) {
  const int code = static_cast<int>(status);
  return open311_response(
      req, status, xml,
      xml ? open311_errors_xml(code, description)
          : open311_errors(code, description).dump(-1, ' ', false, json::error_handler_t::replace));
}

// A CORS preflight for the feed: GET from anywhere, no credentials.
Response open311_preflight(const Request& req) {
  http::response<http::empty_body> res{http::status::no_content, req.version()};
  add_security_headers(res);
  add_open311_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::access_control_allow_methods, "GET, OPTIONS");
  const std::string asked(req[http::field::access_control_request_headers]);
  res.set(http::field::access_control_allow_headers, asked.empty() ? std::string("Accept") : asked);
  res.set(http::field::access_control_max_age, "86400");
  res.prepare_payload();
  return res;
}

// The endpoint's own URL for the discovery document, from the Host the
// client used (checked: letters, digits, dots, dashes, colons, brackets),
// or a relative one when there is no usable Host.
std::string open311_endpoint_url(const Request& req, const ServerContext& ctx) {
  const std::string host(req[http::field::host]);
  const bool usable =
      !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' ||
               c == ']';
      });
  if (!usable) return "/open311/v2";
  return (ctx.options.tls_cert.empty() ? "http://" : "https://") + host + "/open311/v2";
}

void open311_request(const Request& req, const std::string& path,
                     const std::map<std::string, std::string>& params, Reply reply, ServerContext& ctx) {
  const bool xml = path.ends_with(".xml");
  if (req.method() == http::verb::options) return reply(share(open311_preflight(req)));
  if (req.method() != http::verb::get) {
    auto res = open311_error(req, http::status::method_not_allowed, xml,
                             "the Open311 feed is read-only: use GET (service requests are not accepted)");
    res.set(http::field::allow, "GET, OPTIONS");
    return reply(share(std::move(res)));
  }
  if (!xml && !path.ends_with(".json"))
    return reply(share(
        open311_error(req, http::status::not_found, false, "no such Open311 resource: use .json or .xml")));
  const std::string base = path.substr(0, path.size() - (xml ? 4 : 5));
  auto send = [req, xml](const json& doc, const char* list, const char* item) {
    return share(open311_response(
        req, http::status::ok, xml,
        xml ? open311_to_xml(doc, list, item) : doc.dump(-1, ' ', false, json::error_handler_t::replace)));
  };
  if (base == "/open311/discovery") {
    const json doc = open311_discovery(open311_endpoint_url(req, ctx),
                                       "The City of Hartford's Problem Solving Committee coordinator");
    return reply(share(open311_response(
        req, http::status::ok, xml,
        xml ? open311_discovery_xml(doc) : doc.dump(-1, ' ', false, json::error_handler_t::replace))));
  }
  if (base == "/open311/v2/services")
    return ctx.pipeline->query([send, reply](const Replica& replica) {
      reply(send(open311_services(replica), "services", "service"));
    });
  if (base.starts_with("/open311/v2/requests/")) {
    const std::string id = base.substr(std::string("/open311/v2/requests/").size());
    if (!is_valid_record_id(id))
      return reply(share(open311_error(req, http::status::not_found, xml, "no service request " + id)));
    return ctx.pipeline->query([req, id, xml, send, reply](const Replica& replica) {
      auto found = open311_request(replica, id, department_names());
      if (!found)
        return reply(share(open311_error(req, http::status::not_found, xml, found.status().message())));
      reply(send(found.value(), "service_requests", "request"));
    });
  }
  if (base != "/open311/v2/requests")
    return reply(share(open311_error(req, http::status::not_found, xml, "no such Open311 resource")));
  Open311Query query;
  auto param = [&](const char* name) -> std::optional<std::string> {
    auto it = params.find(name);
    return it == params.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  query.start_date = param("start_date");
  query.end_date = param("end_date");
  query.status = param("status");
  query.service_code = param("service_code");
  query.service_request_id = param("service_request_id");
  ctx.pipeline->query([req, query, xml, send, reply, now = ctx.clock()](const Replica& replica) {
    auto found = open311_requests(replica, query, now, department_names());
    if (!found)
      return reply(share(open311_error(req, http::status::bad_request, xml, found.status().message())));
    reply(send(found.value(), "service_requests", "request"));
  });
}

}  // namespace

bool is_query_request(const Request& req) {
  const std::string_view t = req.target();
  // Every method on the feed is answered there (a preflight, or "read-only").
  return t.starts_with("/open311/") || (req.method() == http::verb::get && t.starts_with("/api/export/"));
}

void handle_query_request(const Request& req, ServerContext& ctx, Reply reply) {
  const auto target = parse_request_target(req.target());
  if (!target) {
    const bool xml = req.target().find(".xml") != std::string_view::npos;
    return reply(share(
        req.target().starts_with("/open311/")
            ? Response(open311_error(req, http::status::bad_request, xml, "the request's URL is malformed"))
            : json_error(req, http::status::bad_request, "bad_query", "the request's URL is malformed")));
  }
  if (target->path.starts_with("/api/export/"))
    return export_request(req, target->path, ctx, std::move(reply));
  open311_request(req, target->path, target->params, std::move(reply), ctx);
}

}  // namespace psc::server
