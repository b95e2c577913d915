// A neighborhood's priorities: one card each, open ones first, with any
// conflict shown on the card; the way to add a new one. Read-only (no add,
// "Open" instead of "Edit") for those who may not change it (a viewer).
//
// A neighborhood can hold thousands of priorities. When the list is shown,
// the heading, the count and the first FIRST_CARDS cards (more than a
// screenful on any tablet or laptop) are drawn at once; the rest follow, in
// order, in slices of SLICE_MS growing to MAX_SLICE_MS once that first frame
// is on screen, so
// keyboard order and find-in-page reach every card a moment later. Before
// printing, whatever is left is drawn at once.
//
// A refresh (update) touches only what changed: app.js passes the records
// the refresh is for ({changed}: type -> Set of ids, or null when anything
// may have changed), and only their cards are drawn again, moved, added or
// removed; every other card stays as it is (a reader scrolled down the list
// keeps their place). So a catch-up of 20,000 priorities costs each refresh
// the records that arrived since the last one, not the whole list (it did:
// every refresh redrew every card, and the list fell further behind with
// each page).
import { canEditNeighborhood } from '../access.js';
import { enumLabel, t, tCount } from '../i18n.js';
import { conflictSummary } from './conflict.js';
import { afterPaint, fill, h, svg } from './dom.js';
import { exportMenu } from './export-menu.js';
import { neighborhoodTabs } from './neighborhood-tabs.js';
import { priorityMap } from './priority-map.js';

const STATUS_ORDER = ['in_progress', 'adopted', 'proposed', 'resolved', 'dropped'];
const FIRST_CARDS = 30;
const SLICE_MS = 8;
const MAX_SLICE_MS = 32;
const CATCH_UP_WINDOW = 100;  // cards drawn during a catch-up, and more per scroll to their end
const PRINT = typeof matchMedia === 'function' ? matchMedia('print') : null;
const collator = new Intl.Collator();

// What a card shows of a record and its commitments, compared to know
// whether the card must be drawn again.
function signature(record, commitments = []) {
  return JSON.stringify([record.fields, record.conflicts ?? {},
    commitments.map((c) => [c.id, c.fields.department, c.fields.status])]);
}

