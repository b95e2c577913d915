#include "neighborhood_digest.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "psc/scope.hpp"

namespace psc::load {

using nlohmann::json;

NeighborhoodDigest digest_neighborhood(const Replica& replica, const std::string& slug, bool keep_text) {
  NeighborhoodDigest digest;
  json state = json::object();
  replica.for_each([&](const Record& record) {
    if (record_neighborhood(replica, record.type(), record.id()) != slug) return;
    state[record.type()][record.id()] = record.to_json();
    ++digest.records;
    for (const auto& [_, reg] : record.fields())
      if (reg.has_conflict()) ++digest.conflicted_fields;
  });
  std::string text = state.dump();
  const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  digest.hash = hex;
  if (keep_text) digest.text = std::move(text);
  return digest;
}

std::string describe_difference(const std::string& left, const std::string& right) {
  const json a = json::parse(left), b = json::parse(right);
  auto cut = [](const std::string& s) { return s.size() > 600 ? s.substr(0, 600) + "..." : s; };
  for (const auto* pair : {&a, &b}) {
    const json& one = *pair;
    const json& other = pair == &a ? b : a;
    for (const auto& [type, records] : one.items())
      for (const auto& [id, record] : records.items()) {
        const bool present = other.contains(type) && other[type].contains(id);
        if (!present || other[type][id] != record)
          return type + "/" + id + ": " +
                 cut(a.contains(type) && a[type].contains(id) ? a[type][id].dump() : "absent") + " vs " +
                 cut(b.contains(type) && b[type].contains(id) ? b[type][id].dump() : "absent");
      }
  }
  return "no record differs (the texts differ in order only?)";
}

}  // namespace psc::load
