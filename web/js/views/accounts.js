// #/accounts, coordinators only: the accounts that sign in, and making,
// disabling and resetting them (account_handlers.hpp; the same rules as
// `psc-server admin`). A new or reset account gets a generated password,
// shown here once: it signs in one time, to choose the account's own.
// Online only: accounts live on the server.
import { enumLabel, t } from '../i18n.js';
import { adminTabs } from './admin-tabs.js';
import { offeredValues } from '../reference-lists.js';
import { h } from './dom.js';
import { row } from './ui.js';

const ROLES = ['organizer', 'viewer', 'liaison', 'coordinator'];

export class AccountsView {
  constructor(sync) {
    this.sync = sync;
    this.shown = null;  // {username, password, reset}: the password to hand over, once
    this.failed = '';   // why the last reset or disable was refused
    this.drawing = 0;   // which render() is the latest: an older one that finishes late draws nothing
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  update() {}
  unmount() {}

  async render() {
    const drawing = ++this.drawing;
    const status = h('p', { class: 'muted', 'data-testid': 'accounts-status' }, t('devices.loading'));
    this.container.replaceChildren(adminTabs('accounts'), h('section', { class: 'card' },
      h('h1', {}, t('accounts.title')), h('p', {}, t('accounts.intro')), status));
    let accounts;
    try {
      accounts = await this.sync.apiGet('/api/accounts');
    } catch (error) {
      if (drawing !== this.drawing) return;
      status.textContent = error.code === 'offline' ? t('accounts.offline') : t('devices.failed', { message: error.message });
      return;
    }
    if (drawing !== this.drawing) return;  // a language switch or a change drew the screen again meanwhile
    status.replaceWith(...[
      this.shown ? this.passwordNotice(this.shown) : null,
      this.failed ? h('p', { class: 'notice notice-error', role: 'alert' }, this.failed) : null,
      h('div', { class: 'table-scroll', tabindex: '0' }, h('table', { class: 'data-table accounts-table', 'data-testid': 'accounts-table' },
        h('thead', {}, h('tr', {}, ...['username', 'role', 'place', 'state', 'actions']
          .map((k) => h('th', { scope: 'col' }, t(`accounts.col.${k}`))))),
        h('tbody', {}, accounts.map((a) => this.row(a))))),
    ].filter(Boolean));
    this.container.append(this.createForm());
  }

  place(a) {
    if (a.role === 'liaison') return enumLabel('department', a.department);
    if (!a.neighborhood) return t('accounts.cityWide');
    return this.sync.record('neighborhood', a.neighborhood)?.fields?.name ?? a.neighborhood;
  }

  row(a) {
    const own = a.username === this.sync.session?.account;
    const state = a.disabled ? t('accounts.state.disabled') : a.must_change_password ? t('accounts.state.firstSignIn')
      : t('accounts.state.active');
    const act = (label, run) => h('button', { type: 'button', class: 'button button-secondary button-small',
      'aria-label': `${label}: ${a.username}`, onclick: run }, label);
    return h('tr', { 'data-account': a.username, class: a.disabled ? 'is-disabled' : '' },
      h('th', { scope: 'row', class: 'account-cell' }, h('strong', {}, a.username),
        own ? h('span', { class: 'muted' }, ` (${t('accounts.you')})`) : null),
      h('td', { class: 'cell-word' }, t(`role.${a.role}`)),
      h('td', {}, this.place(a)),
      h('td', { class: 'cell-word' }, state),
      h('td', { class: 'account-actions' }, own ? h('a', { href: '#/account' }, t('password.changeTitle')) : [
        act(t('accounts.reset'), () => this.change('/api/accounts/reset-password', { username: a.username }, a.username)),
        act(a.disabled ? t('accounts.enable') : t('accounts.disable'),
          () => this.change('/api/accounts/disable', { username: a.username, disabled: !a.disabled })),
      ]));
  }

  async change(path, body, resetOf = '') {
    this.shown = null;
    this.failed = '';
    try {
      const answer = await this.sync.api(path, { token: this.sync.session.token, body });
      if (resetOf) this.shown = { username: resetOf, password: answer.password, reset: true };
    } catch (error) {
      this.failed = error.code === 'offline' ? t('accounts.offline') : error.message;
    }
    await this.render();
  }

  passwordNotice({ username, password, reset }) {
    return h('div', { class: 'notice notice-info account-password', role: 'status', 'data-testid': 'account-password' },
      h('p', {}, t(reset ? 'accounts.resetDone' : 'accounts.created', { name: username })),
      h('p', {}, t('accounts.password'), ' ', h('strong', { class: 'kiosk-code-value' }, password)),
      h('p', { class: 'muted' }, t('accounts.passwordOnce')));
  }

  createForm() {
    const username = h('input', { id: 'new-account-username', type: 'text', autocomplete: 'off', maxlength: '64', required: true,
      pattern: '[A-Za-z0-9._@\\-]+', spellcheck: 'false', autocapitalize: 'none' });
    const role = h('select', { id: 'new-account-role', value: 'organizer' },
      ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
    const neighborhood = h('select', { id: 'new-account-neighborhood' },
      this.sync.list('neighborhood').map((n) => h('option', { value: n.id }, n.fields.name ?? n.id)));
    const department = h('select', { id: 'new-account-department' },
      offeredValues(this.sync, 'priority', 'department').map((d) => h('option', { value: d }, enumLabel('department', d))));
    const neighborhoodRow = row('new-account-neighborhood', t('accounts.neighborhood'), neighborhood);
    const departmentRow = row('new-account-department', t('accounts.department'), department);
    const message = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'new-account-error' });
    const showPlace = () => {
      neighborhoodRow.hidden = !(role.value === 'organizer' || role.value === 'viewer');
      departmentRow.hidden = role.value !== 'liaison';
      neighborhood.required = !neighborhoodRow.hidden && role.value === 'organizer';
    };
    role.addEventListener('change', showPlace);
    showPlace();
    const form = h('form', { class: 'card', 'aria-labelledby': 'new-account-heading' },
      h('h2', { id: 'new-account-heading' }, t('accounts.new')),
      h('div', { class: 'two-col' },
        row('new-account-username', t('accounts.username'), username, { required: true, hint: t('accounts.usernameHint') }),
        row('new-account-role', t('accounts.role'), role),
        neighborhoodRow, departmentRow),
      message,
      h('div', { class: 'form-actions-inline' }, h('button', { type: 'submit', class: 'button button-primary' }, t('accounts.create'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.textContent = '';
      const body = { username: username.value.trim(), role: role.value };
      if (!neighborhoodRow.hidden) body.neighborhood = neighborhood.value;
      if (!departmentRow.hidden) body.department = department.value;
      try {
        const made = await this.sync.api('/api/accounts', { token: this.sync.session.token, body });
        this.shown = { username: made.username, password: made.password, reset: false };
        this.failed = '';
        await this.render();
        this.container.querySelector('[data-testid="account-password"]')?.scrollIntoView({ block: 'center' });
      } catch (error) {
        message.textContent = error.code === 'offline' ? t('accounts.offline')
          : error.code === 'exists' ? t('accounts.exists', { name: body.username }) : error.message;
        username.focus();
      }
    });
    return form;
  }
}
