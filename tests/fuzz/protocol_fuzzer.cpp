// libFuzzer target: the protocol decoder and, for every push it accepts, the
// change validator and authorization against a small seeded replica.
// Properties checked beyond "no crash, leak or sanitizer report":
//  - decoding never throws (the core's contract);
//  - a decoded message re-encodes and decodes to an equal message;
//  - validation and authorization return one status per change.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "psc/authorization.hpp"
#include "psc/protocol.hpp"
#include "psc/replica.hpp"
#include "psc/validation.hpp"

namespace {

const psc::Replica& seeded_replica() {
  static const psc::Replica replica = [] {
    psc::Replica r;
    psc::HybridLogicalClock clock;
    for (const char* slug : {"frog-hollow", "parkville"}) {
      psc::Change c;
      c.record_type = "neighborhood";
      c.record_id = slug;
      c.field = "name";
      c.value = slug;
      c.hlc = clock.tick(1);
      c.device = "server";
      c.actor = "reference data";
      r.apply(c);
    }
    return r;
  }();
  return replica;
}

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto client = psc::decode_client_message(text);
  if (client) {
    if (const auto* push = std::get_if<psc::Push>(&client.value())) {
      const auto& replica = seeded_replica();
      const auto verdicts = psc::validate_batch(push->changes, replica);
      check(verdicts.size() == push->changes.size());
      for (psc::Role role : {psc::Role::organizer, psc::Role::kiosk, psc::Role::liaison}) {
        const psc::Principal who{role, "fuzz", "frog-hollow", "police", "fuzz-device"};
        check(psc::authorize_batch(who, push->changes, replica).size() == push->changes.size());
      }
      psc::Replica copy = replica;
      for (const auto& change : push->changes) copy.apply(change);
      (void)copy.to_json().dump();
      // Round trip: the decoded changes encode and decode to themselves.
      auto again = psc::decode_client_message(psc::encode(psc::Push{push->batch, push->changes, {}}));
      check(again && std::get<psc::Push>(again.value()).changes == push->changes);
    } else {
      const auto& hello = std::get<psc::Hello>(client.value());
      auto again = psc::decode_client_message(psc::encode(hello));
      check(again && std::get<psc::Hello>(again.value()).device == hello.device);
    }
  }
  auto server = psc::decode_server_message(text);
  if (server) (void)std::visit([](const auto& m) { return psc::encode(m); }, server.value());
  return 0;
}
