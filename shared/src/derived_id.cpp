#include "psc/derived_id.hpp"

#include <cstdio>
#include <initializer_list>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace psc {
namespace {

std::string hash_id(std::initializer_list<std::string_view> parts) {
  std::string input;
  for (auto part : parts) {
    input.append(part);
    input.push_back('\x1f');  // unit separator: parts cannot run into each other
  }
  const XXH128_hash_t h = XXH3_128bits(input.data(), input.size());
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(buffer, 32);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string text_field(const nlohmann::json& fields, const char* name) {
  if (!fields.is_object() || !fields.contains(name) || !fields[name].is_string()) return {};
  return fields[name].get<std::string>();
}

}  // namespace

std::string normalize_person_name(std::string_view name) {
  std::string out;
  bool pending_space = false;
  for (char c : name) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string attendance_id(std::string_view meeting, std::string_view person_name) {
  return hash_id({"attendance", meeting, normalize_person_name(person_name)});
}

std::string vote_id(std::string_view meeting, std::string_view priority, std::string_view voter) {
  return hash_id({"vote", meeting, priority, voter});
}

std::string tally_id(std::string_view meeting, std::string_view priority) {
  return hash_id({"tally", meeting, priority});
}

std::string outcome_id(std::string_view meeting, std::string_view priority) {
  return hash_id({"outcome", meeting, priority});
}

bool has_derived_id(std::string_view type) {
  return type == "attendance" || type == "vote" || type == "tally" || type == "outcome";
}

std::string derived_id_for(std::string_view type, const nlohmann::json& fields) {
  const std::string meeting = text_field(fields, "meeting");
  if (meeting.empty()) return {};
  if (type == "attendance") {
    const std::string name = text_field(fields, "name");
    return normalize_person_name(name).empty() ? std::string() : attendance_id(meeting, name);
  }
  const std::string priority = text_field(fields, "priority");
  if (priority.empty()) return {};
  if (type == "tally") return tally_id(meeting, priority);
  if (type == "outcome") return outcome_id(meeting, priority);
  if (type == "vote") {
    const std::string voter = text_field(fields, "voter");
    return voter.empty() ? std::string() : vote_id(meeting, priority, voter);
  }
  return {};
}

}  // namespace psc
