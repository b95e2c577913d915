// #/account: who is signed in on this device, and changing the account's
// password (every role but the kiosk, which has none). Needs a connection.
import { t } from '../i18n.js';
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
    this.container.replaceChildren(h('div', { class: 'account-layout' }, form));
  }

  update() {}
  unmount() {}
}
