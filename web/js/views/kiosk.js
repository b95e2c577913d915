// Resident kiosk: a shared tablet at a block-group gathering. Large, simple
// screens in English or Spanish (a language switch on every screen): add a
// concern (a priority with status "proposed", raised at the meeting) and
// dot-vote on the neighborhood's open priorities, without an account.
//
// Privacy between residents:
//  - each resident session has a fresh random ballot id (the votes' voter);
//    the resident's dots are kept on screen until they finish (or walk
//    away) and only then recorded, so taking a dot back never needs a
//    deletion (a kiosk token may only add records);
//  - finishing, or IDLE (60 s by default) without a touch, resets the screen:
//    the session's typing, dots and ballot id are forgotten and nothing the
//    previous resident entered is shown (concerns added at this kiosk are
//    not put on its ballot, so the next resident does not see them either);
//  - attendee names are never shown; the organizer's toolbar and notices
//    are hidden;
//  - leaving needs the organizer's PIN (kiosk-lock.js), and kiosk mode is a
//    stored device setting, so a reload stays in it.
import { CoreError } from '../core.js';
import { enumLabel, languages, language, t } from '../i18n.js';
import { LOCKOUT_MS, MAX_FAILURES, RECOVERY_PATTERN, checkPin, idleTimeoutMs, newBallotId, typedCode } from '../kiosk-lock.js';
import { dotsPerAttendee } from './meeting/voting.js';
import { offeredValues } from '../reference-lists.js';
import { h } from './dom.js';
import { limitField } from './field-limit.js';
import { byName, keepFocus } from './ui.js';

const THANKS_MS = 8000;

function emptySession() {
  return { ballot: null, dots: [], concern: { title: '', category: '', description: '', address: '' }, error: '' };
}

export class KioskView {
  // app: {updateKiosk(patch), exitKiosk(), setLanguage(code)}
  constructor(sync, app) {
    this.sync = sync;
    this.app = app;
    this.screen = 'welcome';
    this.session = emptySession();
    this.onActivity = () => this.armIdle();
  }

  get settings() { return this.sync.prefs.kiosk; }

  mount(container) {
    this.container = container;
    document.body.classList.add('kiosk');
    for (const type of ['pointerdown', 'keydown', 'input', 'scroll']) container.addEventListener(type, this.onActivity, { passive: true, capture: true });
    this.render();
  }

  unmount() {
    clearTimeout(this.lockTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.thanksTimer);
    for (const type of ['pointerdown', 'keydown', 'input', 'scroll']) this.container.removeEventListener(type, this.onActivity, { capture: true });
    document.body.classList.remove('kiosk');
  }

