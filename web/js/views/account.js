// #/account: who is signed in on this device, this device's name, and
// changing the account's password (every role but the kiosk, which has
// none). Needs a connection.
import { deviceNameOf } from '../device-names.js';
import { t } from '../i18n.js';
import { deviceNameForm } from './device-name-form.js';
import { h } from './dom.js';
import { passwordForm } from './password-form.js';

export class AccountView {
  // app: {toast(text)}
  constructor(sync, app) {
    this.sync = sync;
    this.app = app;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  // Also on a language change (app.js).
  render() {
    const session = this.sync.session;
    const form = passwordForm({
      idPrefix: 'change-password',
      title: t('password.changeTitle'),
      intro: t('password.changeIntro', { account: session.account }),
      submitLabel: t('password.changeSubmit'),
      onSubmit: async ({ current, next }) => {
        await this.sync.changePassword(current, next);
        this.app.toast(t('password.changed'));
      },
    });
    this.shownName = deviceNameOf(this.sync.deviceId);
    this.nameForm = deviceNameForm(this.sync, {
      device: this.sync.deviceId, name: this.shownName, idPrefix: 'own-device-name',
      onSaved: (name) => {
        this.shownName = name;
        this.app.toast(name ? t('deviceName.saved', { name }) : t('deviceName.removed'));
      },
    });
    const naming = h('section', { class: 'card account-form', 'aria-labelledby': 'device-name-title' },
      h('h2', { id: 'device-name-title' }, t('deviceName.title')),
      h('p', {}, t('deviceName.intro', { device: this.sync.deviceId })),
      this.nameForm);
    this.container.replaceChildren(h('div', { class: 'account-layout' }, form, naming));
  }

  // The server's names arrived (the device just connected): the field shows
  // the new name unless the user has started typing another.
  update() {
    const input = this.nameForm?.querySelector('input');
    const latest = deviceNameOf(this.sync.deviceId);
    if (!input || latest === this.shownName || input.value !== this.shownName) return;
    input.value = latest;
    this.shownName = latest;
  }
  unmount() {}
}
