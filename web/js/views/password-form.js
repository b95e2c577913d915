// Choosing a new password: the form the first sign-in of a printed account
// leads to (views/sign-in.js) and the account screen's "Change password"
// (views/account.js). The server decides (POST /api/password): at least 10
// characters, not the old one; here only the two copies must match.
import { t } from '../i18n.js';
import { h } from './dom.js';

const KNOWN = {
  offline: 'signin.offline', bad_credentials: 'password.wrongCurrent', too_many_attempts: 'signin.tooMany',
  weak_password: 'password.weak', same_password: 'password.same', device_taken: 'signin.deviceTaken',
};
export function explainPasswordError(error) {
  return KNOWN[error.code] ? t(KNOWN[error.code], { device: error.device ?? '' }) : error.message;
}

// options: {idPrefix, current: bool (ask for the current password), title,
// intro, submitLabel, onSubmit({current, next}) -> Promise}; returns the form.
export function passwordForm({ idPrefix, current = true, title, intro, submitLabel, onSubmit }) {
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true, 'data-testid': `${idPrefix}-error` });
  const field = (name, label, autocomplete) => {
    const input = h('input', { id: `${idPrefix}-${name}`, name, type: 'password', autocomplete, required: true, maxlength: '256' });
    return { input, row: h('div', { class: 'form-row' }, h('label', { for: input.id }, label), input) };
  };
  const old = current ? field('current', t('password.current'), 'current-password') : null;
  const next = field('new', t('password.new'), 'new-password');
  const again = field('again', t('password.again'), 'new-password');
  next.input.minLength = 10;
  const hint = h('p', { class: 'muted', id: `${idPrefix}-hint` }, t('password.hint'));
  next.input.setAttribute('aria-describedby', hint.id);
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, submitLabel);
  const form = h('form', { class: 'card account-form', 'data-testid': `${idPrefix}-form` },
    h('h1', {}, title), intro ? h('p', {}, intro) : null, error,
    old?.row, next.row, hint, again.row, h('div', {}, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (next.input.value !== again.input.value) {
      error.textContent = t('password.mismatch');
      error.hidden = false;
      again.input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await onSubmit({ current: old?.input.value ?? '', next: next.input.value });
      for (const f of [old, next, again]) if (f) f.input.value = '';
    } catch (e) {
      error.textContent = explainPasswordError(e);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  form.focusFirst = () => (old ?? next).input.focus();
  return form;
}
