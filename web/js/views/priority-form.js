// Adding and editing a priority. The form is built from the core's schema
// (lengths, required fields, enumeration values).
//
// Editing writes only the fields the user changed, so an untouched conflicted
// field stays a conflict until someone decides. A conflicted field lists
// every value with who saved it; "Keep this one" or a typed value resolves it.
// Changes arriving from other devices while the form is open update the
// fields the user has not touched and are pointed out on the ones they have.
//
// The department the priority is addressed to is optional; moving the status
// past "proposed" also records the day (adopted_on), once (the core's rule,
// shared/include/psc/adoption.hpp, applied by sync.js), so the scorecards can count days from adoption to a department's first response.
//
// Someone who may not change the priority (a viewer, a department liaison)
// gets the same screen read-only: no save, no delete, no "Keep this one".
// Below the form, what the departments answered (priority-commitments.js).
import { canEditNeighborhood } from '../access.js';
import { hlcMillis } from '../core.js';
import { enumLabel, fieldLabel, formatTime, t } from '../i18n.js';
import { formatDate } from '../time.js';
import { conflictPanel } from './conflict.js';
import { fill, h } from './dom.js';
import { limitField } from './field-limit.js';
import { locationControls, locationText, normalizeLocation } from './location-field.js';
import { actorName, deviceName, displayValue } from './format.js';
import { priorityCommitments } from './priority-commitments.js';
import { offeredValues } from '../reference-lists.js';

const FIELDS = ['title', 'category', 'status', 'department', 'address', 'coordinates', 'police_beat', 'description'];
const TRIMMED = ['title', 'address', 'police_beat'];

function asText(value) { return value === null || value === undefined ? '' : String(value); }

// A stored value as its field shows it (a location with a space after the comma).
function shown(field, value) { return field === 'coordinates' ? locationText(value) : asText(value); }

// What the field's text stores: the location in the core's compact form
// (null when it is not a position), other text as typed.
function stored(field, text) {
  if (field === 'coordinates') return normalizeLocation(text);
  return TRIMMED.includes(field) ? text.trim() : text;
}

export class PriorityFormView {
  // options: {neighborhood (record, for a new priority), id (to edit), back: {href, label} (where Back
  // and saving return; default the neighborhood's list), onSaved(text, href), onError(text)}
  constructor(sync, options) {
    this.sync = sync;
    this.options = options;
    this.inputs = {};
    this.original = {};
    this.slots = {};
  }

  get isNew() { return !this.options.id; }

  mount(container) {
    this.container = container;
    this.render();
  }

  unmount() {}

  record() { return this.isNew ? null : this.sync.record('priority', this.options.id); }

  spec(field) { return this.sync.core.fieldSpec('priority', field); }

  // A new priority is only reached by those who may add one (app.js).
  get readOnly() { return !this.isNew && !canEditNeighborhood(this.sync.session, this.neighborhoodId); }

  get backHref() {
    if (this.options.back?.href) return this.options.back.href;
    if (this.sync.session?.role === 'liaison') return '#/department';
    return this.neighborhoodId ? `#/n/${encodeURIComponent(this.neighborhoodId)}` : '#/';
  }

  render() {
    const record = this.record();
    if (!this.isNew && (!record || record.deleted)) {
      this.renderNotFound();
      return;
    }
    const neighborhoodId = this.isNew ? this.options.neighborhood.id : record.fields.neighborhood;
    this.neighborhoodId = neighborhoodId;
    const neighborhood = this.sync.record('neighborhood', neighborhoodId);
    const neighborhoodName = neighborhood?.fields?.name ?? neighborhoodId;

    this.errorBox = h('div', { class: 'form-error', role: 'alert' });
    this.lastEdited = h('p', { class: 'muted last-edited' });
    this.adoptedNote = h('p', { class: 'muted adopted-on', 'data-testid': 'adopted-on' });
    const form = h('form', { class: 'card priority-form', novalidate: false, 'aria-labelledby': 'form-heading' });
    form.addEventListener('submit', (event) => { event.preventDefault(); this.save(); });

    const rows = FIELDS.map((field) => this.fieldRow(field, record));
    const readOnly = this.readOnly;
    if (readOnly) for (const input of Object.values(this.inputs)) input.disabled = true;
    const actions = h('div', { class: 'form-actions' },
      readOnly ? null : h('button', { type: 'submit', class: 'button button-primary' }, t('form.save')),
      h('a', { class: 'button button-quiet', href: this.backHref }, this.backLabel));
    form.append(this.errorBox, ...rows, actions);
    form.classList.toggle('is-readonly', readOnly);

    const heading = h('div', { class: 'form-header' },
      h('p', { class: 'breadcrumb' }, h('a', { href: this.backHref }, `← ${this.options.back?.label ?? (this.sync.session?.role === 'liaison' ? t('nav.department') : neighborhoodName)}`)),
      h('h1', { id: 'form-heading' }, this.isNew ? t('form.newHeading', { name: neighborhoodName }) : readOnly ? t('form.viewHeading', { name: neighborhoodName }) : t('form.editHeading')),
      readOnly ? h('p', { class: 'notice notice-info', 'data-testid': 'read-only' }, t('form.readOnly')) : null,
      this.isNew ? null : this.lastEdited,
      this.isNew ? null : this.adoptedNote,
      // The audit trail is the coordinator's (the server refuses others).
      !this.isNew && this.sync.session?.role === 'coordinator'
        ? h('p', {}, h('a', { href: `#/h/priority/${encodeURIComponent(this.options.id)}`, 'data-testid': 'history-link' }, t('history.link')))
        : null);

    this.commitments = this.isNew ? null : h('div', { class: 'commitments-slot' });
    const parts = [heading, form, this.commitments];
    if (!this.isNew && !readOnly) parts.push(this.deleteSection());
    fill(this.container, ...parts);  // a new priority has no commitments slot (replaceChildren printed "null")
    if (!this.isNew) this.refresh(record);
    if (this.isNew) this.inputs.title.focus();
  }

