#include "psc/field_register.hpp"

#include <algorithm>
#include <cassert>

namespace psc {

namespace {
using IdParts = ChangeIdParts;
template <class T>
bool id_less(const T& entry, const IdParts& id) {
  if (entry.hlc != id.hlc) return entry.hlc < id.hlc;
  return std::string_view(entry.device) < id.device;
}
template <class T>
bool id_equal(const T& entry, const IdParts& id) {
  return entry.hlc == id.hlc && std::string_view(entry.device) == id.device;
}
// The first entry of a sorted vector not ordered before `id`.
template <class V>
auto lower_bound_id(V& entries, const IdParts& id) {
  return std::partition_point(entries.begin(), entries.end(), [&](const auto& e) { return id_less(e, id); });
}
}  // namespace

bool FieldRegister::apply(const Change& change) { return apply_change(change); }
bool FieldRegister::apply(Change&& change) { return apply_change(std::move(change)); }

template <class C>
bool FieldRegister::apply_change(C&& change) {
  const IdParts self{change.hlc, change.device};
  auto leaf = lower_bound_id(leaves_, self);
  if (leaf != leaves_.end() && id_equal(*leaf, self)) return false;  // a duplicate
  auto mark = lower_bound_id(superseded_, self);
  if (mark != superseded_.end() && id_equal(*mark, self) && mark->applied) return false;  // a duplicate
  // The base is honoured even when this change was itself superseded before
  // it arrived: otherwise the values it replaced would come back as leaves.
  for (const auto& text : change.base) {
    const auto named = parse_change_id(text);
    if (!named) continue;  // names no change (ids are always hlc@device)
    bool was_applied = false;
    auto named_leaf = lower_bound_id(leaves_, *named);
    if (named_leaf != leaves_.end() && id_equal(*named_leaf, *named)) {
      leaves_.erase(named_leaf);
      was_applied = true;
    }
    auto at = lower_bound_id(superseded_, *named);
    if (at != superseded_.end() && id_equal(*at, *named)) continue;
    superseded_.insert(at, Superseded{named->hlc, std::string(named->device), was_applied});
  }
  // Superseded already (before it arrived): seen, but never a value.
  mark = lower_bound_id(superseded_, self);
  if (mark != superseded_.end() && id_equal(*mark, self)) {
    mark->applied = true;
    return true;
  }
  // The position first: `self` views the change's device, which may move into the leaf.
  const auto at = lower_bound_id(leaves_, self);
  leaves_.insert(at, FieldValue{std::forward<C>(change).value, change.hlc, std::forward<C>(change).device,
                                std::forward<C>(change).actor});
  return true;
}

bool FieldRegister::has_seen(std::string_view id) const {
  const auto parts = parse_change_id(id);
  if (!parts) return false;
  auto leaf = lower_bound_id(leaves_, *parts);
  if (leaf != leaves_.end() && id_equal(*leaf, *parts)) return true;
  auto mark = lower_bound_id(superseded_, *parts);
  return mark != superseded_.end() && id_equal(*mark, *parts) && mark->applied;
}

const FieldValue& FieldRegister::winner() const {
  assert(!leaves_.empty());
  // Sorted by (hlc, device): the last one displays.
  return leaves_.back();
}

std::vector<const FieldValue*> FieldRegister::leaves() const {
  std::vector<const FieldValue*> out;
  out.reserve(leaves_.size());
  for (auto it = leaves_.rbegin(); it != leaves_.rend(); ++it) out.push_back(&*it);
  return out;
}

bool FieldRegister::has_conflict() const {
  if (leaves_.size() < 2) return false;
  const auto& first = leaves_.front().value;
  for (const auto& leaf : leaves_)
    if (leaf.value != first) return true;
  return false;
}

std::vector<std::string> FieldRegister::leaf_ids() const {
  std::vector<std::string> ids;
  ids.reserve(leaves_.size());
  for (const auto& leaf : leaves_) ids.push_back(leaf.change_id());
  return ids;
}

}  // namespace psc
