// The start screen when no neighborhood is chosen: explains that the device
// has no neighborhoods until its first connection, or asks to pick one. A
// coordinator also finds the first steps of setting the city up, until they
// hide them (a device setting).
import { t } from '../i18n.js';
import { h } from './dom.js';

export class HomeView {
  constructor(sync, { unknownNeighborhood = '' } = {}) {
    this.sync = sync;
    this.unknownNeighborhood = unknownNeighborhood;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  render() {
    const neighborhoods = this.sync.list('neighborhood');
    let card;
    if (neighborhoods.length === 0) {
      card = h('section', { class: 'card empty-state', 'data-testid': 'no-neighborhoods' },
        h('h1', {}, t('home.noNeighborhoods.title')),
        h('p', {}, t('home.noNeighborhoods.body')),
        navigator.onLine ? null : h('p', { class: 'muted' }, t('home.noNeighborhoods.offline')));
    } else {
      const sorted = neighborhoods.map((n) => ({ id: n.id, name: n.fields.name ?? n.id }))
        .sort((a, b) => a.name.localeCompare(b.name));
      card = h('section', { class: 'card' },
        this.unknownNeighborhood ? h('p', { class: 'notice notice-error' }, t('home.unknownNeighborhood', { id: this.unknownNeighborhood })) : null,
        h('h1', {}, t('home.choose.title')),
        h('p', {}, t('home.choose.body')),
        h('ul', { class: 'neighborhood-grid' },
          sorted.map((n) => h('li', {}, h('a', { class: 'button button-tile', href: `#/n/${encodeURIComponent(n.id)}` }, n.name)))));
    }
    this.container.replaceChildren(this.gettingStarted(), card);
  }

  gettingStarted() {
    if (this.sync.session?.role !== 'coordinator' || this.sync.prefs.gettingStartedHidden) return '';
    const step = (text, href, label) => h('li', {}, text, href ? [' ', h('a', { href }, label)] : null);
    return h('section', { class: 'card getting-started', 'aria-labelledby': 'getting-started-h', 'data-testid': 'getting-started' },
      h('h2', { id: 'getting-started-h' }, t('start.title')),
      h('ol', { class: 'plain-list numbered' },
        step(t('start.accounts'), '#/accounts', t('start.accountsLink')),
        step(t('start.passwords')),
        step(t('start.kiosk')),
        step(t('start.devices'), '#/devices', t('start.devicesLink'))),
      h('button', { type: 'button', class: 'button button-secondary', onclick: () => this.sync.setPref('gettingStartedHidden', true).then(() => this.render()) },
        t('start.hide')));
  }

  update() { this.render(); }
  unmount() {}
}
