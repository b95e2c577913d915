// A conflicted field: every value that was saved concurrently, who saved it,
// on which device and when. Shown on the list (summary) and on the edit
// screen (with a button to keep each value).
import { fieldLabel, t } from '../i18n.js';
import { h } from './dom.js';
import { byline, displayValue } from './format.js';

// leaves: record.conflicts[field], the displayed value first.
function leafItems(field, leaves, spec, ownDeviceId, onKeep) {
  return leaves.map((leaf, index) => h('li', { class: 'conflict-leaf' },
    h('div', { class: 'conflict-text' },
      h('span', { class: 'conflict-value' }, `“${displayValue(field, leaf.value, spec)}”`),
      index === 0 ? h('span', { class: 'tag' }, t('conflict.shown')) : null,
      h('div', { class: 'byline' }, byline(leaf, ownDeviceId))),
    onKeep ? h('button', { type: 'button', class: 'button-secondary', onclick: () => onKeep(leaf.value) }, t('conflict.keep')) : null));
}

// The edit screen's panel for one field; onKeep(value) resolves with that value.
// help: the advice under the heading (default: keep one, or type a merged value).
export function conflictPanel(field, leaves, spec, ownDeviceId, onKeep, help = t('conflict.help')) {
  return h('div', { class: 'conflict-panel', role: 'group', 'aria-label': `${fieldLabel(field)}: ${t('list.conflictBadge')}`, 'data-field': field },
    h('p', { class: 'conflict-heading' }, `⚠ ${t('conflict.heading', { field: fieldLabel(field), n: leaves.length })}`),
    h('p', { class: 'conflict-help' }, help),
    h('ul', { class: 'conflict-leaves' }, leafItems(field, leaves, spec, ownDeviceId, onKeep)));
}

// The list card's summary of every conflicted field of a record; with a
// "Resolve" link unless the reader may not change it.
export function conflictSummary(record, specOf, ownDeviceId, { resolve = true } = {}) {
  const fields = Object.keys(record.conflicts ?? {});
  if (fields.length === 0) return null;
  return h('div', { class: 'card-conflict', 'data-testid': 'conflict' },
    fields.map((field) => h('div', { class: 'card-conflict-field' },
      h('p', {}, h('strong', {}, `⚠ ${t('list.conflictBadge')}`), ' ', t('list.conflictIn', { field: fieldLabel(field) })),
      h('ul', { class: 'conflict-leaves' }, leafItems(field, record.conflicts[field], specOf(field), ownDeviceId, null)))),
    resolve ? h('a', { class: 'button button-warning', href: `#/p/${encodeURIComponent(record.id)}` }, t('list.resolve')) : null);
}
