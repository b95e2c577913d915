// The coordinator's filters (neighborhood, category, status, date range) for
// the dashboard and the roll-up. They live in the URL hash's query
// (#/dashboard?category=youth&from=2026-11-01), so a reload or a bookmark
// keeps them, and the last ones used are remembered on the device so the
// toolbar's plain "Dashboard" link comes back to the same view.
import { enumLabel, t } from '../../i18n.js';
import { h } from '../dom.js';
import { offeredValues } from '../../reference-lists.js';
import { byName } from '../ui.js';

export const FILTER_KEYS = ['neighborhood', 'category', 'status', 'from', 'to'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function storageKey(page) { return `psc.filter.${page}`; }

// The filter in `hash` (only known keys, dates well formed); when the hash
// has no query at all, the last filter used on this device for `page`.
export function readFilter(page, hash = location.hash) {
  const q = hash.indexOf('?');
  let params;
  if (q >= 0) params = new URLSearchParams(hash.slice(q + 1));
  else {
    try { params = new URLSearchParams(localStorage.getItem(storageKey(page)) ?? ''); } catch { params = new URLSearchParams(); }
  }
  const filter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key) ?? '';
    if (!value || ((key === 'from' || key === 'to') && !DATE.test(value))) continue;
    filter[key] = value;
  }
  return filter;
}

export function filterQuery(filter) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) params.set(key, filter[key]);
  return params.toString();
}

// Puts the filter in the address bar without a hashchange (the view
// re-renders itself; a route change would reset focus and scroll) and
// remembers it on the device.
export function writeFilter(page, filter) {
  const query = filterQuery(filter);
  history.replaceState(null, '', `#/${page}${query ? `?${query}` : ''}`);
  try { localStorage.setItem(storageKey(page), query); } catch { /* private mode: the URL still has it */ }
}

// The filter form. `keys`: which filters to offer (the roll-up only has the
// date range). onChange(filter) after every change.
export function filterForm(sync, filter, { keys = FILTER_KEYS, onChange, idPrefix = 'filter' }) {
  const current = { ...filter };
  const inputs = {};
  const id = (key) => `${idPrefix}-${key}`;
  const changed = () => {
    for (const key of keys) {
      const value = inputs[key].value;
      if (value) current[key] = value; else delete current[key];
    }
    onChange({ ...current });
  };
  const select = (key, options) => {
    inputs[key] = h('select', { id: id(key), value: current[key] ?? '', onchange: changed }, options);
    return inputs[key];
  };
  const neighborhoods = sync.list('neighborhood').map((n) => ({ id: n.id, name: n.fields.name ?? n.id }))
    .sort((a, b) => byName(a.name, b.name));
  const build = {
    neighborhood: () => select('neighborhood', [h('option', { value: '' }, t('dash.filter.allNeighborhoods')),
      ...neighborhoods.map((n) => h('option', { value: n.id }, n.name))]),
    category: () => select('category', [h('option', { value: '' }, t('dash.filter.allCategories')),
      ...offeredValues(sync, 'priority', 'category').map((c) => h('option', { value: c }, enumLabel('category', c)))]),
    status: () => select('status', [h('option', { value: '' }, t('dash.filter.anyStatus')),
      h('option', { value: 'open' }, t('dash.filter.open')),
      ...sync.core.allowed('priority', 'status').map((s) => h('option', { value: s }, enumLabel('status', s)))]),
    from: () => (inputs.from = h('input', { id: id('from'), type: 'date', value: current.from ?? '', onchange: changed })),
    to: () => (inputs.to = h('input', { id: id('to'), type: 'date', value: current.to ?? '', onchange: changed })),
  };
  const labels = {
    neighborhood: t('field.neighborhood'), category: t('field.category'), status: t('field.status'),
    from: t('dash.filter.from'), to: t('dash.filter.to'),
  };
  const reset = h('button', { type: 'button', class: 'button button-quiet', onclick: () => {
    for (const key of keys) inputs[key].value = '';
    changed();
  } }, t('dash.filter.reset'));
  const form = h('form', { class: 'filters no-print', role: 'search', 'aria-label': t('dash.filter.label') },
    keys.map((key) => h('div', { class: `filter filter-${key}` }, h('label', { for: id(key) }, labels[key]), build[key]())),
    h('div', { class: 'filter filter-reset' }, reset));
  form.addEventListener('submit', (event) => event.preventDefault());
  return form;
}

// "Filtered: Frog Hollow · Youth · Open · from Nov 1, 2026" for the printed
// page (the form itself is not printed), or '' when nothing is filtered.
export function describeFilter(filter, nameOf, formatDate) {
  const parts = [];
  if (filter.neighborhood) parts.push(nameOf(filter.neighborhood));
  if (filter.category) parts.push(enumLabel('category', filter.category));
  if (filter.status) parts.push(filter.status === 'open' ? t('dash.filter.open') : enumLabel('status', filter.status));
  if (filter.from) parts.push(t('dash.filter.fromDate', { date: formatDate(filter.from) }));
  if (filter.to) parts.push(t('dash.filter.toDate', { date: formatDate(filter.to) }));
  return parts.length ? t('dash.filter.active', { list: parts.join(' · ') }) : '';
}
