#include "priority_author.hpp"

#include <array>

#include "psc/schema.hpp"

namespace psc::load {

namespace {
constexpr std::array<const char*, 24> kWords = {
    "broken",  "streetlight", "on",     "Park",     "Street", "speeding",  "near",  "school",
    "illegal", "dumping",     "behind", "the",      "vacant", "lot",       "needs", "more",
    "patrols", "after",       "dark",   "sidewalk", "repair", "abandoned", "car",   "corner"};
}  // namespace

PriorityAuthor::PriorityAuthor(uint64_t seed, int title_chars, int description_chars)
    : content_(seed),
      ids_(std::random_device{}() ^ (seed << 32)),
      title_chars_(title_chars),
      description_chars_(description_chars) {}

std::string PriorityAuthor::text(int chars) {
  std::string out;
  out.reserve(static_cast<std::size_t>(chars) + 16);
  while (static_cast<int>(out.size()) < chars) {
    if (!out.empty()) out += ' ';
    out += kWords[pick(kWords.size())];
  }
  out.resize(static_cast<std::size_t>(chars));
  if (!out.empty() && out.back() == ' ') out.back() = '.';
  return out;
}

std::size_t PriorityAuthor::pick(std::size_t n) { return static_cast<std::size_t>(content_() % n); }

uint64_t PriorityAuthor::id_bits() { return ids_(); }

nlohmann::json PriorityAuthor::new_priority(const std::string& neighborhood) {
  const auto& categories = priority_categories();
  return nlohmann::json{{"title", text(title_chars_)},
                        {"category", categories[pick(categories.size())]},
                        {"status", "proposed"},
                        {"neighborhood", neighborhood},
                        {"rank", static_cast<int>(1 + pick(1000))},
                        {"description", text(description_chars_)}};
}

std::pair<std::string, nlohmann::json> PriorityAuthor::random_edit() {
  switch (pick(5)) {
    case 0:
      return {"title", text(title_chars_)};
    case 1:
      return {"category", priority_categories()[pick(priority_categories().size())]};
    case 2:
      return {"status", priority_statuses()[pick(priority_statuses().size())]};
    case 3:
      return {"rank", static_cast<int>(1 + pick(1000))};
    default:
      return {"description", text(description_chars_)};
  }
}

}  // namespace psc::load
