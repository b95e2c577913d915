// A record's audit trail, for coordinators: every change the server accepted
// (GET /api/history), newest first — field, value, account, device, time.
// Online only: the trail lives on the server.
import { deviceLabel } from '../device-names.js';
import { t } from '../i18n.js';
import { h } from './dom.js';

export class HistoryView {
  constructor(sync, type, id) {
    this.sync = sync;
    this.type = type;
    this.id = id;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  async render() {
    const status = h('p', { class: 'muted', 'data-testid': 'history-status' }, t('history.loading'));
    this.container.replaceChildren(h('section', { class: 'card' },
      h('p', { class: 'breadcrumb' }, h('a', { href: `#/p/${encodeURIComponent(this.id)}` }, t('history.back'))),
      h('h1', {}, t('history.title')),
      h('p', {}, t('history.body')),
      status));
    let entries;
    try {
      const response = await fetch(`/api/history?type=${encodeURIComponent(this.type)}&id=${encodeURIComponent(this.id)}`, {
        headers: { authorization: `Bearer ${this.sync.session?.token ?? ''}`, 'x-psc-device': this.sync.deviceId },
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
      entries = body.history;
    } catch (error) {
      status.textContent = navigator.onLine ? t('history.failed', { message: error.message }) : t('history.offline');
      return;
    }
    const rows = entries.slice().reverse().map((e) => h('tr', {},
      h('td', {}, new Date(e.received_at).toLocaleString()),
      h('td', {}, e.field === '_deleted' ? '(deleted)' : e.field),
      h('td', {}, e.value === null ? '—' : String(e.value)),
      h('td', {}, e.actor),
      h('td', { class: 'muted', title: e.device }, deviceLabel(e.device))));
    status.replaceWith(h('table', { class: 'history-table', 'data-testid': 'history-table' },
      h('thead', {}, h('tr', {}, ...['when', 'field', 'value', 'who', 'device'].map((k) => h('th', {}, t(`history.${k}`))))),
      h('tbody', {}, ...rows)));
  }

  update() {}
  unmount() {}
}