  fieldRow(field, record) {
    const spec = this.spec(field);
    const id = `field-${field}`;
    const value = record ? shown(field, record.fields[field]) : (field === 'status' ? 'proposed' : '');
    this.original[field] = value;
    let input;
    if (spec.kind === 'enumeration') {
      // A required choice starts on a disabled "Choose…"; an optional one can
      // be set back to nothing.
      const blank = !spec.required ? h('option', { value: '' }, field === 'department' ? t('form.department.none') : t('field.choose'))
        : value === '' ? h('option', { value: '', disabled: true }, t('field.choose')) : null;
      input = h('select', { id, name: field, required: spec.required, value },
        blank,
        offeredValues(this.sync, 'priority', field, value).map((v) => h('option', { value: v }, enumLabel(field, v))));
    } else if (field === 'description') {
      input = h('textarea', { id, name: field, rows: '4', value, 'aria-describedby': `${id}-error` });
    } else {
      input = h('input', {
        id, name: field, type: 'text', required: spec.required, value,
        autocomplete: 'off', 'aria-describedby': `${id}-error`,
      });
    }
    if (field === 'coordinates') {
      input.maxLength = 40;
      input.spellcheck = false;
    }
    if (field === 'status' && this.isNew) input.value = 'proposed';
    if (field === 'category' && this.isNew) input.value = '';
    this.inputs[field] = input;
    this.slots[field] = {
      conflict: h('div', { class: 'conflict-slot' }),
      note: h('p', { class: 'field-note' }),
      // What is wrong with the field, in words, next to it (filled by save()).
      error: h('p', { class: 'field-error', id: `${id}-error`, 'data-testid': `error-${field}`, hidden: true }),
      count: spec.kind === 'enumeration' ? null : limitField(input, spec.max_length),
    };
    if (this.slots[field].count) input.setAttribute('aria-describedby', `${id}-error ${id}-count`);
    input.addEventListener('input', () => this.showFieldError(field, ''));
    const label = h('label', { for: id }, fieldLabel(field),
      spec.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')
        : h('span', { class: 'optional' }, ` (${t('field.optional')})`));
    const extra = field === 'coordinates' && !this.readOnly
      ? locationControls(input, { onFilled: () => this.showFieldError('coordinates', '') }) : null;
    return h('div', { class: `form-row form-row-${field}`, 'data-field': field },
      label, this.slots[field].conflict, input, extra, this.slots[field].count, this.slots[field].error, this.slots[field].note);
  }

  // Brings the form up to date with the replica without losing typing.
  refresh(record) {
    for (const field of FIELDS) {
      const input = this.inputs[field];
      const current = shown(field, record.fields[field]);
      const touched = input.value !== this.original[field];
      const note = this.slots[field].note;
      if (!touched) {
        input.value = current;
        this.slots[field].count?.refresh();
        this.original[field] = current;
        note.textContent = '';
      } else if (current !== this.original[field]) {
        note.textContent = t('form.changedElsewhere', { value: displayValue(field, current, this.spec(field)) });
      }
      const leaves = record.conflicts?.[field];
      this.slots[field].conflict.replaceChildren(!leaves ? '' : this.readOnly
        ? conflictPanel(field, leaves, this.spec(field), this.sync.deviceId, null, t('conflict.helpReadOnly'))
        : conflictPanel(field, leaves, this.spec(field), this.sync.deviceId, (value) => this.keep(field, value)));
      this.inputs[field].closest('.form-row').classList.toggle('has-conflict', Boolean(leaves));
    }
    this.adoptedNote.textContent = record.fields.adopted_on ? t('form.adoptedOn', { date: formatDate(record.fields.adopted_on) }) : '';
    this.commitments?.replaceChildren(priorityCommitments(this.sync, record) ?? '');
    const latest = Object.values(record.meta ?? {}).sort((a, b) => (a.hlc < b.hlc ? 1 : -1))[0];
    this.lastEdited.textContent = latest ? t('form.lastEdited', {
      actor: actorName(latest.actor),
      device: deviceName(latest.device, this.sync.deviceId),
      time: formatTime(hlcMillis(latest.hlc)),
    }) : '';
  }

