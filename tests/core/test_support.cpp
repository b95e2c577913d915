#include "test_support.hpp"

#include "psc/derived_id.hpp"

namespace psc::test {

Change make_change(const std::string& type, const std::string& id, const std::string& field,
                   nlohmann::json value, uint64_t millis, const std::string& device,
                   std::vector<std::string> base, uint32_t counter) {
  Change c;
  c.record_type = type;
  c.record_id = id;
  c.field = field;
  c.value = std::move(value);
  c.hlc = Hlc{millis, counter};
  c.device = device;
  c.actor = "actor-" + device;
  c.base = std::move(base);
  return c;
}

std::vector<Change> seed_neighborhoods() {
  std::vector<Change> out;
  uint32_t counter = 0;
  for (const auto& [slug, name] : std::vector<std::pair<std::string, std::string>>{
           {"frog-hollow", "Frog Hollow"}, {"parkville", "Parkville"}, {"asylum-hill", "Asylum Hill"}})
    out.push_back(make_change("neighborhood", slug, "name", name, 1, "server", {}, counter++));
  return out;
}

std::string voter(const std::string& name) { return attendance_id("test-meeting", name); }

void seed(Replica& replica) {
  for (const auto& c : seed_neighborhoods()) replica.apply(c);
}

void seed(LocalDevice& device) {
  for (const auto& c : seed_neighborhoods()) device.receive(c, 0);
}

}  // namespace psc::test
