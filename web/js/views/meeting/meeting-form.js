// The meeting's own fields: kind, title, start (local date and time, stored
// in UTC), location, organizing group, status and dots per attendee. Used to
// create a meeting and, in the meeting's "Details" tab, to edit it: editing
// writes only the fields that were changed, so an untouched conflicted
// field stays a conflict until someone decides.
import { CITYWIDE } from '../../citywide.js';
import { enumLabel, t } from '../../i18n.js';
import { fromUtcDatetime, localDate, toUtcDatetime } from '../../time.js';
import { h } from '../dom.js';
import { byName, choiceGroup, enumOptions, intValue, recordConflicts, row } from '../ui.js';

export const DEFAULT_DOTS = 3;
const FORM_FIELDS = ['title', 'kind', 'start', 'location', 'organization', 'status', 'dots_per_attendee'];

function nowRounded() {
  const d = new Date();
  d.setMinutes(Math.floor(d.getMinutes() / 15) * 15, 0, 0);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export class MeetingForm {
  // options: {neighborhood (record), meeting (record or null), onSaved(id, created), onError(text)}
  constructor(sync, options) {
    this.sync = sync;
    this.options = options;
    this.statusTouched = false;
  }

  get isNew() { return !this.options.meeting; }

  build() {
    const m = this.options.meeting?.fields ?? {};
    const slug = this.options.neighborhood.id;
    const name = this.options.neighborhood.fields.name ?? slug;
    const start = m.start ? fromUtcDatetime(m.start) : { date: localDate(), time: nowRounded() };
    // The leaders' meeting is of one kind (validation.hpp), organized by the
    // city (no neighborhood group) and takes no dots.
    const city = slug === CITYWIDE;
    this.city = city;
    const kinds = city ? ['citywide_leaders'] : this.sync.core.allowed('meeting', 'kind');
    const statuses = this.sync.core.allowed('meeting', 'status');
    const orgs = this.sync.list('organization', 'neighborhood', slug).sort((a, b) => byName(a.fields.name, b.fields.name));

    this.inputs = {
      title: h('input', { id: 'meeting-title', type: 'text', maxlength: '200', required: true, autocomplete: 'off',
        value: m.title ?? (city ? t('leaders.defaultTitle') : t('meeting.defaultTitle', { name })) }),
      kind: h('select', { id: 'meeting-kind', required: true, value: m.kind ?? kinds[0] }, enumOptions('kind', kinds)),
      date: h('input', { id: 'meeting-date', type: 'date', required: true, value: start.date }),
      time: h('input', { id: 'meeting-time', type: 'time', required: true, value: start.time }),
      location: h('input', { id: 'meeting-location', type: 'text', maxlength: '200', autocomplete: 'off', value: m.location ?? '' }),
      organization: h('select', { id: 'meeting-organization', value: m.organization ?? '' },
        h('option', { value: '' }, t('meeting.noOrganizer')),
        orgs.map((o) => h('option', { value: o.id }, o.fields.name))),
      dots: h('input', { id: 'meeting-dots', type: 'number', min: '1', max: '20', inputmode: 'numeric',
        value: String(m.dots_per_attendee ?? DEFAULT_DOTS) }),
    };
    const initialStatus = m.status ?? (start.date <= localDate() ? 'held' : 'planned');
    this.status = choiceGroup('meeting-status', t('field.status'), statuses, initialStatus, (v) => enumLabel('status', v),
      () => { this.statusTouched = true; });
    if (this.isNew) {
      this.inputs.date.addEventListener('change', () => {
        if (!this.statusTouched) this.status.set(this.inputs.date.value > localDate() ? 'planned' : 'held');
      });
    }
    this.original = this.isNew ? {} : this.values();
    this.error = h('div', { class: 'form-error', role: 'alert' });
    this.conflicts = h('div', { class: 'conflict-slot' });

    const form = h('form', { class: 'card meeting-form', 'aria-label': t('meeting.detailsHeading') },
      this.error, this.conflicts,
      row('meeting-title', t('field.title'), this.inputs.title, { required: true, className: 'span-2' }),
      row('meeting-kind', t('meeting.kind'), this.inputs.kind, { required: true }),
      city ? null : row('meeting-organization', t('meeting.organizer'), this.inputs.organization, { optional: true }),
      row('meeting-date', t('meeting.date'), this.inputs.date, { required: true }),
      row('meeting-time', t('meeting.time'), this.inputs.time, { required: true }),
      row('meeting-location', t('meeting.location'), this.inputs.location, { optional: true, className: 'span-2' }),
      h('div', { class: 'form-row span-2' }, this.status.element),
      city ? null : row('meeting-dots', t('meeting.dots'), this.inputs.dots, { hint: t('meeting.dotsHint') }),
      h('div', { class: 'form-actions span-2' },
        h('button', { type: 'submit', class: 'button button-primary' }, this.isNew ? t('meeting.create') : t('form.save'))));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.save(); });
    if (!this.isNew) this.refresh(this.options.meeting);
    return form;
  }

  values() {
    const dots = this.city ? null : intValue(this.inputs.dots);
    return {
      title: this.inputs.title.value.trim(),
      kind: this.inputs.kind.value,
      start: toUtcDatetime(this.inputs.date.value, this.inputs.time.value),
      location: this.inputs.location.value.trim(),
      organization: this.inputs.organization.value,
      status: this.status.value(),
      dots_per_attendee: dots,
    };
  }

  // A newer version of the meeting arrived: show its conflicts.
  refresh(meeting) {
    this.options.meeting = meeting;
    this.conflicts.replaceChildren(...recordConflicts(this.sync, meeting, this.options.onError, FORM_FIELDS, { withField: true }));
  }

  async save() {
    this.error.textContent = '';
    const values = this.values();
    if (!values.title) return this.fail(t('meeting.titleRequired'), this.inputs.title);
    if (!values.start) return this.fail(t('meeting.startRequired'), this.inputs.date);
    if (values.dots_per_attendee !== null && !(values.dots_per_attendee >= 1 && values.dots_per_attendee <= 20)) {
      return this.fail(t('meeting.dotsRange'), this.inputs.dots);
    }
    try {
      if (this.isNew) {
        const fields = { neighborhood: this.options.neighborhood.id };
        for (const [k, v] of Object.entries(values)) if (v !== '' && v !== null) fields[k] = v;
        const id = await this.sync.create('meeting', fields);
        this.options.onSaved(id, true);
      } else {
        const changed = {};
        for (const [k, v] of Object.entries(values)) {
          if (v === this.original[k]) continue;
          changed[k] = v === '' || v === null ? null : v;
        }
        if (Object.keys(changed).length === 0) return this.fail(t('form.nothingChanged'));
        await this.sync.setFields('meeting', this.options.meeting.id, changed);
        this.original = values;
        this.options.onSaved(this.options.meeting.id, false);
      }
    } catch (error) {
      this.fail(t('error.notSaved', { message: error.message }));
    }
    return undefined;
  }

  fail(text, focus) {
    this.error.textContent = text;
    focus?.focus();
  }
}
