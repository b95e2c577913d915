// The coordinator's device list (#/devices, GET /api/devices): which tablets
// still hold changes the server does not have, and since when, so someone
// can go and fetch them. Online only: custody lives on the server.
//
// The server keeps a row per device token; a device signed in again gets a
// new token. One row per device and account is shown: the token it last
// connected with, which carries its latest report (older ones only repeat
// what it said before).
import { formatTime, t, tCount } from '../i18n.js';
import { adminTabs } from './admin-tabs.js';
import { deviceNameForm } from './device-name-form.js';
import { h } from './dom.js';

export class DevicesView {
  constructor(sync) {
    this.sync = sync;
    this.drawing = 0;  // which render() is the latest: an older one that finishes late draws nothing
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  update() {}
  unmount() {}

  async render() {
    const drawing = ++this.drawing;
    const status = h('p', { class: 'muted', 'data-testid': 'devices-status' }, t('devices.loading'));
    const refresh = h('button', { type: 'button', class: 'button button-secondary', onclick: () => this.render() }, t('devices.refresh'));
    this.container.replaceChildren(adminTabs('devices'), h('section', { class: 'card' },
      h('div', { class: 'list-header' }, h('h1', {}, t('devices.title')), refresh),
      h('p', {}, t('devices.intro')),
      status));
    let devices;
    let sequence = null;
    try {
      const headers = { authorization: `Bearer ${this.sync.session?.token ?? ''}`, 'x-psc-device': this.sync.deviceId };
      const [response, health] = await Promise.all([fetch('/api/devices', { headers, cache: 'no-store' }),
        fetch('/health', { cache: 'no-store' }).then((r) => r.json()).catch(() => null)]);
      const body = await response.json();
      if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
      devices = newestPerDevice(body);
      sequence = health?.sequence ?? null;
    } catch (error) {
      if (drawing !== this.drawing) return;
      status.textContent = navigator.onLine ? t('devices.failed', { message: error.message }) : t('devices.offline');
      return;
    }
    if (drawing !== this.drawing) return;  // a language switch or Refresh drew the screen again meanwhile
    const holding = devices.filter((d) => d.reported_unsynced > 0).length;
    status.replaceWith(
      h('p', { class: holding ? 'devices-summary devices-summary-holding' : 'devices-summary', 'data-testid': 'devices-summary' },
        tCount('devices.summary', holding), sequence !== null ? ` ${t('devices.serverAt', { seq: sequence })}` : ''),
      h('div', { class: 'table-scroll', tabindex: '0' }, h('table', { class: 'devices-table', 'data-testid': 'devices-table' },
        h('thead', {}, h('tr', {}, ...['device', 'account', 'role', 'lastSeen', 'cursor', 'unsynced', 'since']
          .map((k) => h('th', { scope: 'col' }, t(`devices.${k}`))))),
        h('tbody', {}, devices.map((d) => this.row(d))))));
  }

  row(d) {
    const holds = d.reported_unsynced > 0;
    const state = d.revoked_at ? t('devices.signedOut') : d.expires_at && d.expires_at < Date.now() ? t('devices.expired') : '';
    const own = d.device === this.sync.deviceId;
    return h('tr', { class: holds ? 'device-holding' : '', 'data-device': d.device },
      this.nameCell(d, own, state),
      h('td', { class: 'device-account' }, d.account),
      h('td', { class: 'device-role' }, t(`role.${d.role}`)),
      h('td', { class: 'nowrap' }, d.last_seen_at ? formatTime(d.last_seen_at) : t('devices.never')),
      h('td', { class: 'nowrap' }, d.last_seen_at ? t('devices.cursorValue', { n: d.last_cursor }) : '—'),
      h('td', { class: 'device-unsynced' },
        holds ? h('span', { class: 'chip chip-holding' }, `${d.reported_unsynced} · ${t('devices.holding')}`)
          : h('span', { class: 'muted' }, `0 · ${t('devices.synced')}`)),
      h('td', { class: 'nowrap' }, holds && d.unsynced_since ? formatTime(d.unsynced_since) : '—'));
  }

  // The device's name (device-names.js) over its id, and Rename: a form in
  // place of the cell until saved or cancelled.
  nameCell(d, own, state) {
    const cell = h('td', { class: 'device-cell' });
    const show = () => cell.replaceChildren(...[
      d.name ? h('strong', { class: 'device-name' }, d.name) : null,
      h('span', { class: d.name ? 'device-id muted' : 'device-id' }, d.device),
      own ? h('span', { class: 'muted' }, ` (${t('devices.thisDevice')})`) : null,
      state ? h('div', { class: 'muted' }, state) : null,
      // What can be done to the device, under its name: the table keeps
      // to a tablet's width in both languages without an actions column.
      h('div', { class: 'device-actions' },
        h('button', {
          type: 'button', class: 'button button-secondary button-small',
          'aria-label': `${t('deviceName.rename')}: ${d.name || d.device}`, onclick: edit,
        }, t('deviceName.rename')),
        state || own ? null : h('button', {
          type: 'button', class: 'button button-secondary button-small', 'aria-label': `${t('devices.revoke')}: ${d.device}`,
          onclick: () => this.revoke(d),
        }, t('devices.revoke'))),
    ].filter(Boolean));
    const edit = () => {
      const form = deviceNameForm(this.sync, {
        device: d.device, name: d.name, idPrefix: `rename-${d.id}`, onCancel: show,
        onSaved: () => this.render(),
      });
      cell.replaceChildren(h('span', { class: 'device-id muted' }, d.device), form);
      form.focusInput();
    };
    show();
    return cell;
  }

  // Signs one device out at once (a lost or stolen tablet). What it still
  // holds unsynced stays on it: the row said how much before the click.
  async revoke(d) {
    try {
      await this.sync.api('/api/devices/revoke', { token: this.sync.session.token, body: { id: d.id } });
    } catch (error) {
      if (error.status !== 404) this.app?.error?.(error.message);
    }
    await this.render();
  }
}

// One row per device and account (the token last seen, else the newest),
// those holding data first (longest held first), then the most recently seen.
function newestPerDevice(tokens) {
  const later = (a, b) => (a.last_seen_at ?? 0) > (b.last_seen_at ?? 0)
    || ((a.last_seen_at ?? 0) === (b.last_seen_at ?? 0) && a.id > b.id);
  const newest = new Map();
  for (const token of tokens) {
    const key = `${token.device}\n${token.account}`;
    if (!newest.has(key) || later(token, newest.get(key))) newest.set(key, token);
  }
  return [...newest.values()].sort((a, b) => {
    const holdA = a.reported_unsynced > 0;
    const holdB = b.reported_unsynced > 0;
    if (holdA !== holdB) return holdA ? -1 : 1;
    if (holdA) return (a.unsynced_since ?? 0) - (b.unsynced_since ?? 0);
    return (b.last_seen_at ?? 0) - (a.last_seen_at ?? 0);
  });
}
