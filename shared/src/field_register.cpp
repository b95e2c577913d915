#include "psc/field_register.hpp"

#include <algorithm>
#include <cassert>

namespace psc {

bool displays_before(const FieldValue& a, const FieldValue& b) {
  if (a.hlc != b.hlc) return a.hlc < b.hlc;
  return a.device < b.device;
}

bool FieldRegister::apply(const Change& change) {
  std::string id = change.id();
  if (!seen_.insert(id).second) return false;
  // The base is honoured even when this change was itself superseded before
  // it arrived: otherwise the values it replaced would come back as leaves.
  for (const auto& superseded : change.base) {
    superseded_.insert(superseded);
    leaves_.erase(superseded);
  }
  if (!superseded_.count(id))
    leaves_.emplace(std::move(id), FieldValue{change.value, change.hlc, change.device, change.actor, change.id()});
  return true;
}

const FieldValue& FieldRegister::winner() const {
  assert(!leaves_.empty());
  auto best = leaves_.begin();
  for (auto it = std::next(best); it != leaves_.end(); ++it)
    if (displays_before(best->second, it->second)) best = it;
  return best->second;
}

std::vector<const FieldValue*> FieldRegister::leaves() const {
  std::vector<const FieldValue*> out;
  out.reserve(leaves_.size());
  for (const auto& [_, value] : leaves_) out.push_back(&value);
  std::sort(out.begin(), out.end(),
            [](const FieldValue* a, const FieldValue* b) { return displays_before(*b, *a); });
  return out;
}

bool FieldRegister::has_conflict() const {
  if (leaves_.size() < 2) return false;
  const auto& first = leaves_.begin()->second.value;
  for (const auto& [_, leaf] : leaves_)
    if (leaf.value != first) return true;
  return false;
}

std::vector<std::string> FieldRegister::leaf_ids() const {
  std::vector<std::string> ids;
  ids.reserve(leaves_.size());
  for (const auto& [id, _] : leaves_) ids.push_back(id);
  return ids;
}

}  // namespace psc
