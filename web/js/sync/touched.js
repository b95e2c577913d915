// The records `changes` touch: type -> Set of record ids (the 'data' event's
// `changed`, sync.js).
export function touched(changes) {
  const out = new Map();
  for (const c of changes) {
    let ids = out.get(c.type);
    if (!ids) out.set(c.type, ids = new Set());
    ids.add(c.record);
  }
  return out;
}
