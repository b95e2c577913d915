// The bar under the header: neighborhood picker, the screens that are not a
// neighborhood's (conflicts, department, city-wide), who is signed in (a
// menu: account, hand-off files, devices, sign-out), language. One row on a
// 1024 px tablet for every role. update() refreshes only the picker.
import { languages, language, t } from '../i18n.js';
import { h } from './dom.js';
import { cityWideLinks } from './dashboard/nav.js';
import { NavLinks } from './nav-links.js';

export class Toolbar {
  // handlers: {onNeighborhood(slug), onSignOut(), onLanguage(code)}
  constructor(container, sync, handlers) {
    this.container = container;
    this.sync = sync;
    this.handlers = handlers;
    // The account menu closes on a click elsewhere and on Escape, as menus do.
    document.addEventListener('click', (event) => {
      const open = this.container.querySelector('.toolbar-menu[open]');
      if (open && !open.contains(event.target)) open.open = false;
    });
    document.addEventListener('keydown', (event) => {
      const open = this.container.querySelector('.toolbar-menu[open]');
      if (event.key !== 'Escape' || !open) return;
      open.open = false;
      open.querySelector('summary').focus();
    });
  }

  render() {
    this.select = h('select', {
      id: 'neighborhood-picker',
      onchange: () => this.handlers.onNeighborhood(this.select.value),
    });
    this.fillNeighborhoods();

    const lang = h('select', { id: 'language-picker', onchange: () => this.handlers.onLanguage(lang.value) },
      languages.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
    lang.value = language();
    // Labels are for screen readers and speech control: the controls say
    // what they are ("Choose a neighborhood", "English"), and without the
    // labels above them a coordinator's toolbar is one row at 1024 px.
    const languageField = h('div', { class: 'toolbar-field toolbar-language' },
      h('label', { for: 'language-picker', class: 'visually-hidden' }, t('toolbar.language')), lang);

    // Signed out: the sign-in screen needs only the language.
    const session = this.sync.session;
    if (!session) {
      this.nav = null;
      this.container.replaceChildren(languageField);
      return;
    }
    // A kiosk account has one neighborhood and no screens to pick; a
    // liaison works city-wide from the department's list (#/department).
    const kiosk = session.role === 'kiosk';
    this.nav = new NavLinks(this.sync);
    this.container.replaceChildren(...[
      kiosk || session.role === 'liaison' ? null : h('div', { class: 'toolbar-field toolbar-neighborhood' },
        h('label', { for: 'neighborhood-picker', class: 'visually-hidden' }, t('toolbar.neighborhood')), this.select),
      this.nav.element,
      cityWideLinks(session),  // Dashboard and roll-up (coordinators, viewers)
      kiosk ? this.kioskAccount(session) : this.accountMenu(session),
      languageField,
    ].filter(Boolean));
  }

  // Who is signed in, as a menu of what is used now and then: the account
  // page (password, this device's name), hand-off files, the coordinator's
  // accounts and devices, and signing out.
  accountMenu(session) {
    const menu = h('details', { class: 'toolbar-menu', 'data-testid': 'account-menu' });
    const close = () => { menu.open = false; };
    const item = (href, text) => h('a', { class: 'menu-item', href, onclick: close }, text);
    menu.append(
      h('summary', { class: 'button button-secondary button-small toolbar-menu-button',
        title: `${session.account} · ${t(`role.${session.role}`)}` },  // in full, when the toolbar shortens it
        h('span', { class: 'visually-hidden' }, `${t('toolbar.account')} `),
        h('span', { class: 'account-name', 'data-testid': 'account' }, session.account),
        h('span', { class: 'toolbar-role' }, ` · ${t(`role.${session.role}`)}`)),
      h('div', { class: 'toolbar-menu-panel' },
        item('#/account', t('toolbar.yourAccount')),
        h('nav', { class: 'toolbar-nav', 'aria-label': t('nav.tools') },
          item('#/handoff', t('nav.handoff')),
          session.role === 'coordinator' ? item('#/devices', t('nav.devices')) : null,
          session.role === 'coordinator' ? item('#/lists', t('lists.tab')) : null),
        h('button', { type: 'button', class: 'menu-item', onclick: () => { close(); this.handlers.onSignOut(); } },
          t('toolbar.signOut'))));
    return menu;
  }

  // A kiosk shows whose kiosk it is; its way out is the organizer's PIN (kiosk.js).
  kioskAccount(session) {
    return h('div', { class: 'toolbar-field toolbar-account' },
      h('span', { class: 'toolbar-label visually-hidden', id: 'account-label' }, t('toolbar.account')),
      h('div', { class: 'signed-in', role: 'group', 'aria-labelledby': 'account-label' },
        h('span', { class: 'account-name', 'data-testid': 'account' }, session.account),
        h('span', { class: 'muted' }, `· ${t(`role.${session.role}`)}`),
        h('button', { type: 'button', class: 'button button-secondary button-small', onclick: () => this.handlers.onSignOut() },
          t('toolbar.signOut'))));
  }

  // The neighborhoods the device knows, by name; the current one selected.
  fillNeighborhoods() {
    const neighborhoods = this.sync.list('neighborhood')
      .map((n) => ({ id: n.id, name: n.fields.name ?? n.id }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const current = this.sync.prefs.neighborhood;
    const options = neighborhoods.length === 0
      ? [h('option', { value: '' }, t('toolbar.noneYet'))]
      : [h('option', { value: '', disabled: true }, t('toolbar.choose')),
        ...neighborhoods.map((n) => h('option', { value: n.id }, n.name))];
    this.select.replaceChildren(...options);
    this.select.disabled = neighborhoods.length === 0;
    this.select.value = neighborhoods.some((n) => n.id === current) ? current : '';
  }

  // changed (app.js refresh): type -> Set of ids; the picker is filled again
  // only when neighborhoods changed (or anything may have: null, absent).
  // The conflicts badge counts over every record of the city (a coordinator's
  // 21,000: ~10 ms a refresh, over a second of a catch-up): while the device
  // is catching up it waits for the end.
  update({ changed = null, catchingUp = false } = {}) {
    if (this.select && (!changed || changed.has('neighborhood'))) this.fillNeighborhoods();
    if (!changed || changed.size) this.conflictsStale = true;
    if (this.conflictsStale && !catchingUp) {
      this.conflictsStale = false;
      this.nav?.update();
    }
  }
}
