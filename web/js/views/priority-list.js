// A neighborhood's priorities: one card each, open ones first, with any
// conflict shown on the card; the way to add a new one. Read-only (no add,
// "Open" instead of "Edit") for those who may not change it (a viewer).
//
// A neighborhood can hold over a thousand priorities. When the list is
// shown, the heading, the count and the first FIRST_CARDS cards (more than a
// screenful on any tablet or laptop) are drawn at once; the rest follow, in
// order, in slices of about SLICE_MS once that first frame is on screen, so
// keyboard order and find-in-page reach every card a moment later. Before
// printing, whatever is left is drawn at once. A refresh (update) draws the
// whole list at once, so a reader scrolled down the list keeps their place.
import { canEditNeighborhood } from '../access.js';
import { enumLabel, t, tCount } from '../i18n.js';
import { conflictSummary } from './conflict.js';
import { afterPaint, h, svg } from './dom.js';
import { neighborhoodTabs } from './neighborhood-tabs.js';

const STATUS_ORDER = ['in_progress', 'adopted', 'proposed', 'resolved', 'dropped'];
const FIRST_CARDS = 30;
const SLICE_MS = 8;
const PRINT = typeof matchMedia === 'function' ? matchMedia('print') : null;

export class PriorityListView {
  constructor(sync, neighborhood) {
    this.sync = sync;
    this.neighborhood = neighborhood;  // a neighborhood record
  }

  mount(container) {
    this.container = container;
    this.render({ sliced: true });
  }

  update() { this.render(); }
  unmount() { this.drawing?.stop(); }

  render({ sliced = false } = {}) {
    this.drawing?.stop();
    const name = this.neighborhood.fields.name ?? this.neighborhood.id;
    // Summaries, not full records: the cards show values and a conflict mark only.
    const priorities = this.sync.summaries('priority', 'neighborhood', this.neighborhood.id)
      .sort((a, b) => (STATUS_ORDER.indexOf(a.fields.status) - STATUS_ORDER.indexOf(b.fields.status))
        || String(a.fields.title ?? '').localeCompare(String(b.fields.title ?? '')));
    if (sliced) performance.mark('psc:list');  // the records read from the replica and sorted
    const specOf = (field) => this.sync.core.fieldSpec('priority', field);
    this.editable = canEditNeighborhood(this.sync.session, this.neighborhood.id);
    // One pass over the commitments, not one per card.
    this.commitmentsOf = new Map();
    for (const c of this.sync.list('commitment')) {
      const list = this.commitmentsOf.get(c.fields.priority) ?? [];
      list.push(c);
      this.commitmentsOf.set(c.fields.priority, list);
    }

    const header = h('div', { class: 'list-header' },
      h('div', {},
        h('h1', {}, t('list.heading', { name })),
        priorities.length ? h('p', { class: 'muted' }, tCount('list.count', priorities.length)) : null),
      this.editable ? h('a', { class: 'button button-primary', href: `#/n/${encodeURIComponent(this.neighborhood.id)}/new` }, `+ ${t('list.add')}`) : null);

    const body = priorities.length === 0
      ? h('div', { class: 'card empty-state' }, h('p', {}, t('list.empty', { name })), h('p', { class: 'muted' }, t('list.emptyHint')))
      : h('ul', { class: 'priority-list', 'aria-label': t('list.heading', { name }) });

    this.container.replaceChildren(neighborhoodTabs(this.neighborhood.id, 'priorities'), header, body);
    if (priorities.length) this.drawCards(body, priorities, specOf, sliced ? FIRST_CARDS : priorities.length);
  }

  // Appends the cards to `list`: `first` of them now, the rest in slices
  // after the next frame (all of them at once before printing).
  drawCards(list, priorities, specOf, first) {
    let next = 0;
    const draw = (more) => {
      const cards = document.createDocumentFragment();
      while (next < priorities.length && more()) cards.append(this.card(priorities[next++], specOf));
      list.append(cards);
    };
    draw(() => next < first);
    if (next === priorities.length) return;
    let cancel = null;
    const finish = () => {
      stop();
      draw(() => true);
    };
    const onPrint = (event) => { if (event.type === 'beforeprint' || event.matches) finish(); };
    const stop = () => {
      cancel?.();
      window.removeEventListener('beforeprint', onPrint);
      PRINT?.removeEventListener('change', onPrint);
      if (this.drawing === drawing) this.drawing = null;
    };
    const slice = () => {
      const end = performance.now() + SLICE_MS;
      draw(() => performance.now() < end);
      if (next < priorities.length) {
        const timer = setTimeout(slice, 0);
        cancel = () => clearTimeout(timer);
      } else {
        stop();
        performance.mark('psc:all-cards');
      }
    };
    const drawing = { stop };
    this.drawing = drawing;
    window.addEventListener('beforeprint', onPrint);
    PRINT?.addEventListener('change', onPrint);
    cancel = afterPaint(slice);
  }

  card(record, specOf) {
    const f = record.fields;
    const href = `#/p/${encodeURIComponent(record.id)}`;
    const closed = f.status === 'resolved' || f.status === 'dropped';
    const hasConflict = Object.keys(record.conflicts ?? {}).length > 0;
    return h('li', { class: `card priority-card${closed ? ' is-closed' : ''}${hasConflict ? ' has-conflict' : ''}`, 'data-id': record.id },
      h('div', { class: 'priority-card-main' },
        h('h2', { class: 'priority-title' }, h('a', { href }, f.title || t('list.noTitle'))),
        h('div', { class: 'priority-tags' },
          f.status ? h('span', { class: `chip chip-status chip-${f.status}` }, enumLabel('status', f.status)) : null,
          f.category ? h('span', { class: 'chip' }, enumLabel('category', f.category)) : null,
          f.address ? h('span', { class: 'priority-address' }, pinIcon(), f.address) : null),
        f.description ? h('p', { class: 'priority-description' }, f.description) : null,
        this.commitmentChips(record),
        conflictSummary(record, specOf, this.sync.deviceId, { resolve: this.editable })),
      this.editable
        ? h('a', { class: 'button button-secondary priority-edit', href, 'aria-label': `${t('list.edit')}: ${f.title ?? ''}` }, t('list.edit'))
        : h('a', { class: 'button button-secondary priority-edit', href, 'aria-label': `${t('list.open')}: ${f.title ?? ''}` }, t('list.open')));
  }

  // Which department it is addressed to and how each one answered.
  commitmentChips(record) {
    const commitments = this.commitmentsOf.get(record.id) ?? [];
    const addressed = record.fields.department;
    if (!commitments.length && !addressed) return null;
    return h('div', { class: 'priority-tags commitment-chips' },
      commitments.length === 0 ? h('span', { class: 'chip chip-awaiting' }, t('dept.awaitingFrom', { department: enumLabel('department', addressed) })) : null,
      commitments.map((c) => h('span', { class: `chip chip-commitment-${c.fields.status}`, 'data-testid': 'commitment-chip' },
        `${enumLabel('department', c.fields.department)}: ${enumLabel('status', c.fields.status)}`)));
  }
}

function pinIcon() {
  return svg('svg', { class: 'icon', viewBox: '0 0 24 24', width: '16', height: '16', 'aria-hidden': 'true' },
    svg('path', { d: 'M12 22s7-6.2 7-12a7 7 0 1 0-14 0c0 5.8 7 12 7 12z', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }),
    svg('circle', { cx: '12', cy: '10', r: '2.5', fill: 'currentColor' }));
}
