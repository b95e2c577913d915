// Handing the tablet to residents: the organizer sets a PIN (kept only as a
// salted hash) and the tablet switches to kiosk mode for this meeting, signed
// in as a kiosk of the neighborhood (app.enterKiosk). An organizer can also
// get a one-time kiosk code for another tablet.
import { languages, language, t } from '../../i18n.js';
import { PIN_PATTERN, hashPin, newRecoveryCode, showRecoveryCode } from '../../kiosk-lock.js';
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
    // Shown before the tablet is handed over; only its hash is kept.
    this.recovery = newRecoveryCode();
    this.facts = h('ul', { class: 'plain-list' });
    this.startButton = h('button', { type: 'submit', class: 'button button-primary button-large' }, t('kioskSetup.start'));
    const form = h('form', { class: 'card kiosk-setup', 'aria-labelledby': 'kiosk-setup-heading' },
      h('h2', { id: 'kiosk-setup-heading' }, t('kioskSetup.heading')),
      h('p', {}, t('kioskSetup.help')),
      this.facts,
      h('div', { class: 'two-col' },
        row('kiosk-pin', t('kioskSetup.pin'), this.pin, { required: true, hint: t('kioskSetup.pinHint') }),
        row('kiosk-pin2', t('kioskSetup.pinAgain'), this.pin2, { required: true }),
        row('kiosk-lang', t('kioskSetup.language'), this.lang)),
      h('p', { class: 'kiosk-recovery' }, t('kioskSetup.recovery'), ' ',
        h('strong', { class: 'kiosk-recovery-value', 'data-testid': 'kiosk-recovery-code' }, showRecoveryCode(this.recovery))),
      this.message,
      h('div', { class: 'form-actions-inline' }, this.startButton));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.start(); });
    container.replaceChildren(...[form, this.sync.session?.role === 'kiosk' ? null : this.otherTablet()].filter(Boolean));
    this.onStatus = () => this.update(this.meeting);
    this.sync.addEventListener('status', this.onStatus);
    this.update(this.meeting);
  }

  // A one-time code for a second tablet's sign-in screen.
  otherTablet() {
    const result = h('p', { class: 'kiosk-code-result', role: 'status', 'aria-live': 'polite', 'data-testid': 'kiosk-code' });
    const name = () => this.sync.record('neighborhood', this.meeting.fields.neighborhood)?.fields?.name ?? this.meeting.fields.neighborhood;
    const get = h('button', { type: 'button', class: 'button button-secondary' }, t('kioskSetup.getCode'));
    get.addEventListener('click', async () => {
      get.disabled = true;
      try {
        const issued = await this.sync.api('/api/kiosk-codes', { token: this.sync.session.token, body: { neighborhood: this.meeting.fields.neighborhood } });
        result.replaceChildren(t('kioskSetup.code', { name: name(), code: '' }), h('strong', { class: 'kiosk-code-value' }, issued.code));
      } catch (error) {
        result.textContent = error.code === 'offline' ? t('kioskSetup.codeOffline') : t('kioskSetup.failed', { message: error.message });
      } finally {
        get.disabled = false;
      }
    });
    return h('section', { class: 'card', 'aria-labelledby': 'kiosk-other-heading' },
      h('h2', { id: 'kiosk-other-heading' }, t('kioskSetup.otherTablet')),
      h('p', {}, t('kioskSetup.otherTabletHelp')),
      h('div', { class: 'form-actions-inline' }, get, result));
  }

  update(meeting) {
    this.meeting = meeting;
    const open = this.sync.meetingRanking(meeting.id).length;
    const slug = meeting.fields.neighborhood;
    const name = this.sync.record('neighborhood', slug)?.fields?.name ?? slug;
    const online = this.sync.status.connection === 'online';
    this.facts.replaceChildren(
      h('li', {}, t('kioskSetup.factDots', { n: dotsPerAttendee(meeting) })),
      h('li', {}, t('kioskSetup.factBallot', { n: open })),
      h('li', {}, t('kioskSetup.factPrivacy')),
      h('li', { 'data-testid': 'kiosk-account-fact' }, this.sync.session?.role === 'kiosk' ? t('kioskSetup.factKioskOnly', { name })
        : online ? t('kioskSetup.factAccount', { name }) : t('kioskSetup.factOffline', { account: this.sync.name })));
  }

  unmount() { if (this.onStatus) this.sync.removeEventListener('status', this.onStatus); }

  async start() {
    this.message.textContent = '';
    const pin = this.pin.value.trim();
    if (!PIN_PATTERN.test(pin)) { this.message.textContent = t('kioskSetup.pinInvalid'); this.pin.focus(); return; }
    if (pin !== this.pin2.value.trim()) { this.message.textContent = t('kioskSetup.pinMismatch'); this.pin2.focus(); return; }
    if (!globalThis.crypto?.subtle) { this.message.textContent = t('kioskSetup.noCrypto'); return; }
    const lock = await hashPin(pin);
    const recovery = await hashPin(this.recovery);
    this.startButton.disabled = true;
    this.startButton.textContent = t('kioskSetup.starting');
    try {
      await this.app.enterKiosk({
        neighborhood: this.meeting.fields.neighborhood, meeting: this.meeting.id, lang: this.lang.value, organizerLang: language(),
        pin: lock, recovery, raised: [], failures: 0, lockedUntil: 0, since: Date.now(),
      });
      this.pin.value = '';
      this.pin2.value = '';
    } catch (error) {
      this.message.textContent = t('kioskSetup.failed', { message: error.message });
    } finally {
      this.startButton.disabled = false;
      this.startButton.textContent = t('kioskSetup.start');
    }
  }
}