  // A resident's session is under way: reset it after the idle time.
  armIdle() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.reset('welcome'), idleTimeoutMs());
  }

  // Forget everything about the resident and show a clean screen.
  reset(screen) {
    clearTimeout(this.idleTimer);
    clearTimeout(this.thanksTimer);
    this.castBallot(this.session);
    this.session = emptySession();
    this.screen = screen;
    document.activeElement?.blur?.();
    if (language() !== this.settings?.lang) this.app.setLanguage(this.settings?.lang ?? 'en');  // re-renders
    else this.render();
    window.scrollTo(0, 0);
    if (screen === 'thanks') this.thanksTimer = setTimeout(() => this.reset('welcome'), THANKS_MS);
  }

  go(screen) {
    this.screen = screen;
    this.render();
    this.armIdle();
    window.scrollTo(0, 0);
  }

  meeting() { return this.sync.live('meeting', this.settings?.meeting); }

  update() {
    // Only the ballot follows live data; a form being typed is left alone.
    if (this.screen === 'vote') keepFocus(this.container, () => this.render());
  }

  render() {
    const meeting = this.meeting();
    const slug = this.settings?.neighborhood;
    const name = this.sync.record('neighborhood', slug)?.fields?.name ?? slug ?? '';
    let body;
    if (!meeting) body = [h('h1', {}, t('kiosk.unavailable'))];
    else if (this.screen === 'concern') body = this.concernScreen();
    else if (this.screen === 'concern-done') body = this.concernDoneScreen();
    else if (this.screen === 'vote') body = this.voteScreen(meeting);
    else if (this.screen === 'thanks') body = this.thanksScreen();
    else if (this.screen === 'exit') body = this.exitScreen();
    else body = this.welcomeScreen(name);
    this.container.replaceChildren(h('div', { class: 'kiosk-view', 'data-screen': this.screen, 'data-testid': 'kiosk' },
      this.topBar(name),
      h('div', { class: 'kiosk-body' }, ...body)));
    this.container.querySelector('[data-autofocus]')?.focus();
    this.tickLock();
  }

  // After too many wrong PINs the exit screen counts the lock-out down,
  // second by second, and opens the PIN field again when it is over.
  tickLock() {
    clearTimeout(this.lockTimer);
    const left = (this.settings?.lockedUntil ?? 0) - Date.now();
    if (this.screen !== 'exit' || left <= 0) return;
    this.lockTimer = setTimeout(() => {
      const still = (this.settings?.lockedUntil ?? 0) - Date.now();
      const line = this.container.querySelector('[data-testid="kiosk-locked"]');
      if (this.screen !== 'exit') return;
      if (still > 0 && line) {
        line.textContent = t('kiosk.exit.locked', { s: Math.ceil(still / 1000) });
        this.tickLock();
      } else {
        this.render();
      }
    }, (left % 1000) + 20);
  }

  topBar(name) {
    return h('div', { class: 'kiosk-top' },
      h('span', { class: 'kiosk-place' }, name),
      h('div', { class: 'kiosk-langs', role: 'group', 'aria-label': t('kiosk.language') },
        languages.map((l) => h('button', {
          type: 'button', class: `kiosk-lang${language() === l.code ? ' is-active' : ''}`, lang: l.code,
          'aria-pressed': language() === l.code ? 'true' : 'false', onclick: () => this.app.setLanguage(l.code),
        }, l.name))),
      this.screen === 'exit' ? null : h('button', { type: 'button', class: 'kiosk-organizer', onclick: () => this.go('exit') }, t('kiosk.organizer')));
  }

  welcomeScreen(name) {
    return [
      h('h1', { class: 'kiosk-title' }, t('kiosk.welcome', { name })),
      h('p', { class: 'kiosk-lead' }, t('kiosk.intro')),
      h('div', { class: 'kiosk-choices' },
        h('button', { type: 'button', class: 'kiosk-big', onclick: () => this.go('concern') },
          h('span', { class: 'kiosk-big-icon', 'aria-hidden': 'true' }, '✎'), t('kiosk.addConcern')),
        h('button', { type: 'button', class: 'kiosk-big', onclick: () => this.startVoting() },
          h('span', { class: 'kiosk-big-icon', 'aria-hidden': 'true' }, '●'), t('kiosk.vote'))),
    ];
  }

  concernScreen() {
    const c = this.session.concern;
    const keep = (field) => (event) => { c[field] = event.target.value; };
    const categories = offeredValues(this.sync, 'priority', 'category');
    // The schema's limits, with a counter near them (field-limit.js).
    const limited = (input, field) => {
      const counter = limitField(input, this.sync.core.fieldSpec('priority', field)?.max_length);
      counter.refresh();
      return [input, counter];
    };
    return [
      h('h1', { class: 'kiosk-title' }, t('kiosk.concern.heading')),
      h('form', { class: 'kiosk-form', onsubmit: (event) => { event.preventDefault(); this.sendConcern(); } },
        h('div', { class: 'kiosk-field' },
          h('label', { for: 'kiosk-title' }, t('kiosk.concern.title')),
          limited(h('input', { id: 'kiosk-title', name: 'title', type: 'text', autocomplete: 'off', value: c.title, oninput: keep('title'), 'data-autofocus': c.title ? null : true }), 'title')),
        h('fieldset', { class: 'kiosk-field kiosk-categories' },
          h('legend', {}, t('kiosk.concern.category')),
          h('div', { class: 'kiosk-tiles' }, categories.map((v) => h('span', { class: 'kiosk-tile' },
            h('input', { type: 'radio', name: 'kiosk-category', id: `kiosk-cat-${v}`, value: v, checked: c.category === v,
              onchange: () => { c.category = v; } }),
            h('label', { for: `kiosk-cat-${v}` }, enumLabel('category', v)))))),
        h('div', { class: 'kiosk-field' },
          h('label', { for: 'kiosk-description' }, t('kiosk.concern.description'), h('span', { class: 'optional' }, ` (${t('field.optional')})`)),
          limited(h('textarea', { id: 'kiosk-description', name: 'description', rows: '3', autocomplete: 'off', value: c.description, oninput: keep('description') }), 'description')),
        h('div', { class: 'kiosk-field' },
          h('label', { for: 'kiosk-address' }, t('kiosk.concern.address'), h('span', { class: 'optional' }, ` (${t('field.optional')})`)),
          limited(h('input', { id: 'kiosk-address', name: 'address', type: 'text', autocomplete: 'off', value: c.address, oninput: keep('address') }), 'address')),
        this.session.error ? h('p', { class: 'kiosk-error', role: 'alert' }, this.session.error) : null,
        h('div', { class: 'kiosk-actions' },
          h('button', { type: 'submit', class: 'kiosk-primary' }, t('kiosk.concern.send')),
          h('button', { type: 'button', class: 'kiosk-secondary', onclick: () => this.reset('welcome') }, t('kiosk.cancel')))),
    ];
  }

  async sendConcern() {
    const c = this.session.concern;
    const title = c.title.trim();
    this.session.error = !title ? t('kiosk.concern.titleRequired') : !c.category ? t('kiosk.concern.categoryRequired') : '';
    if (this.session.error) {
      this.render();
      return;
    }
    const settings = this.settings;
    const fields = { neighborhood: settings.neighborhood, meeting: settings.meeting, title, category: c.category, status: 'proposed' };
    if (c.description.trim()) fields.description = c.description.trim();
    if (c.address.trim()) fields.address = c.address.trim();
    try {
      const id = await this.sync.create('priority', fields);
      await this.app.updateKiosk({ raised: [...(this.settings.raised ?? []), id] });
    } catch (error) {
      this.session.error = t('kiosk.notSaved');
      this.render();
      return;
    }
    this.session.concern = emptySession().concern;  // nothing of it stays on screen
    this.session.error = '';
    this.go('concern-done');
  }

  concernDoneScreen() {
    return [
      h('h1', { class: 'kiosk-title' }, t('kiosk.concern.thanks')),
      h('p', { class: 'kiosk-lead' }, t('kiosk.concern.next')),
      h('div', { class: 'kiosk-choices' },
        h('button', { type: 'button', class: 'kiosk-big', onclick: () => this.startVoting() },
          h('span', { class: 'kiosk-big-icon', 'aria-hidden': 'true' }, '●'), t('kiosk.vote')),
        h('button', { type: 'button', class: 'kiosk-big kiosk-big-quiet', onclick: () => this.reset('thanks') },
          h('span', { class: 'kiosk-big-icon', 'aria-hidden': 'true' }, '✓'), t('kiosk.done'))),
    ];
  }

  startVoting() {
    if (!this.session.ballot) this.session.ballot = newBallotId();
    this.go('vote');
  }

  // The open priorities residents vote on here: the meeting's ranking minus
  // the concerns typed at this kiosk. Alphabetical, no scores (no bandwagon).
  ballotPriorities(meeting) {
    const raisedHere = new Set(this.settings?.raised ?? []);
    return this.sync.meetingRanking(meeting.id).filter((p) => !raisedHere.has(p.priority))
      .sort((a, b) => byName(a.title, b.title) || (a.priority < b.priority ? -1 : 1));
  }

  // The dots of the resident at the screen (not recorded yet).
  myDots() { return new Set(this.session.dots); }

  // Records a finished resident's dots: one vote each, the ballot id as voter.
  async castBallot(session) {
    const meeting = this.meeting();
    if (!meeting || !session.ballot || session.dots.length === 0) return;
    const dots = session.dots;
    session.dots = [];
    for (const priority of dots) {
      try {
        await this.sync.create('vote', { meeting: meeting.id, priority, voter: session.ballot });
      } catch (error) {
        if (!(error instanceof CoreError && error.code === 'unchanged')) console.warn('kiosk: a dot was not recorded', error);
      }
    }
  }

  voteScreen(meeting) {
    const n = dotsPerAttendee(meeting);
    const mine = this.myDots();
    const left = Math.max(0, n - mine.size);
    const priorities = this.ballotPriorities(meeting);
    return [
      h('h1', { class: 'kiosk-title' }, t('kiosk.vote.heading')),
      h('p', { class: 'kiosk-lead' }, t('kiosk.vote.help', { n })),
      h('p', { class: 'kiosk-dots-left', role: 'status', 'aria-live': 'polite', 'data-testid': 'dots-left' },
        h('span', { class: 'kiosk-dots', 'aria-hidden': 'true' }, '●'.repeat(left) + '○'.repeat(n - left)), ' ', t('kiosk.vote.left', { n: left })),
      priorities.length === 0 ? h('p', { class: 'kiosk-lead' }, t('kiosk.vote.none')) : h('ul', { class: 'kiosk-ballot' },
        priorities.map((p) => {
          const on = mine.has(p.priority);
          return h('li', {}, h('button', {
            type: 'button', class: `kiosk-option${on ? ' is-on' : ''}`, 'aria-pressed': on ? 'true' : 'false',
            disabled: !on && left === 0, 'data-focus': `k-${p.priority}`, onclick: () => this.toggleDot(meeting, p.priority, on),
          },
          h('span', { class: 'kiosk-option-mark', 'aria-hidden': 'true' }, on ? '●' : '○'),
          h('span', { class: 'kiosk-option-text' }, h('span', { class: 'kiosk-option-title' }, p.title),
            h('span', { class: 'kiosk-option-category' }, enumLabel('category', p.category))),
          h('span', { class: 'kiosk-option-state' }, on ? t('kiosk.vote.yourDot') : '')));
        })),
      this.session.error ? h('p', { class: 'kiosk-error', role: 'alert' }, this.session.error) : null,
      h('div', { class: 'kiosk-actions' },
        h('button', { type: 'button', class: 'kiosk-primary', onclick: () => this.reset('thanks') }, t('kiosk.done'))),
    ];
  }

  toggleDot(meeting, priority, on) {
    const dots = this.session.dots;
    if (on) dots.splice(dots.indexOf(priority), 1);
    else if (dots.length < dotsPerAttendee(meeting) && !dots.includes(priority)) dots.push(priority);
    keepFocus(this.container, () => this.render());
  }

  thanksScreen() {
    return [
      h('h1', { class: 'kiosk-title' }, t('kiosk.thanks.heading')),
      h('p', { class: 'kiosk-lead' }, t('kiosk.thanks.next')),
      h('div', { class: 'kiosk-actions' },
        h('button', { type: 'button', class: 'kiosk-primary', onclick: () => this.reset('welcome') }, t('kiosk.thanks.start'))),
    ];
  }

  exitScreen() {
    const lockedFor = Math.max(0, (this.settings?.lockedUntil ?? 0) - Date.now());
    // Open during a lock-out too: it then takes only the recovery code.
    const pin = h('input', { id: 'kiosk-exit-pin', type: 'password', inputmode: 'numeric', autocomplete: 'off', maxlength: '16', 'data-autofocus': true });
    return [
      h('h1', { class: 'kiosk-title' }, t('kiosk.exit.heading')),
      h('form', { class: 'kiosk-form kiosk-exit', onsubmit: (event) => { event.preventDefault(); this.tryExit(pin.value); pin.value = ''; } },
        h('div', { class: 'kiosk-field' }, h('label', { for: 'kiosk-exit-pin' }, lockedFor > 0 ? t('kiosk.exit.recovery') : t('kiosk.exit.pin')), pin),
        // Words drawn in the language on screen (a switch after a wrong PIN
        // showed the English refusal under the Spanish lock-out); the
        // lock-out, when it is on, says it all.
        this.session.wrongPin && lockedFor <= 0 ? h('p', { class: 'kiosk-error', role: 'alert' }, t('kiosk.exit.wrong')) : null,
        lockedFor > 0 ? h('p', { class: 'kiosk-error', role: 'timer', 'data-testid': 'kiosk-locked' }, t('kiosk.exit.locked', { s: Math.ceil(lockedFor / 1000) })) : null,
        h('div', { class: 'kiosk-actions' },
          h('button', { type: 'submit', class: 'kiosk-primary' }, t('kiosk.exit.unlock')),
          h('button', { type: 'button', class: 'kiosk-secondary', onclick: () => this.reset('welcome') }, t('kiosk.exit.back')))),
    ];
  }

  async tryExit(typed) {
    const settings = this.settings;
    const code = typedCode(typed);
    // The recovery code opens the kiosk at any time, lock-out or not.
    if (RECOVERY_PATTERN.test(code) && await checkPin(code, settings.recovery)) {
      await this.app.exitKiosk();
      return;
    }
    if ((settings.lockedUntil ?? 0) > Date.now()) {
      // During a lock-out PINs are not even checked (nor counted).
      this.session.wrongPin = true;
      this.render();
      this.armIdle();
      return;
    }
    if (await checkPin(code, settings.pin)) {
      await this.app.exitKiosk();
      return;
    }
    const failures = (settings.failures ?? 0) + 1;
    const locked = failures >= MAX_FAILURES;
    await this.app.updateKiosk({ failures: locked ? 0 : failures, lockedUntil: locked ? Date.now() + LOCKOUT_MS : 0 });
    this.session.wrongPin = true;
    this.render();
    this.armIdle();
  }
}
