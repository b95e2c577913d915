#include "psc/wire_scan.hpp"

#include <cstdint>
#include <string>

#include "change_parts.hpp"

namespace psc {
namespace {

using nlohmann::json;

// The scanner's per-character steps are inlined even where the build asks
// the compiler not to inline (Emscripten's -Os: client-wasm/CMakeLists.txt).
#define PSC_SCAN_INLINE __attribute__((always_inline)) inline

// Reads JSON text left to right. Every read returns false when the text is
// not what it expects; the caller then gives up (and the general decoder
// takes the message).
class Scanner {
 public:
  explicit Scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  PSC_SCAN_INLINE void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  PSC_SCAN_INLINE bool at_end() {
    skip_space();
    return p_ == end_;
  }
  // Consumes `c` (after whitespace) if it is next.
  PSC_SCAN_INLINE bool take(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  PSC_SCAN_INLINE bool peek(char c) {
    skip_space();
    return p_ < end_ && *p_ == c;
  }
  // Where the next value starts (after whitespace), or the end of the last read.
  PSC_SCAN_INLINE const char* next_value() {
    skip_space();
    return p_;
  }
  const char* position() const { return p_; }

  // A key: a string without escapes (every key of the protocol is plain ASCII).
  PSC_SCAN_INLINE bool key(std::string_view& out) {
    if (!take('"')) return false;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return take(':');
  }

  // A string value, unescaped, its UTF-8 checked as nlohmann's parser checks it.
  bool string(std::string& out) {
    if (!take('"')) return false;
    const char* start = p_;
    // The common case: printable ASCII, copied in one piece.
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.assign(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) break;
      ++p_;
    }
    out.assign(start, static_cast<std::size_t>(p_ - start));
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (c >= 0x80) {
        if (!utf8(out)) return false;
      } else {
        out += static_cast<char>(c);
        ++p_;
      }
    }
    return false;
  }

  // An integer as nlohmann reads it: unsigned without a sign, signed with
  // one. Floats, exponents and out-of-range numbers are left to the general
  // decoder (nlohmann makes them floats).
  bool integer(json& out) {
    skip_space();
    bool negative = false;
    if (p_ < end_ && *p_ == '-') {
      negative = true;
      ++p_;
    }
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    const char* digits = p_;
    uint64_t value = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      const uint64_t digit = static_cast<uint64_t>(*p_ - '0');
      if (value > (UINT64_MAX - digit) / 10) return false;
      value = value * 10 + digit;
      ++p_;
    }
    if (*digits == '0' && p_ - digits > 1) return false;  // a leading zero is not JSON
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    if (negative) {
      if (value > static_cast<uint64_t>(INT64_MAX) + 1) return false;
      out = value == static_cast<uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<int64_t>(value);
    } else {
      out = value;
    }
    return true;
  }

  bool word(std::string_view w) {
    skip_space();
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w) return false;
    p_ += w.size();
    return true;
  }

  // A scalar (a change's value): string, integer, true, false or null.
  bool scalar(json& out) {
    skip_space();
    if (p_ == end_) return false;
    switch (*p_) {
      case '"': {
        std::string text;
        if (!string(text)) return false;
        out = std::move(text);
        return true;
      }
      case 't':
        out = true;
        return word("true");
      case 'f':
        out = false;
        return word("false");
      case 'n':
        out = nullptr;
        return word("null");
      default:
        return integer(out);
    }
  }

  bool boolean(bool& out) {
    skip_space();
    if (p_ < end_ && *p_ == 't') return out = true, word("true");
    if (p_ < end_ && *p_ == 'f') return out = false, word("false");
    return false;
  }

 private:
  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  // Four hex digits after "\u"; -1 if not.
  int code_unit() {
    if (end_ - p_ < 4) return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hex_digit(p_[i]);
      if (d < 0) return -1;
      value = value * 16 + d;
    }
    p_ += 4;
    return value;
  }
  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // At a backslash: appends what the escape stands for.
  bool escape(std::string& out) {
    ++p_;
    if (p_ == end_) return false;
    const char c = *p_++;
    switch (c) {
      case '"':
        out += '"';
        return true;
      case '\\':
        out += '\\';
        return true;
      case '/':
        out += '/';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u': {
        const int unit = code_unit();
        if (unit < 0) return false;
        uint32_t cp = static_cast<uint32_t>(unit);
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          const int low = code_unit();
          if (low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
        }
        append_utf8(out, cp);
        return true;
      }
      default:
        return false;
    }
  }
  // At a byte >= 0x80: one well-formed UTF-8 sequence (RFC 3629, as nlohmann
  // checks it: no overlong forms, no surrogates, nothing above U+10FFFF).
  bool utf8(std::string& out) {
    const auto byte = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    const unsigned char lead = byte(0);
    std::ptrdiff_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF)
      length = 2;
    else if (lead == 0xE0)
      length = 3, low = 0xA0;
    else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
      length = 3;
    else if (lead == 0xED)
      length = 3, high = 0x9F;
    else if (lead == 0xF0)
      length = 4, low = 0x90;
    else if (lead >= 0xF1 && lead <= 0xF3)
      length = 4;
    else if (lead == 0xF4)
      length = 4, high = 0x8F;
    else
      return false;
    if (end_ - p_ < length) return false;
    if (byte(1) < low || byte(1) > high) return false;
    for (std::ptrdiff_t i = 2; i < length; ++i)
      if (byte(i) < 0x80 || byte(i) > 0xBF) return false;
    out.append(p_, static_cast<std::size_t>(length));
    p_ += length;
    return true;
  }

  const char* p_;
  const char* end_;
};