// List order: open ones first (by status), then by title; the id breaks ties,
// so every refresh finds a record where the last one left it.
function compareRows(a, b) {
  return (a.rank - b.rank) || collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class PriorityListView {
  constructor(sync, neighborhood) {
    this.sync = sync;
    this.neighborhood = neighborhood;  // a neighborhood record
  }

  mount(container) {
    this.container = container;
    this.render({ sliced: true });
  }

  // changed: type -> Set of record ids the refresh is for; null or absent:
  // anything may have changed (every record is compared).
  update({ changed = null } = {}) {
    if (!this.list) {
      this.render();
      return;
    }
    const ids = changed ? this.affected(changed) : null;
    if (!ids) this.readCommitments();
    if (!ids || ids.size) {
      const fresh = ids
        ? [...ids].map((id) => this.sync.record('priority', id) ?? { id, deleted: true })
        : this.sync.summaries('priority', 'neighborhood', this.neighborhood.id);
      const seen = ids ? null : new Set(fresh.map((r) => r.id));
      for (const record of fresh) this.put(record);
      if (seen) for (const row of [...this.byId.values()]) if (!seen.has(row.id)) this.removeRow(row);
      if (this.rows.length === 0) {
        this.render();  // the empty state
        return;
      }
      this.count.textContent = tCount('list.count', this.rows.length);
      this.drawMap();
    }
    this.fillUp();
  }

  unmount() {
    this.drawing?.stop();
    this.moreObserver?.disconnect();
    window.removeEventListener('beforeprint', this.onPrint);
    PRINT?.removeEventListener('change', this.onPrint);
  }

  // The priorities whose cards `changed` may alter: the priorities named,
  // and those whose commitments changed (commitments are read again then;
  // the signature of a row covers its commitments).
  affected(changed) {
    const ids = new Set(changed.get('priority') ?? []);
    const commitments = changed.get('commitment');
    if (commitments?.size) {
      for (const id of commitments) {
        const before = this.priorityOf.get(id);
        if (before) ids.add(before);
        const after = this.sync.record('commitment', id)?.fields?.priority;
        if (after) ids.add(after);
      }
      this.readCommitments();
    }
    if (changed.get('neighborhood')?.has(this.neighborhood.id)) {
      const record = this.sync.record('neighborhood', this.neighborhood.id);
      if (record?.fields?.name && record.fields.name !== this.neighborhood.fields.name) {
        this.neighborhood = record;
        this.heading.textContent = t('list.heading', { name: record.fields.name });
      }
    }
    return ids;
  }

  // One pass over the commitments, not one per card.
  readCommitments() {
    this.commitmentsOf = new Map();
    this.priorityOf = new Map();
    for (const c of this.sync.list('commitment')) {
      const list = this.commitmentsOf.get(c.fields.priority) ?? [];
      list.push(c);
      this.commitmentsOf.set(c.fields.priority, list);
      this.priorityOf.set(c.id, c.fields.priority);
    }
  }

  render({ sliced = false } = {}) {
    this.drawing?.stop();
    this.moreObserver?.disconnect();
    // Before printing, every card (also those a catch-up holds back).
    if (!this.onPrint) {
      this.onPrint = (event) => {
        if ((event.type !== 'beforeprint' && !event.matches) || !this.list) return;
        this.drawing?.stop();
        this.drawRows(() => true, Infinity);
      };
      window.addEventListener('beforeprint', this.onPrint);
      PRINT?.addEventListener('change', this.onPrint);
    }
    const name = this.neighborhood.fields.name ?? this.neighborhood.id;
    this.readCommitments();
    // Summaries, not full records: the cards show values and a conflict mark only.
    this.rows = this.sync.summaries('priority', 'neighborhood', this.neighborhood.id).map((record) => this.row(record))
      .sort(compareRows);
    this.byId = new Map(this.rows.map((row) => [row.id, row]));
    this.drawn = 0;
    this.window = CATCH_UP_WINDOW;
    if (sliced) performance.mark('psc:list');  // the records read from the replica and sorted
    this.specOf = (field) => this.sync.core.fieldSpec('priority', field);
    this.editable = canEditNeighborhood(this.sync.session, this.neighborhood.id);

    this.heading = h('h1', {}, t('list.heading', { name }));
    this.count = h('p', { class: 'muted', 'data-testid': 'priority-count' }, tCount('list.count', this.rows.length));
    const header = h('div', { class: 'list-header' },
      h('div', {}, this.heading, this.rows.length ? this.count : null),
      h('div', { class: 'report-actions' },
        this.editable ? h('a', { class: 'button button-primary', href: `#/n/${encodeURIComponent(this.neighborhood.id)}/new` }, `+ ${t('list.add')}`) : null,
        this.rows.length ? exportMenu(this.sync, { kind: 'neighborhood', id: this.neighborhood.id, name: this.neighborhood.id }) : null));

    this.list = this.rows.length ? h('ul', { class: 'priority-list', 'aria-label': t('list.heading', { name }) }) : null;
    this.more = h('p', { class: 'muted list-more', 'data-testid': 'list-more', hidden: true });
    const body = this.list ?? this.emptyState(name);
    // The map (priority-map.js), drawn only while open: a catch-up refreshes
    // the list many times a second and most readers never open it.
    this.map = this.rows.length ? h('details', { class: 'card priority-map', 'data-testid': 'priority-map', open: this.mapOpen },
      h('summary', {}, t('map.summary')), h('div', { class: 'priority-map-slot' })) : null;
    this.map?.addEventListener('toggle', () => {
      this.mapOpen = this.map.open;
      this.drawMap();
    });
    this.drawMap();

    fill(this.container, neighborhoodTabs(this.neighborhood.id, 'priorities'), header, this.map, body, this.more);  // no map: nothing there
    if (!this.list) return;
    // During a catch-up, reaching the end of the cards drawn draws more.
    if (typeof IntersectionObserver === 'function') {
      this.moreObserver = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting) || !this.sync.status.catchUp) return;
        this.window = this.drawn + CATCH_UP_WINDOW;
        this.drawRows(() => true);
        this.moreObserver.unobserve(this.more);  // and again: still in view after that, it fires again
        this.moreObserver.observe(this.more);
      }, { rootMargin: '800px 0px' });
      this.moreObserver.observe(this.more);
    }
    this.drawRows(() => this.drawn < (sliced ? FIRST_CARDS : Infinity));
    this.fillUp();
  }

  drawMap() {
    if (!this.map?.open) return;
    this.map.lastElementChild.replaceChildren(priorityMap(this.rows.map((row) => row.record)));
  }

  // No priorities on this device: what to do next, true for who is reading.
  // Only those who may add one are pointed at the add button; an organizer
  // looking at another neighborhood is told its records are not sent here
  // (the server shares only their own), not that there are none.
  emptyState(name) {
    if (this.editable) {
      return h('div', { class: 'card empty-state', 'data-testid': 'list-empty' },
        h('p', {}, t('list.empty', { name })), h('p', { class: 'muted' }, t('list.emptyHint')));
    }
    const session = this.sync.session;
    if (session?.role === 'organizer' && session.neighborhood && session.neighborhood !== this.neighborhood.id) {
      const own = this.sync.record('neighborhood', session.neighborhood)?.fields?.name ?? session.neighborhood;
      return h('div', { class: 'card empty-state', 'data-testid': 'list-empty' },
        h('p', {}, t('list.notShared', { own, name })),
        h('a', { class: 'button button-secondary', href: `#/n/${encodeURIComponent(session.neighborhood)}` }, t('list.goOwn', { own })));
    }
    return h('div', { class: 'card empty-state', 'data-testid': 'list-empty' }, h('p', {}, t('list.emptyReadOnly', { name })));
  }

  row(record) {
    return { id: record.id, rank: STATUS_ORDER.indexOf(record.fields.status), title: String(record.fields.title ?? ''),
             record, sig: signature(record, this.commitmentsOf.get(record.id)), element: null };
  }

  // How many cards are drawn: all, except during a catch-up, when the list
  // grows by thousands of records a minute and every card in the page costs
  // each frame a little (its visibility, hit testing): then the first
  // this.window, more as the reader scrolls to their end; the rest once the
  // catch-up is over.
  cap() { return this.sync.status.catchUp ? this.window : Infinity; }

  // Where `row` belongs in the sorted rows (its index if it is there).
  position(row) {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRows(this.rows[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // A record as it is now: its card added, drawn again and moved, or removed.
  put(record) {
    const old = this.byId.get(record.id);
    const listed = record && !record.deleted && record.fields && Object.keys(record.fields).length > 0
      && record.fields.neighborhood === this.neighborhood.id;
    if (!listed) {
      if (old) this.removeRow(old);
      return;
    }
    const row = this.row(record);
    if (old && old.sig === row.sig) return;
    if (old) this.removeRow(old);
    const at = this.position(row);
    // The rows before this.drawn have their cards in the list, in order;
    // the rest are drawn later (slices, or the end of a catch-up).
    const draw = at < this.drawn || (this.drawn === this.rows.length && this.drawn < this.cap());
    this.rows.splice(at, 0, row);
    this.byId.set(row.id, row);
    if (!draw) return;
    row.element = this.card(row.record);
    this.list.insertBefore(row.element, this.rows[at + 1]?.element ?? null);
    this.drawn += 1;
    if (this.drawn > this.cap()) this.undraw(this.rows[this.drawn - 1]);
  }

  removeRow(row) {
    const at = this.position(row);
    if (this.rows[at] !== row) return;
    if (row.element) this.undraw(row);
    this.rows.splice(at, 1);
    this.byId.delete(row.id);
  }

  undraw(row) {
    row.element.remove();
    row.element = null;
    this.drawn -= 1;
  }

  // Appends the cards of the rows after this.drawn while more() says so, up
  // to `cap`; says how many are left out.
  drawRows(more, cap = this.cap()) {
    const cards = document.createDocumentFragment();
    while (this.drawn < this.rows.length && this.drawn < cap && more()) {
      const row = this.rows[this.drawn++];
      row.element = this.card(row.record);
      cards.append(row.element);
    }
    this.list.append(cards);
    const left = this.rows.length - this.drawn;
    const waiting = left > 0 && Boolean(this.sync.status.catchUp);
    this.more.hidden = !waiting;
    if (waiting) this.more.textContent = tCount('list.more', left);
  }

  // Draws the cards still missing (up to cap()): in slices after the next
  // frame is on screen, so the page stays responsive (all of them at once
  // before printing: onPrint).
  fillUp() {
    if (this.drawing) return;
    if (this.drawn >= Math.min(this.rows.length, this.cap())) {
      this.drawRows(() => false);  // the "more" line
      return;
    }
    let cancel = null;
    const stop = () => {
      cancel?.();
      if (this.drawing === drawing) this.drawing = null;
    };
    let budget = SLICE_MS;
    const slice = () => {
      const end = performance.now() + budget;
      // Short slices first (a reader may start scrolling at once), then
      // longer ones: every frame between two slices costs a little more per
      // card already in the list, so thousands of cards in short slices
      // cost more in frames than in drawing.
      budget = Math.min(MAX_SLICE_MS, budget * 2);
      this.drawRows(() => performance.now() < end);
      if (this.drawn < Math.min(this.rows.length, this.cap())) {
        const timer = setTimeout(slice, 0);
        cancel = () => clearTimeout(timer);
      } else {
        stop();
        if (this.drawn === this.rows.length) performance.mark('psc:all-cards');
      }
    };
    const drawing = { stop };
    this.drawing = drawing;
    cancel = afterPaint(slice);
  }

  card(record) {
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
        conflictSummary(record, this.specOf, this.sync.deviceId, { resolve: this.editable })),
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
      // Awaiting an answer once the committee has taken it on (adopted, in
      // progress); a proposal is only addressed to the department so far.
      commitments.length === 0 ? (this.sync.replica.awaitsResponse(record.id, 0)
        ? h('span', { class: 'chip chip-awaiting' }, t('dept.awaitingFrom', { department: enumLabel('department', addressed) }))
        : h('span', { class: 'chip' }, t('dept.addressedTo', { department: enumLabel('department', addressed) }))) : null,
      commitments.map((c) => h('span', { class: `chip chip-commitment-${c.fields.status}`, 'data-testid': 'commitment-chip' },
        `${enumLabel('department', c.fields.department)}: ${enumLabel('status', c.fields.status)}`)));
  }
}

function pinIcon() {
  return svg('svg', { class: 'icon', viewBox: '0 0 24 24', width: '16', height: '16', 'aria-hidden': 'true' },
    svg('path', { d: 'M12 22s7-6.2 7-12a7 7 0 1 0-14 0c0 5.8 7 12 7 12z', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }),
    svg('circle', { cx: '12', cy: '10', r: '2.5', fill: 'currentColor' }));
}