  update() {
    if (this.isNew) return;  // a new record has nothing to follow
    const record = this.record();
    if (!record || record.deleted) {
      this.renderNotFound();
      return;
    }
    if (!this.inputs.title?.isConnected) {
      this.render();
      return;
    }
    this.refresh(record);
  }

  get backLabel() {
    if (this.options.back) return t('form.backTo', { name: this.options.back.label });
    return this.sync.session?.role === 'liaison' ? t('form.backToDepartment') : t('form.back');
  }

  renderNotFound() {
    this.container.replaceChildren(h('section', { class: 'card empty-state' },
      h('p', {}, t('form.notFound')),
      h('a', { class: 'button button-secondary', href: this.backHref },
        this.backLabel)));
  }


  showFieldError(field, text) {
    const slot = this.slots[field];
    slot.error.textContent = text;
    slot.error.hidden = !text;
    if (text) this.inputs[field].setAttribute('aria-invalid', 'true');
    else this.inputs[field].removeAttribute('aria-invalid');
  }

  async save() {
    if (this.readOnly) return;
    this.errorBox.textContent = '';
    const values = {};
    for (const field of FIELDS) values[field] = stored(field, this.inputs[field].value);
    if (values.coordinates === null) {
      this.showFieldError('coordinates', t('place.invalid'));
      this.inputs.coordinates.focus();
      this.inputs.coordinates.closest('.form-row')?.scrollIntoView({ block: 'center' });
      return;
    }
    // A required field left empty (or only spaces) is said next to it, in
    // words, before anything is written: the core would refuse the record
    // ("priority … is new but has no title") in a message far above the field.
    const missing = FIELDS.filter((field) => this.spec(field).required && values[field] === '');
    for (const field of FIELDS) {
      this.showFieldError(field, !missing.includes(field) ? ''
        : field === 'title' ? t('form.titleRequired') : t('form.fieldRequired', { field: fieldLabel(field) }));
    }
    if (missing.length) {
      const first = this.inputs[missing[0]];
      first.focus();
      first.closest('.form-row')?.scrollIntoView({ block: 'center' });
      return;
    }
    try {
      if (this.isNew) {
        const fields = { neighborhood: this.neighborhoodId };
        for (const [field, value] of Object.entries(values)) if (value !== '') fields[field] = value;
        await this.sync.create('priority', fields);
      } else {
        const changed = {};
        for (const [field, value] of Object.entries(values)) {
          if (value === stored(field, this.original[field])) continue;
          changed[field] = value === '' && !this.spec(field).required ? null : value;
        }
        if (Object.keys(changed).length === 0) {
          this.errorBox.textContent = t('form.nothingChanged');
          return;
        }
        await this.sync.setFields('priority', this.options.id, changed);
      }
    } catch (error) {
      this.errorBox.textContent = t('error.notSaved', { message: error.message });
      this.errorBox.scrollIntoView({ block: 'center' });
      return;
    }
    const online = this.sync.status.connection === 'online';
    this.options.onSaved(online ? t('form.saved') : t('form.savedOffline'), this.backHref, { untilSynced: !online });
  }

  async keep(field, value) {
    try {
      await this.sync.setFields('priority', this.options.id, { [field]: value });
    } catch (error) {
      this.options.onError(t('error.notSaved', { message: error.message }));
      return;
    }
    // The field now shows the kept value; it is no longer "typed by the user".
    this.inputs[field].value = shown(field, value);
    this.original[field] = shown(field, value);
    this.options.onResolved(t('conflict.resolved'));
  }

  deleteSection() {
    const confirmRow = h('div', { class: 'delete-confirm', hidden: true },
      h('span', {}, t('form.deleteConfirm')),
      h('button', { type: 'button', class: 'button button-danger', onclick: () => this.remove() }, t('form.deleteYes')),
      h('button', { type: 'button', class: 'button button-quiet', onclick: () => { confirmRow.hidden = true; ask.hidden = false; } },
        t('form.deleteNo')));
    const ask = h('button', { type: 'button', class: 'button button-quiet button-danger-text', onclick: () => { ask.hidden = true; confirmRow.hidden = false; } },
      t('form.delete'));
    return h('div', { class: 'delete-section' }, ask, confirmRow);
  }

  async remove() {
    try {
      await this.sync.remove('priority', this.options.id);
    } catch (error) {
      this.options.onError(t('error.notSaved', { message: error.message }));
      return;
    }
    this.options.onSaved(t('form.deleted'), this.backHref);
  }
}
