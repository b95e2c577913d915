// Naming a device ("Frog Hollow tablet 2"): on the account page for this
// device, and on the coordinator's devices screen for any. The server keeps
// names (server/device_name.hpp), so it needs a connection; what it refuses
// is said next to the field in the reader's language.
import { t } from '../i18n.js';
import { h } from './dom.js';

const KNOWN = { invalid_device_name: 'deviceName.invalid', offline: 'deviceName.offline', forbidden: 'deviceName.forbidden' };

// A form for `device` with its current `name`; onSaved(name) after the server
// kept it, onCancel() (optional) shows a Cancel button.
export function deviceNameForm(sync, { device, name, idPrefix, onSaved, onCancel = null }) {
  const input = h('input', { id: `${idPrefix}-input`, type: 'text', maxlength: '60', value: name ?? '', autocomplete: 'off',
                             placeholder: t('signin.deviceNameExample'), 'aria-describedby': `${idPrefix}-error` });
  const error = h('p', { class: 'field-error', id: `${idPrefix}-error`, role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'button button-primary button-small' }, t('deviceName.save'));
  const form = h('form', { class: 'device-name-form', 'data-testid': `${idPrefix}-form` },
    h('label', { for: `${idPrefix}-input`, class: 'visually-hidden' }, t('deviceName.label', { device })),
    input, save,
    onCancel ? h('button', { type: 'button', class: 'button button-secondary button-small', onclick: onCancel }, t('deviceName.cancel')) : null,
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    error.hidden = true;
    try {
      await sync.nameDevice(device, input.value);
      onSaved(input.value.trim());
    } catch (e) {
      error.textContent = KNOWN[e.code] ? t(KNOWN[e.code]) : e.message;
      error.hidden = false;
      input.focus();
    } finally {
      save.disabled = false;
    }
  });
  form.focusInput = () => input.focus();
  return form;
}
