// A department's answer to a priority: record a new commitment, or update
// one (status, expected date, notes, responder, summary). Built from the
// core's commitment schema. Updating writes only the fields the person
// changed, so a conflicted field nobody touched stays for someone to decide;
// conflicted fields show their values with "Keep this one" above the form.
import { fieldLabel, t } from '../i18n.js';
import { h } from './dom.js';
import { offeredValues } from '../reference-lists.js';
import { enumOptions, recordConflicts, row } from './ui.js';

const FIELDS = ['summary', 'status', 'expected_date', 'responder', 'status_notes'];

function asText(value) { return value === null || value === undefined ? '' : String(value); }

export class CommitmentForm {
  // options: {priority (id), department (slug), commitment (id, to update),
  //           onDone(text) after a save, onCancel(), onError(text)}
  constructor(sync, options) {
    this.sync = sync;
    this.options = options;
    this.inputs = {};
    this.original = {};
    this.conflicts = h('div', { class: 'conflict-slot' });
    this.element = this.build();
    this.refresh();
  }

  get isNew() { return !this.options.commitment; }

  record() { return this.isNew ? null : this.sync.record('commitment', this.options.commitment); }

  build() {
    const record = this.record();
    const prefix = `commitment-${this.options.commitment ?? `new-${this.options.priority}`}`;
    const spec = (field) => this.sync.core.fieldSpec('commitment', field);
    for (const field of FIELDS) {
      const value = record ? asText(record.fields[field]) : (field === 'status' ? 'acknowledged' : '');
      this.original[field] = value;
      const id = `${prefix}-${field}`;
      const s = spec(field);
      const attrs = { id, name: field, 'data-focus': id, value };
      if (s.kind === 'enumeration') this.inputs[field] = h('select', attrs, enumOptions(field, offeredValues(this.sync, 'commitment', field, value)));
      else if (s.kind === 'date') this.inputs[field] = h('input', { ...attrs, type: 'date' });
      else if (field === 'responder') this.inputs[field] = h('input', { ...attrs, type: 'text', maxlength: s.max_length, autocomplete: 'name' });
      else this.inputs[field] = h('textarea', { ...attrs, rows: field === 'summary' ? '2' : '3', maxlength: s.max_length });
    }
    this.error = h('p', { class: 'form-error', role: 'alert' });
    const label = (field) => fieldLabel(field);
    const form = h('form', { class: 'commitment-form', 'data-testid': this.isNew ? 'commitment-new' : 'commitment-edit' },
      h('h4', {}, this.isNew ? t('dept.recordHeading') : t('dept.updateHeading')),
      this.conflicts,
      this.error,
      row(this.inputs.summary.id, label('summary'), this.inputs.summary, { required: true, className: 'span-2', hint: t('dept.summaryHint') }),
      h('div', { class: 'two-col' },
        row(this.inputs.status.id, label('status'), this.inputs.status, { required: true }),
        row(this.inputs.expected_date.id, label('expected_date'), this.inputs.expected_date, { optional: true })),
      row(this.inputs.responder.id, label('responder'), this.inputs.responder, { optional: true, hint: t('dept.responderHint') }),
      row(this.inputs.status_notes.id, label('status_notes'), this.inputs.status_notes, { optional: true }),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary', 'data-focus': `${prefix}-save` },
          this.isNew ? t('dept.saveNew') : t('dept.saveUpdate')),
        h('button', { type: 'button', class: 'button button-quiet', onclick: () => this.options.onCancel() }, t('dept.cancel'))));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.save(); });
    return form;
  }

  // Follows the replica: untouched fields take the current value; conflicts
  // are listed with their values.
  refresh() {
    const record = this.record();
    if (!record) return;
    for (const field of FIELDS) {
      const input = this.inputs[field];
      const current = asText(record.fields[field]);
      if (input.value === this.original[field]) {
        input.value = current;
        this.original[field] = current;
      }
    }
    this.conflicts.replaceChildren(...recordConflicts(this.sync, record, (text) => this.options.onError(text), null, { withField: true }));
  }

  async save() {
    this.error.textContent = '';
    const values = {};
    for (const field of FIELDS) values[field] = field === 'expected_date' || field === 'status' ? this.inputs[field].value : this.inputs[field].value.trim();
    if (!values.summary) {
      this.error.textContent = t('dept.summaryRequired');
      this.inputs.summary.focus();
      return;
    }
    try {
      if (this.isNew) {
        const fields = { priority: this.options.priority, department: this.options.department };
        for (const [field, value] of Object.entries(values)) if (value !== '') fields[field] = value;
        await this.sync.create('commitment', fields);
      } else {
        const changed = {};
        for (const [field, value] of Object.entries(values)) {
          if (value !== this.original[field].trim()) changed[field] = value === '' ? null : value;
        }
        if (Object.keys(changed).length === 0) {
          this.error.textContent = t('form.nothingChanged');
          return;
        }
        await this.sync.setFields('commitment', this.options.commitment, changed);
      }
    } catch (error) {
      this.error.textContent = t('error.notSaved', { message: error.message });
      return;
    }
    const online = this.sync.status.connection === 'online';
    this.options.onDone(online ? t('dept.saved') : t('dept.savedOffline'));
  }
}
