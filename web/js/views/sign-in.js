// Sign-in: an account (organizer, coordinator, liaison, viewer) with username
// and password, or a resident kiosk with a one-time code from an organizer.
// Needs a connection once; afterwards the device works offline.
import { deviceNameOf } from '../device-names.js';
import { t } from '../i18n.js';
import { h } from './dom.js';
import { passwordForm } from './password-form.js';

// The server's refusal in the user's language where it is a known one.
// device_taken: another account still holds this device on the server (its
// sign-out never reached it; sync.js retries that before every sign-in).
const KNOWN = { offline: 'signin.offline', bad_credentials: 'signin.badCredentials', too_many_attempts: 'signin.tooMany',
                bad_code: 'signin.badCode', device_taken: 'signin.deviceTaken' };
function explain(error) { return KNOWN[error.code] ? t(KNOWN[error.code], { device: error.device ?? '' }) : error.message; }

export class SignInView {
  // options: {expired: bool} when a previous session was ended by the server
  constructor(sync, { expired = false } = {}) {
    this.sync = sync;
    this.expired = expired;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  render() {
    if (this.pending) {
      this.chooseNewPassword(this.pending.username, this.pending.password, this.pending.deviceName);
      return;
    }
    const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true, 'data-testid': 'signin-error' });
    const username = h('input', { id: 'signin-username', type: 'text', name: 'username', autocomplete: 'username', required: true, maxlength: '64' });
    const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    // What others will see instead of this device's id ("Frog Hollow tablet
    // 2"): optional, kept from the last sign-in (device-names.js).
    const deviceName = h('input', { id: 'signin-device-name', type: 'text', name: 'device-name', autocomplete: 'off',
                                    maxlength: '60', value: deviceNameOf(this.sync.deviceId),
                                    placeholder: t('signin.deviceNameExample'), 'aria-describedby': 'signin-device-name-hint' });
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, t('signin.submit'));
    const fail = (e) => {
      error.textContent = explain(e);
      error.hidden = false;
    };
    const form = h('form', { class: 'card account-form', 'data-testid': 'signin-form' },
      h('h1', {}, t('signin.title')),
      this.expired ? h('p', { class: 'notice notice-warning' }, t('signin.expired')) : null,
      h('p', {}, t('signin.body')),
      error,
      h('div', { class: 'form-row' }, h('label', { for: 'signin-username' }, t('signin.username')), username),
      h('div', { class: 'form-row' }, h('label', { for: 'signin-password' }, t('signin.password')), password),
      h('div', { class: 'form-row' }, h('label', { for: 'signin-device-name' }, t('signin.deviceName')), deviceName,
        h('p', { class: 'muted field-hint', id: 'signin-device-name-hint' }, t('signin.deviceNameHint'))),
      h('div', {}, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      try {
        await this.sync.signIn(username.value.trim(), password.value, deviceName.value);
      } catch (e) {
        if (e.code === 'password_change_required') {
          this.chooseNewPassword(username.value.trim(), password.value, deviceName.value);
          return;
        }
        fail(e);
      } finally {
        submit.disabled = false;
      }
    });

    const code = h('input', { id: 'kiosk-code', type: 'text', name: 'code', autocomplete: 'off', maxlength: '12', class: 'code-input' });
    const kioskError = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
    const kioskSubmit = h('button', { type: 'submit', class: 'button' }, t('signin.kioskSubmit'));
    const kiosk = h('form', { class: 'card account-form', 'data-testid': 'kiosk-signin-form' },
      h('h2', {}, t('signin.kioskTitle')),
      h('p', {}, t('signin.kioskBody')),
      kioskError,
      h('div', { class: 'form-row' }, h('label', { for: 'kiosk-code' }, t('signin.kioskCode')), code),
      h('div', {}, kioskSubmit));
    kiosk.addEventListener('submit', async (event) => {
      event.preventDefault();
      kioskSubmit.disabled = true;
      kioskError.hidden = true;
      try {
        await this.sync.kioskSignIn(code.value.trim());
      } catch (e) {
        kioskError.textContent = explain(e);
        kioskError.hidden = false;
      } finally {
        kioskSubmit.disabled = false;
      }
    });
    this.container.replaceChildren(h('div', { class: 'account-layout' }, form, kiosk));
    username.focus();
  }

  // The account's password was printed for it (first start, or created or
  // reset by an administrator): it signs in with a password of its own.
  chooseNewPassword(username, password, deviceName) {
    this.pending = { username, password, deviceName };  // kept across a language change (render)
    const form = passwordForm({
      idPrefix: 'first-password',
      current: false,
      title: t('password.firstTitle'),
      intro: t('password.firstIntro', { account: username }),
      submitLabel: t('password.firstSubmit'),
      onSubmit: ({ next }) => this.sync.signInWithNewPassword(username, password, next, deviceName),
    });
    this.container.replaceChildren(h('div', { class: 'account-layout' }, form));
    form.focusFirst();
  }

  update() {}
  unmount() {}
}
