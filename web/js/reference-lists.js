// The departments and categories coordinators manage in the app
// (shared/include/psc/reference_lists.hpp): `department` and `category`
// records, read by every device, offline too. Forms offer the active ones
// (and a record's current value, so an edit never loses it); every label
// shows the record's name in the device's language. Until the first sync
// brings the records, the schema's built-in lists stand in, as in the core.
import { setListedNames } from './i18n.js';

export const LISTS = ['department', 'category'];

function entries(sync, type) { return sync.list(type).filter((r) => !r.deleted); }

// The values a form offers for a field: for a listed one (category,
// department) the active entries, the built-in ones in their order first,
// plus `current`; otherwise the schema's enumeration.
export function offeredValues(sync, type, field, current = '') {
  const spec = sync.core.fieldSpec(type, field);
  if (!spec?.listed_in) return spec?.allowed ?? [];
  const records = entries(sync, spec.listed_in);
  if (!records.length) return spec.allowed;
  const builtIn = (slug) => { const i = spec.allowed.indexOf(slug); return i < 0 ? spec.allowed.length : i; };
  return records
    .filter((r) => r.fields.active !== false || r.id === current)
    .sort((a, b) => builtIn(a.id) - builtIn(b.id) || String(a.fields.name ?? a.id).localeCompare(String(b.fields.name ?? b.id)))
    .map((r) => r.id);
}

// Called on every refresh: the labels follow the records (cheap: tens of them).
export function refreshListedNames(sync) {
  if (!sync.replica) return;  // before the core has loaded
  for (const type of LISTS) {
    setListedNames(type, new Map(entries(sync, type).filter((r) => r.fields.name)
      .map((r) => [r.id, { en: r.fields.name, es: r.fields.name_es || '' }])));
  }
}
