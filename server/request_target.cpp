#include "request_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace psc::server {

std::optional<RequestTarget> parse_request_target(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  RequestTarget out;
  out.path = std::string(parsed->encoded_path());
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  for (const auto& param : parsed->params(options)) out.params[param.key] = param.value;
  return out;
}

}  // namespace psc::server
