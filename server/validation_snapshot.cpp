#include "validation_snapshot.hpp"

#include <functional>

#include "psc/replica_snapshot.hpp"

namespace psc::server {

namespace {
constexpr std::string_view kMagic = "PSCVAL1\n";

// Changes when std::hash<std::string_view> does: a filter made by another
// build would answer "not stored" for stored ids.
uint64_t hash_probe() { return std::hash<std::string_view>{}("psc change id filter probe"); }

void put_u64(std::string& out, uint64_t v) {
  for (int b = 0; b < 8; ++b) out += static_cast<char>((v >> (8 * b)) & 0xff);
}

std::optional<uint64_t> take_u64(std::string_view& in) {
  if (in.size() < 8) return std::nullopt;
  uint64_t v = 0;
  for (int b = 0; b < 8; ++b) v |= uint64_t{static_cast<unsigned char>(in[b])} << (8 * b);
  in.remove_prefix(8);
  return v;
}
}  // namespace

std::string encode_validation_snapshot(const Replica& replica, const ChangeIdFilter& stored_ids) {
  const std::string filter = stored_ids.to_bytes();
  std::string out(kMagic);
  put_u64(out, hash_probe());
  put_u64(out, filter.size());
  out += filter;
  out += encode_snapshot(replica);
  return out;
}

std::optional<ValidationState> decode_validation_snapshot(std::string_view bytes, int64_t seq) {
  if (!bytes.starts_with(kMagic)) return std::nullopt;
  bytes.remove_prefix(kMagic.size());
  const auto probe = take_u64(bytes);
  const auto filter_size = take_u64(bytes);
  if (!probe || *probe != hash_probe() || !filter_size || *filter_size > bytes.size()) return std::nullopt;
  auto filter = ChangeIdFilter::from_bytes(bytes.substr(0, *filter_size));
  bytes.remove_prefix(*filter_size);
  auto replica = decode_snapshot(bytes);
  if (!filter || !replica || static_cast<int64_t>(replica->applied_count()) != seq) return std::nullopt;
  return ValidationState{std::move(replica.value()), std::move(*filter)};
}

}  // namespace psc::server
