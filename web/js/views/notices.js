// Things the user must be told, under the toolbar: changes the server
// refused (kept until dismissed, never dropped silently), server errors, and
// short confirmations such as "Saved on this device".
import { enumLabel, fieldLabel, t, tCount } from '../i18n.js';
import { h } from './dom.js';
import { displayValue } from './format.js';

const TOAST_MS = 6000;

export class Notices {
  constructor(container, sync) {
    this.container = container;
    this.sync = sync;
    this.toast = null;
    this.toastTimer = null;
    this.error = null;
  }

  showToast(text, kind = 'success') {
    this.toast = { text, kind };
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { this.toast = null; this.render(); }, TOAST_MS);
    this.render();
  }

  showError(text) {
    this.error = text;
    this.render();
  }

  render() {
    const parts = [];
    if (this.toast) {
      parts.push(h('div', { class: `notice notice-${this.toast.kind}`, role: 'status', 'data-testid': 'toast' }, this.toast.text));
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
        h('ul', {}, rejected.map((r) => this.rejectedItem(r)))));
    }
    this.container.replaceChildren(...parts);
  }

  rejectedItem(r) {
    const change = r.change;
    let what = r.id;
    if (change) {
      const record = this.sync.record(change.type, change.record);
      const title = record?.fields?.title ?? record?.fields?.name ?? change.record;
      const spec = this.sync.core.fieldSpec(change.type, change.field);
      what = t('rejected.item', {
        field: change.field === '_deleted' ? '—' : fieldLabel(change.field),
        title,
        value: spec?.kind === 'enumeration' ? enumLabel(change.field, change.value) : displayValue(change.field, change.value, spec),
      });
    }
    return h('li', {},
      h('div', {}, h('strong', {}, what)),
      h('div', { class: 'muted' }, t('rejected.reason', { message: r.message, code: r.code })),
      h('button', { type: 'button', class: 'button-quiet', onclick: () => this.sync.dismissRejected(r.id) }, t('rejected.dismiss')));
  }
}
