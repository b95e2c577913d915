#include "static_files.hpp"

namespace psc::server {

std::optional<std::string> resolve_static_path(const std::string& root, std::string_view target) {
  const auto query = target.find_first_of("?#");
  std::string_view path = target.substr(0, query);
  if (path.empty() || path.front() != '/') return std::nullopt;
  if (path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos || path.find("//") != std::string_view::npos)
    return std::nullopt;
  std::string out = root;
  if (!out.empty() && out.back() == '/') out.pop_back();
  out.append(path);
  if (path.back() == '/') out.append("index.html");
  return out;
}

std::string_view content_type_for(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string_view ext = path.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace psc::server
