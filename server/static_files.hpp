// Static files of the web app: safe path resolution and content types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace psc::server {

// Maps a request target ("/js/app.js?v=1") to a file under `root`, or nullopt
// when the target could escape the root or is not a plain path. "/" maps to
// "/index.html".
std::optional<std::string> resolve_static_path(const std::string& root, std::string_view target);

// Content type by file extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace psc::server
