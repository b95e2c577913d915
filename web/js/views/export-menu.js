// "Download": the data a screen shows, as files. The core makes them on this
// device from what it holds (shared/include/psc/exports.hpp, the same code
// as the server's /api/export), so downloads work offline, need no token in
// a URL, and hold exactly what the device may read.
//
// CSV is UTF-8. "For Excel" puts a byte-order mark first: without it Excel
// on Windows reads UTF-8 as the local code page and "José" opens as "JosÃ©".
// The choice is kept on the device.
import { t } from '../i18n.js';
import { localDate } from '../time.js';
import { h } from './dom.js';

const BOM_SETTING = 'psc.csvByteOrderMark';
const TABLES = ['priorities', 'meetings', 'agenda_items', 'attendance', 'organizations', 'votes', 'tallies', 'commitments',
  'action_items', 'outcomes'];

// kind: 'neighborhood' | 'meeting' | 'city' (with the city's lists too); id: the neighborhood or meeting;
// name: the files' base name; extra: [{label, file, type, text: () => string}]
// files of the screen's own (a report's JSON) listed first.
export function exportMenu(sync, { kind, id = '', name, tables = kind === 'city' ? [...TABLES, 'departments', 'categories'] : TABLES, extra = [] }) {
  const base = `${name}-${localDate()}`;
  const forExcel = h('input', {
    type: 'checkbox', id: `export-bom-${kind}`, checked: localStorage.getItem(BOM_SETTING) === '1',
    onchange: () => localStorage.setItem(BOM_SETTING, forExcel.checked ? '1' : '0'),
  });
  const file = (label, filename, type, text) => h('li', {},
    h('button', { type: 'button', class: 'button button-quiet export-file', onclick: () => save(filename, type, text()) }, label));
  const csv = (table) => () => `${forExcel.checked ? '\uFEFF' : ''}${sync.replica.exportCsv(kind, id, table)}`;
  const menu = h('details', { class: 'export-menu no-print', 'data-testid': 'export-menu' },
    h('summary', { class: 'button button-secondary' }, t('export.download')),
    h('div', { class: 'export-panel' },
      h('ul', { class: 'export-files' },
        extra.map((e) => file(e.label, e.file, e.type ?? 'application/json', e.text)),
        file(t('export.all'), `${base}.json`, 'application/json', () => sync.replica.exportDocument(kind, id)),
        tables.map((table) => file(t('export.table', { table: t(`export.table.${table}`) }), `${base}-${table}.csv`,
          'text/csv;charset=utf-8', csv(table)))),
      h('p', { class: 'export-option' }, forExcel, ' ', h('label', { for: forExcel.id }, t('export.forExcel')))));
  return menu;
}

// An open menu closes as a menu does: a tap elsewhere, or Escape (focus back
// on its button). One pair of listeners for every Download menu, looking at
// the menus open when the event comes: nothing to add or remove as menus
// open, close or are drawn again (listeners added on each opening depended
// on the order of the toggle event and the next key).
if (typeof document === 'object') {
  const openMenus = () => document.querySelectorAll('details.export-menu[open]');
  document.addEventListener('pointerdown', (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of openMenus()) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
  });
}

function save(filename, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
