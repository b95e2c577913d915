#include "psc/replica_snapshot.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <set>
#include <unordered_map>

namespace psc {

using nlohmann::json;

namespace {

// PSCSNAP2: registers as leaves + superseded ids with an "applied" flag
// (field_register.hpp). A device holding an older snapshot fails to decode it
// and replays its stored changes once (sync.js openReplica).
constexpr std::string_view kMagic = "PSCSNAP2";

enum ValueTag : uint8_t { kNull = 0, kFalse = 1, kTrue = 2, kInteger = 3, kString = 4, kJson = 5 };

uint64_t pack(const Hlc& h) { return (h.millis << 16) | h.counter; }
Hlc unpack(uint64_t v) { return Hlc{v >> 16, static_cast<uint32_t>(v & 0xffff)}; }

class Writer {
 public:
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void text(const std::string& s) {
    auto [it, fresh] = table_.try_emplace(s, table_.size() + 1);
    if (!fresh) return varint(it->second);
    varint(0);
    varint(s.size());
    out_.append(s);
  }
  void value(const json& v) {
    if (v.is_null()) {
      out_.push_back(kNull);
    } else if (v.is_boolean()) {
      out_.push_back(v.get<bool>() ? kTrue : kFalse);
    } else if (v.is_number_integer()) {
      out_.push_back(kInteger);
      const int64_t n = v.get<int64_t>();
      varint((static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63));
    } else if (v.is_string()) {
      out_.push_back(kString);
      raw(v.get_ref<const std::string&>());
    } else {
      out_.push_back(kJson);
      raw(v.dump());
    }
  }
  void flag(bool b) { out_.push_back(b ? 1 : 0); }
  std::string take() { return std::move(out_); }
  void append(std::string_view bytes) { out_.append(bytes); }

 private:
  void raw(const std::string& s) {
    varint(s.size());
    out_.append(s);
  }
  std::string out_;
  std::unordered_map<std::string, uint64_t> table_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      const auto byte = static_cast<uint8_t>(in_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    return fail();
  }
  std::string_view bytes(std::size_t n) {
    if (n > in_.size() - pos_) {
      fail();
      return {};
    }
    auto out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  const std::string& text() {
    static const std::string kEmpty;
    const uint64_t ref = varint();
    if (!ok_) return kEmpty;
    if (ref == 0) {
      const uint64_t n = varint();
      table_.emplace_back(bytes(static_cast<std::size_t>(std::min<uint64_t>(n, in_.size()))));
      return ok_ ? table_.back() : kEmpty;
    }
    if (ref > table_.size()) {
      fail();
      return kEmpty;
    }
    return table_[ref - 1];
  }
  json value() {
    const std::string_view tag = bytes(1);
    if (tag.empty()) return nullptr;  // already failed
    switch (static_cast<uint8_t>(tag[0])) {
      case kNull:
        return nullptr;
      case kFalse:
        return false;
      case kTrue:
        return true;
      case kInteger: {
        const uint64_t z = varint();
        return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
      }
      case kString:
        return std::string(raw());
      case kJson: {
        json v = json::parse(raw(), nullptr, false);
        if (v.is_discarded()) fail();
        return v;
      }
      default:
        fail();
        return nullptr;
    }
  }
  bool flag() {
    const std::string_view byte = bytes(1);
    if (byte.empty()) return false;
    if (byte[0] != 0 && byte[0] != 1) fail();
    return byte[0] == 1;
  }
  std::size_t remaining() const { return in_.size() - pos_; }
  uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }

 private:
  std::string_view raw() {
    const uint64_t n = varint();
    return bytes(static_cast<std::size_t>(std::min<uint64_t>(n, in_.size())));
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::deque<std::string> table_;  // a deque: references handed out stay valid as it grows
};

// A count read from the snapshot, refused when it could not fit in what is
// left (every entry takes at least a byte): a corrupt count must not reserve
// gigabytes.
uint64_t bounded(Reader& r, uint64_t count) {
  if (count > r.remaining()) r.fail();
  return r.ok() ? count : 0;
}

// Registers keep their entries sorted by (hlc, device); a snapshot that is
// not would break their look-ups.
template <class V>
bool sorted_by_id(const V& entries) {
  return std::is_sorted(entries.begin(), entries.end(),
                        [](const auto& a, const auto& b) {
                          if (a.hlc != b.hlc) return a.hlc < b.hlc;
                          return a.device < b.device;
                        }) &&
         std::adjacent_find(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
           return a.hlc == b.hlc && a.device == b.device;
         }) == entries.end();
}

}  // namespace

// Friend of Replica, Record and FieldRegister: reads and rebuilds their state.
struct SnapshotCodec {
  static std::string encode(const Replica& replica) {
    Writer w;
    w.append(kMagic);
    w.varint(replica.applied_);
    w.varint(replica.record_count());
    for (const auto& [type, records] : replica.records_) {
      for (const auto& [id, record] : records) {
        w.text(type);
        w.text(id);
        w.varint(pack(record.created_));
        w.varint(pack(record.updated_));
        w.varint(record.fields_.size());
        for (const auto& [name, reg] : record.fields_) {
          w.text(name);
          w.varint(reg.leaves_.size());
          for (const auto& leaf : reg.leaves_) {
            w.value(leaf.value);
            w.varint(pack(leaf.hlc));
            w.text(leaf.device);
            w.text(leaf.actor);
          }
          w.varint(reg.superseded_.size());
          for (const auto& s : reg.superseded_) {
            w.varint(pack(s.hlc));
            w.text(s.device);
            w.flag(s.applied);
          }
        }
      }
    }
    return w.take();
  }

  static Result<Replica> decode(std::string_view bytes) {
    auto bad = [](const std::string& why) { return Result<Replica>(Status::error("bad_snapshot", why)); };
    if (bytes.substr(0, kMagic.size()) != kMagic) return bad("not a replica snapshot");
    Reader r(bytes.substr(kMagic.size()));
    Replica replica;
    replica.applied_ = r.varint();
    const uint64_t records = r.varint();
    for (uint64_t i = 0; i < records && r.ok(); ++i) {
      const std::string& type = r.text();
      const std::string& id = r.text();
      Record& record = replica.records_[type][id];
      record.type_ = type;
      record.id_ = id;
      record.created_ = unpack(r.varint());
      record.updated_ = unpack(r.varint());
      const uint64_t fields = r.varint();
      for (uint64_t f = 0; f < fields && r.ok(); ++f) {
        FieldRegister& reg = record.fields_[r.text()];
        const uint64_t leaves = bounded(r, r.varint());
        reg.leaves_.reserve(leaves);
        for (uint64_t l = 0; l < leaves && r.ok(); ++l) {
          FieldValue& leaf = reg.leaves_.emplace_back();
          leaf.value = r.value();
          leaf.hlc = unpack(r.varint());
          leaf.device = r.text();
          leaf.actor = r.text();
        }
        const uint64_t superseded = bounded(r, r.varint());
        reg.superseded_.reserve(superseded);
        for (uint64_t s = 0; s < superseded && r.ok(); ++s) {
          auto& entry = reg.superseded_.emplace_back();
          entry.hlc = unpack(r.varint());
          entry.device = r.text();
          entry.applied = r.flag();
        }
        if (!sorted_by_id(reg.leaves_) || !sorted_by_id(reg.superseded_)) r.fail();
      }
    }
    if (!r.ok() || !r.at_end()) return bad("truncated or corrupt replica snapshot");
    replica.rebuild_index();
    return replica;
  }
};

std::string encode_snapshot(const Replica& replica) { return SnapshotCodec::encode(replica); }

Result<Replica> decode_snapshot(std::string_view bytes) { return SnapshotCodec::decode(bytes); }

Hlc latest_stamp(const Replica& replica) {
  Hlc latest{};
  replica.for_each([&](const Record& record) { latest = std::max(latest, record.updated()); });
  return latest;
}

}  // namespace psc
