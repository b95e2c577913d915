// Things the user must be told, under the toolbar: changes the server
// refused (kept until dismissed, never dropped silently), server errors, and
// short confirmations such as "Saved on this device".
import { fieldLabel, t, tCount } from '../i18n.js';
import { h } from './dom.js';
import { displayValue } from './format.js';

// A confirmation floats over the page's bottom corner: short-lived, with a
// close button, and gone when the user moves to another screen (it said
// "Saved" about the last one, and covered the next one's buttons).
const TOAST_MS = 4000;
const FIELD_ORDER = ['title', 'neighborhood', 'category', 'status', 'address', 'description', '_deleted'];

export class Notices {
  constructor(container, sync) {
    this.container = container;
    this.sync = sync;
    this.toast = null;
    this.toastTimer = null;
    this.error = null;
    // A toast never stands between a finger and a button: taps go through
    // it (app.css: pointer-events) to what is under it, and the user's next
    // click anywhere ends it (it confirmed the last action, not the next
    // one). On click, not pointerdown: the page must not move (the room kept
    // for the toast at its bottom) between the press and the release.
    document.addEventListener('click', (event) => {
      if (this.toast && !event.target.closest?.('.toast')) this.clearToast();
    }, { capture: true });
  }

  // untilSynced: the toast says "will sync later"; it goes once nothing waits
  // (and after TOAST_MS at the latest: the status line keeps saying it).
  // carry: the toast is about a save that is followed by a move to another
  // screen (back to the list): it stays for that one move.
  showToast(text, { kind = 'success', untilSynced = false, carry = false } = {}) {
    this.toast = { text, kind, untilSynced, carry };
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.clearToast(), TOAST_MS);
    this.render();
  }

  clearToast() {
    clearTimeout(this.toastTimer);
    if (!this.toast) return;
    this.toast = null;
    this.render();
  }

  // Called when the screen changes (app.js, on every hash change).
  onNavigate() {
    if (this.toast?.carry) this.toast.carry = false;
    else this.clearToast();
  }

  // Called on every sync status change.
  onStatus(status) {
    if (this.toast?.untilSynced && status.outbox === 0 && status.connection === 'online') {
      this.toast = null;
      this.render();
    }
  }

  showError(text) {
    this.error = text;
    this.render();
  }

  render() {
    const parts = [];
    if (this.toast) {
      parts.push(h('div', { class: `notice notice-${this.toast.kind} toast`, role: 'status', 'data-testid': 'toast' },
        h('span', {}, this.toast.text),
        h('button', { type: 'button', class: 'toast-close', 'aria-label': t('error.dismiss'), title: t('error.dismiss'), onclick: () => this.clearToast() }, '×')));
    }
    if (this.error) {
      parts.push(h('div', { class: 'notice notice-error', role: 'alert' },
        h('span', {}, this.error),
        h('button', { type: 'button', class: 'button-quiet', onclick: () => { this.error = null; this.render(); } },
          t('error.dismiss'))));
    }
    const rejected = this.sync.rejected;
    if (rejected.length) {
      parts.push(h('section', { class: 'notice notice-error rejected', 'data-testid': 'rejected', 'aria-labelledby': 'rejected-heading' },
        h('h2', { id: 'rejected-heading' }, tCount('rejected.heading', rejected.length)),
        h('p', {}, t('rejected.help')),
        h('ul', {}, groupByRecord(rejected).map((group) => this.rejectedGroup(group)))));
    }
    this.container.replaceChildren(...parts);
  }

  // One record's refused changes: its title, each field and value, and why.
  rejectedGroup(group) {
    const first = group[0].change;
    const record = first ? this.sync.record(first.type, first.record) : null;
    const titleChange = group.find((r) => r.change?.field === 'title')?.change;
    const title = record?.fields?.title ?? titleChange?.value ?? record?.fields?.name ?? first?.record ?? group[0].id;
    const reasons = [...new Set(group.map((r) => t('rejected.reason', { message: r.message, code: r.code })))];
    const order = (c) => { const i = FIELD_ORDER.indexOf(c.field); return i < 0 ? FIELD_ORDER.length : i; };
    const fields = group.map((r) => r.change).filter(Boolean).sort((x, y) => order(x) - order(y)).map((c) => {
      if (c.field === '_deleted') return t('rejected.deleted');
      const spec = this.sync.core.fieldSpec(c.type, c.field);
      let value = displayValue(c.field, c.value, spec);
      if (spec?.kind === 'reference') value = this.sync.record(spec.ref_type, c.value)?.fields?.name ?? c.value;
      return `${fieldLabel(c.field)}: “${value}”`;
    });
    const dismiss = async () => { for (const r of group) await this.sync.dismissRejected(r.id); };
    return h('li', {},
      h('div', {}, h('strong', {}, `“${title}”`)),
      h('ul', { class: 'rejected-fields' }, fields.map((text) => h('li', {}, text))),
      h('div', { class: 'rejected-reason' }, reasons.join(' ')),
      h('button', { type: 'button', class: 'button-quiet', onclick: dismiss }, t('rejected.dismiss')));
  }
}

function groupByRecord(rejected) {
  const groups = new Map();
  for (const r of rejected) {
    const key = r.change ? `${r.change.type}/${r.change.record}` : r.id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  return [...groups.values()];
}
