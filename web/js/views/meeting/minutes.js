// The minutes, written during or after the meeting. Every keystroke is kept
// as a draft on the device (localStorage) until saved, so a dead tablet or a
// reload loses nothing; leaving the tab saves too.
import { hlcMillis } from '../../core.js';
import { formatTime, t } from '../../i18n.js';
import { h } from '../dom.js';
import { actorName, deviceName } from '../format.js';
import { recordConflicts } from '../ui.js';

const MAX = 20000;

export class MinutesSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
    this.draftKey = `psc.draft.minutes.${meeting.id}`;
  }

  mount(container) {
    this.original = this.meeting.fields.minutes ?? '';
    const draft = localStorage.getItem(this.draftKey);
    this.text = h('textarea', { id: 'minutes', rows: '16', maxlength: String(MAX), value: draft ?? this.original });
    this.text.addEventListener('input', () => {
      if (this.dirty) localStorage.setItem(this.draftKey, this.text.value);
      else localStorage.removeItem(this.draftKey);
      this.renderCount();
    });
    this.count = h('span', { class: 'muted' });
    this.note = h('p', { class: 'field-note' }, draft !== null && draft !== this.original ? t('minutes.draftRestored') : '');
    this.byline = h('p', { class: 'muted last-edited' });
    this.conflicts = h('div', { class: 'conflict-slot' });
    this.message = h('p', { class: 'form-message', role: 'status' });
    const form = h('form', { class: 'card minutes-form' },
      h('h2', { id: 'minutes-heading' }, h('label', { for: 'minutes' }, t('minutes.heading'))),
      this.byline, this.conflicts, this.note, this.text,
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('minutes.save')), this.count, this.message));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.save(); });
    container.replaceChildren(h('fieldset', { class: 'capture' }, form));
    this.update(this.meeting);
  }

  get dirty() { return this.text.value !== this.original; }

  renderCount() { this.count.textContent = t('minutes.count', { n: this.text.value.length.toLocaleString(), max: MAX.toLocaleString() }); }

  update(meeting) {
    this.meeting = meeting;
    const stored = meeting.fields.minutes ?? '';
    if (!this.dirty && stored !== this.original) this.text.value = stored;
    else if (this.dirty && stored !== this.original) this.note.textContent = t('minutes.changedElsewhere');
    if (!this.dirty) this.original = stored;
    const meta = meeting.meta?.minutes;
    this.byline.textContent = meta ? t('form.lastEdited', {
      actor: actorName(meta.actor), device: deviceName(meta.device, this.sync.deviceId), time: formatTime(hlcMillis(meta.hlc)),
    }) : '';
    this.conflicts.replaceChildren(...recordConflicts(this.sync, meeting, this.app.error, ['minutes'], { withField: true }));
    this.renderCount();
  }

  async save({ quiet = false } = {}) {
    const value = this.text.value;
    if (!this.dirty && !this.meeting.conflicts?.minutes) {
      if (!quiet) this.message.textContent = t('form.nothingChanged');
      return;
    }
    try {
      await this.sync.setFields('meeting', this.meeting.id, { minutes: value === '' ? null : value });
    } catch (error) {
      if (!quiet) this.message.textContent = t('error.notSaved', { message: error.message });
      return;
    }
    this.original = value;
    localStorage.removeItem(this.draftKey);
    this.note.textContent = '';
    if (quiet) this.app.toast(t('minutes.savedOnLeave'));
    else this.message.textContent = `✓ ${t('minutes.saved')}`;
  }

  // Leaving the tab keeps what was typed.
  unmount() {
    if (this.dirty && !this.text.closest('fieldset')?.disabled) this.save({ quiet: true });
  }
}
