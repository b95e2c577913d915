// Handing the tablet to residents: the organizer sets a PIN (kept only as a
// salted hash) and the tablet switches to kiosk mode for this meeting.
import { languages, language, t } from '../../i18n.js';
import { PIN_PATTERN, hashPin } from '../../kiosk-lock.js';
import { h } from '../dom.js';
import { row } from '../ui.js';
import { dotsPerAttendee } from './voting.js';

export class KioskSetupSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
  }

  mount(container) {
    this.pin = h('input', { id: 'kiosk-pin', type: 'password', inputmode: 'numeric', autocomplete: 'new-password', maxlength: '8', pattern: '[0-9]*' });
    this.pin2 = h('input', { id: 'kiosk-pin2', type: 'password', inputmode: 'numeric', autocomplete: 'new-password', maxlength: '8', pattern: '[0-9]*' });
    this.lang = h('select', { id: 'kiosk-lang', value: language() }, languages.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
    this.message = h('p', { class: 'form-error', role: 'alert' });
    this.facts = h('ul', { class: 'plain-list' });
    const form = h('form', { class: 'card kiosk-setup', 'aria-labelledby': 'kiosk-setup-heading' },
      h('h2', { id: 'kiosk-setup-heading' }, t('kioskSetup.heading')),
      h('p', {}, t('kioskSetup.help')),
      this.facts,
      h('div', { class: 'two-col' },
        row('kiosk-pin', t('kioskSetup.pin'), this.pin, { required: true, hint: t('kioskSetup.pinHint') }),
        row('kiosk-pin2', t('kioskSetup.pinAgain'), this.pin2, { required: true }),
        row('kiosk-lang', t('kioskSetup.language'), this.lang)),
      this.message,
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary button-large' }, t('kioskSetup.start'))));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.start(); });
    container.replaceChildren(form);
    this.update(this.meeting);
  }

  update(meeting) {
    this.meeting = meeting;
    const open = this.sync.meetingRanking(meeting.id).length;
    this.facts.replaceChildren(
      h('li', {}, t('kioskSetup.factDots', { n: dotsPerAttendee(meeting) })),
      h('li', {}, t('kioskSetup.factBallot', { n: open })),
      h('li', {}, t('kioskSetup.factPrivacy')));
  }

  unmount() {}

  async start() {
    this.message.textContent = '';
    const pin = this.pin.value.trim();
    if (!PIN_PATTERN.test(pin)) { this.message.textContent = t('kioskSetup.pinInvalid'); this.pin.focus(); return; }
    if (pin !== this.pin2.value.trim()) { this.message.textContent = t('kioskSetup.pinMismatch'); this.pin2.focus(); return; }
    if (!globalThis.crypto?.subtle) { this.message.textContent = t('kioskSetup.noCrypto'); return; }
    const lock = await hashPin(pin);
    this.pin.value = '';
    this.pin2.value = '';
    await this.app.enterKiosk({
      neighborhood: this.meeting.fields.neighborhood, meeting: this.meeting.id, lang: this.lang.value, organizerLang: language(),
      pin: lock, raised: [], failures: 0, lockedUntil: 0, since: Date.now(),
    });
  }
}
