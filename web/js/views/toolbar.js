// The bar under the header: neighborhood picker, the device's tools
// (hand-off files; the device list for coordinators), who is signed in (with
// sign-out), language. update() refreshes only the picker.
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
    const languageField = h('div', { class: 'toolbar-field toolbar-language' },
      h('label', { for: 'language-picker' }, t('toolbar.language')), lang);

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
        h('label', { for: 'neighborhood-picker' }, t('toolbar.neighborhood')), this.select),
      this.nav.element,
      kiosk ? null : h('nav', { class: 'toolbar-nav', 'aria-label': t('nav.tools') },
        h('a', { class: 'button button-secondary button-small', href: '#/handoff' }, t('nav.handoff')),
        session.role === 'coordinator'
          ? h('a', { class: 'button button-secondary button-small', href: '#/devices' }, t('nav.devices')) : null),
      cityWideLinks(session),  // Dashboard and roll-up (coordinators, viewers)
      h('div', { class: 'toolbar-field toolbar-account' },
        h('span', { class: 'toolbar-label', id: 'account-label' }, t('toolbar.account')),
        h('div', { class: 'signed-in', role: 'group', 'aria-labelledby': 'account-label' },
          kiosk ? h('span', { class: 'account-name', 'data-testid': 'account' }, session.account)
            : h('a', { class: 'account-name', href: '#/account', 'data-testid': 'account', title: t('password.changeTitle') }, session.account),
          h('span', { class: 'muted' }, `· ${t(`role.${session.role}`)}`),
          h('button', { type: 'button', class: 'button button-secondary button-small', onclick: () => this.handlers.onSignOut() },
            t('toolbar.signOut')))),
      languageField,
    ].filter(Boolean));
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