// One change object, built through change_from_parts (the rules live there).
bool scan_change(Scanner& s, std::vector<Change>& out) {
  if (!s.take('{')) return false;
  ChangeParts parts;
  unsigned seen = 0;
  for (;;) {
    std::string_view name;
    if (!s.key(name)) return false;
    unsigned bit = 0;
    std::string* text = nullptr;
    switch (name.size()) {
      case 2:
        if (name == "id") bit = 1, text = &parts.id;
        break;
      case 3:
        if (name == "hlc") bit = 2, text = &parts.hlc;
        break;
      case 4:
        if (name == "type")
          bit = 4, text = &parts.type;
        else if (name == "base")
          bit = 8;
        break;
      case 5:
        if (name == "field")
          bit = 16, text = &parts.field;
        else if (name == "actor")
          bit = 32, text = &parts.actor;
        else if (name == "value")
          bit = 64;
        break;
      case 6:
        if (name == "record")
          bit = 128, text = &parts.record;
        else if (name == "device")
          bit = 256, text = &parts.device;
        break;
      default:
        break;
    }
    if (bit == 0 || (seen & bit)) return false;
    seen |= bit;
    if (text) {
      if (!s.string(*text)) return false;
    } else if (bit == 64) {
      if (!s.scalar(parts.value)) return false;
    } else {
      if (!s.take('[')) return false;
      if (!s.take(']')) {
        do {
          parts.base.emplace_back();
          if (!s.string(parts.base.back())) return false;
        } while (s.take(','));
        if (!s.take(']')) return false;
      }
    }
    if (s.take('}')) break;
    if (!s.take(',')) return false;
  }
  if (seen != 511) return false;
  auto change = change_from_parts(std::move(parts));
  if (!change) return false;
  out.push_back(std::move(*change));
  return true;
}

bool scan_changes(Scanner& s, std::vector<Change>& out, std::size_t text_size,
                  std::vector<std::string_view>* texts = nullptr) {
  if (!s.take('[')) return false;
  out.reserve(text_size / 200);  // a change is ~250-400 bytes of text
  if (texts) texts->reserve(text_size / 200);
  if (s.take(']')) return true;
  do {
    const char* start = s.next_value();
    if (!scan_change(s, out)) return false;
    if (texts) texts->emplace_back(start, static_cast<std::size_t>(s.position() - start));
  } while (s.take(','));
  return s.take(']');
}

// A message object of the keys `names` (bit i for names[i]), each read by
// `read(index)`; true when every key came exactly once and nothing follows.
template <std::size_t N, class Read>
bool scan_message(Scanner& s, const std::string_view (&names)[N], Read read) {
  if (!s.take('{')) return false;
  unsigned seen = 0;
  if (!s.peek('}')) {
    do {
      std::string_view name;
      if (!s.key(name)) return false;
      std::size_t index = 0;
      while (index < N && names[index] != name) ++index;
      if (index == N || (seen & (1u << index))) return false;
      seen |= 1u << index;
      if (!read(index)) return false;
    } while (s.take(','));
  }
  return s.take('}') && s.at_end() && seen == (1u << N) - 1;
}

}  // namespace

std::optional<std::vector<Change>> scan_change_array(std::string_view text,
                                                     std::vector<std::string_view>* texts) {
  Scanner s(text);
  std::vector<Change> changes;
  if (!scan_changes(s, changes, text.size(), texts) || !s.at_end()) return std::nullopt;
  return changes;
}

std::optional<ChangesPage> scan_changes_page(std::string_view text) {
  if (text.size() > kMaxMessageBytes) return std::nullopt;
  static constexpr std::string_view kNames[] = {"type", "changes", "cursor", "more"};
  Scanner s(text);
  ChangesPage page;
  std::string type;
  json cursor;
  const bool read = scan_message(s, kNames, [&](std::size_t key) {
    switch (key) {
      case 0:
        return s.string(type) && type == "changes";
      case 1:
        return scan_changes(s, page.changes, text.size());
      case 2:
        return s.integer(cursor) && cursor.is_number_unsigned() && cursor.get<uint64_t>() <= INT64_MAX;
      default:
        return s.boolean(page.more);
    }
  });
  if (!read) return std::nullopt;
  page.cursor = cursor.get<int64_t>();
  return page;
}

PushFrame push_frame(const std::string& batch) {
  return {R"({"batch":)" + json(batch).dump() + R"(,"changes":)", R"(,"type":"push"})"};
}

std::optional<Push> scan_push(std::string_view text) {
  if (text.size() > kMaxMessageBytes) return std::nullopt;
  static constexpr std::string_view kNames[] = {"type", "batch", "changes"};
  Scanner s(text);
  Push push;
  std::string type;
  const bool read = scan_message(s, kNames, [&](std::size_t key) {
    switch (key) {
      case 0:
        return s.string(type) && type == "push";
      case 1:
        return s.string(push.batch) && push.batch.size() <= 128;
      default:
        return scan_changes(s, push.changes, text.size());
    }
  });
  if (!read) return std::nullopt;
  return push;
}

}  // namespace psc
