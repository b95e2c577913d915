#include "psc/replica_snapshot.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <set>
#include <unordered_map>

namespace psc {

using nlohmann::json;

namespace {

constexpr std::string_view kMagic = "PSCSNAP1";

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
      case kNull: return nullptr;
      case kFalse: return false;
      case kTrue: return true;
      case kInteger: {
        const uint64_t z = varint();
        return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
      }
      case kString: return std::string(raw());
      case kJson: {
        json v = json::parse(raw(), nullptr, false);
        if (v.is_discarded()) fail();
        return v;
      }
      default: fail(); return nullptr;
    }
  }
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

}  // namespace

// Friend of Replica, Record and FieldRegister: reads and rebuilds their state.
struct SnapshotCodec {
  static bool seen_is_implied(const FieldRegister& reg) {
    if (reg.seen_.size() > reg.leaves_.size() + reg.superseded_.size()) return false;
    std::set<std::string> implied = reg.superseded_;
    for (const auto& [id, _] : reg.leaves_) implied.insert(id);
    return implied == reg.seen_;
  }

  // A change id "<16 hex hlc>@<device>" as its packed stamp + 1 and the
  // interned device; anything else as 0 and the text.
  static void change_id(Writer& w, const std::string& id) {
    const auto at = id.find('@');
    const auto hlc = at == 16 ? Hlc::from_text(std::string_view(id).substr(0, 16)) : std::nullopt;
    if (hlc && hlc->to_text() == std::string_view(id).substr(0, 16)) {
      w.varint(pack(*hlc) + 1);
      w.text(id.substr(17));
    } else {
      w.varint(0);
      w.text(id);
    }
  }
  static std::string change_id(Reader& r) {
    const uint64_t packed = r.varint();
    if (packed == 0) return r.text();
    return unpack(packed - 1).to_text() + "@" + r.text();
  }

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
          for (const auto& [_, leaf] : reg.leaves_) {
            w.value(leaf.value);
            w.varint(pack(leaf.hlc));
            w.text(leaf.device);
            w.text(leaf.actor);
          }
          w.varint(reg.superseded_.size());
          for (const auto& s : reg.superseded_) change_id(w, s);
          // Almost always the ids seen are the leaves and the superseded ones
          // (they differ only when a base named a change never received): 0 says so.
          if (seen_is_implied(reg)) {
            w.varint(0);
          } else {
            w.varint(reg.seen_.size() + 1);
            for (const auto& s : reg.seen_) change_id(w, s);
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
        const uint64_t leaves = r.varint();
        for (uint64_t l = 0; l < leaves && r.ok(); ++l) {
          FieldValue leaf;
          leaf.value = r.value();
          leaf.hlc = unpack(r.varint());
          leaf.device = r.text();
          leaf.actor = r.text();
          leaf.change_id = leaf.hlc.to_text() + "@" + leaf.device;
          std::string key = leaf.change_id;
          reg.leaves_.emplace(std::move(key), std::move(leaf));
        }
        const uint64_t superseded = r.varint();
        for (uint64_t s = 0; s < superseded && r.ok(); ++s) reg.superseded_.insert(reg.superseded_.end(), change_id(r));
        const uint64_t seen = r.varint();
        if (seen == 0) {
          for (const auto& [id, _] : reg.leaves_) reg.seen_.insert(reg.seen_.end(), id);
          reg.seen_.insert(reg.superseded_.begin(), reg.superseded_.end());
        }
        for (uint64_t s = 1; s < seen && r.ok(); ++s) reg.seen_.insert(reg.seen_.end(), change_id(r));
      }
    }
    if (!r.ok() || !r.at_end()) return bad("truncated or corrupt replica snapshot");
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
