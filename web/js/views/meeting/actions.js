// Action items: what will be done, by whom (the community contact person),
// by when, optionally for which priority; ticked off when done. At the
// city-wide leaders' meeting an item is also assigned to a department or a
// neighborhood, whose liaisons or organizers may tick it off (and only
// that): so the list stands outside the capture fieldset, each control
// enabled by the core's rules (access.js).
import { canEditNeighborhood } from '../../access.js';
import { isCitywide } from '../../citywide.js';
import { mayCheckOff } from '../../core.js';
import { enumLabel, t } from '../../i18n.js';
import { formatDate, localDate } from '../../time.js';
import { h } from '../dom.js';
import { offeredValues } from '../../reference-lists.js';
import { byName, confirmButton, keepFocus, recordConflicts, row } from '../ui.js';

export class ActionsSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
  }

  mount(container) {
    this.description = h('textarea', { id: 'action-description', rows: '2', maxlength: '2000' });
    this.owner = h('input', { id: 'action-owner', type: 'text', maxlength: '200', autocomplete: 'off' });
    this.due = h('input', { id: 'action-due', type: 'date' });
    this.priority = h('select', { id: 'action-priority' });
    this.city = isCitywide(this.meeting);
    this.assign = this.city ? this.assignSelect() : null;
    this.message = h('p', { class: 'form-message', role: 'status' });
    this.formHeading = h('h2', { id: 'action-add-heading' }, t('actions.add'));
    this.submit = h('button', { type: 'submit', class: 'button button-primary' }, t('actions.addButton'));
    this.cancel = h('button', { type: 'button', class: 'button button-quiet', hidden: true, onclick: () => this.stopEdit() }, t('agenda.cancel'));
    const form = h('form', { class: 'card action-form', 'aria-labelledby': 'action-add-heading' },
      this.formHeading,
      h('div', { class: 'two-col' },
        row('action-description', t('actions.description'), this.description, { required: true, className: 'span-2' }),
        row('action-owner', t('actions.owner'), this.owner, { optional: true }),
        row('action-due', t('actions.due'), this.due, { optional: true }),
        this.assign ? row('action-assign', t('leaders.assignedTo'), this.assign, { optional: true, className: 'span-2' }) : null,
        row('action-priority', t('actions.priority'), this.priority, { optional: true, className: 'span-2' })),
      h('div', { class: 'form-actions-inline' }, this.submit, this.cancel, this.message));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.add(); });
    this.form = form;
    this.listHeading = h('h2', { id: 'actions-heading' });
    this.list = h('ul', { class: 'action-list', 'aria-labelledby': 'actions-heading' });
    container.replaceChildren(
      h('section', { class: 'card' }, this.listHeading, this.list),
      h('fieldset', { class: 'capture' }, form));
    this.update(this.meeting);
  }

  unmount() {}

  // Departments, then neighborhoods: value "d:<slug>" or "n:<slug>".
  assignSelect() {
    const departments = offeredValues(this.sync, 'action_item', 'department');
    const neighborhoods = this.sync.list('neighborhood').sort((a, b) => byName(a.fields.name, b.fields.name));
    return h('select', { id: 'action-assign' },
      h('option', { value: '' }, t('leaders.assignNone')),
      h('optgroup', { label: t('leaders.departments') }, departments.map((d) => h('option', { value: `d:${d}` }, enumLabel('department', d)))),
      h('optgroup', { label: t('leaders.neighborhoods') }, neighborhoods.map((n) => h('option', { value: `n:${n.id}` }, n.fields.name ?? n.id))));
  }

  assignmentOf(fields) {
    return fields.department ? `d:${fields.department}` : fields.neighborhood ? `n:${fields.neighborhood}` : '';
  }

  assignmentFields() {
    const [kind, slug] = (this.assign?.value || ':').split(':');
    return { department: kind === 'd' ? slug : null, neighborhood: kind === 'n' ? slug : null };
  }

  assigneeName(fields) {
    if (fields.department) return enumLabel('department', fields.department);
    if (fields.neighborhood) return this.sync.record('neighborhood', fields.neighborhood)?.fields?.name ?? fields.neighborhood;
    return '';
  }

  // The priorities an item may be about: the meeting's ranked ones; at the
  // leaders' meeting, every open priority the device holds, "Neighborhood: title".
  openPriorities() {
    if (!this.city) return this.sync.meetingRanking(this.meeting.id).sort((a, b) => byName(a.title, b.title));
    const nameOf = (slug) => this.sync.record('neighborhood', slug)?.fields?.name ?? slug;
    return this.sync.list('priority')
      .filter((p) => !['resolved', 'dropped'].includes(p.fields.status))
      .map((p) => ({ priority: p.id, title: `${nameOf(p.fields.neighborhood)}: ${p.fields.title ?? ''}` }))
      .sort((a, b) => byName(a.title, b.title));
  }

  // Who may do what to an item: edit and delete it (its meeting's writers,
  // while the meeting is open), tick it off (they, or its assignee).
  permissions(item) {
    const session = this.sync.session;
    const writes = canEditNeighborhood(session, this.meeting.fields.neighborhood);
    return {
      edit: writes && this.meeting.fields.status !== 'closed',
      checkOff: writes || (this.city && mayCheckOff(session, item.fields.neighborhood, item.fields.department)),
    };
  }

  update(meeting) {
    this.meeting = meeting;
    const current = this.priority.value;
    this.priority.replaceChildren(h('option', { value: '' }, t('actions.noPriority')),
      ...this.openPriorities().map((p) => h('option', { value: p.priority }, p.title)));
    this.priority.value = [...this.priority.options].some((o) => o.value === current) ? current : '';

    const items = this.sync.list('action_item', 'meeting', meeting.id).sort((a, b) =>
      (a.fields.due_date || '9999').localeCompare(b.fields.due_date || '9999')
      || String(a.fields.description).localeCompare(String(b.fields.description)) || (a.id < b.id ? -1 : 1));
    this.listHeading.textContent = `${t('actions.heading')} (${items.length})`;
    const today = localDate();
    keepFocus(this.list, () => this.list.replaceChildren(...(items.length ? items.map((item) => {
      const f = item.fields;
      const priority = f.priority ? this.sync.live('priority', f.priority) : null;
      const overdue = !f.done && f.due_date && f.due_date < today;
      const id = `done-${item.id}`;
      const may = this.permissions(item);
      const assignee = this.assigneeName(f);
      return h('li', { class: `action-item${f.done ? ' is-done' : ''}${overdue ? ' is-overdue' : ''}`, 'data-id': item.id },
        h('input', { type: 'checkbox', id, checked: Boolean(f.done), disabled: !may.checkOff, 'data-focus': id,
          onchange: (e) => this.setDone(item, e.target.checked) }),
        h('div', { class: 'action-main' },
          h('label', { for: id, class: 'action-description' }, f.description),
          h('p', { class: 'action-meta muted' }, [
            f.owner ? t('actions.ownerIs', { owner: f.owner }) : t('actions.noOwner'),
            f.due_date ? t('actions.dueOn', { date: formatDate(f.due_date) }) : null,
            priority ? t('actions.for', { title: priority.fields.title }) : null,
          ].filter(Boolean).join(' · '),
          assignee ? h('span', { class: 'chip chip-assignee', 'data-testid': 'assignee' }, t('leaders.assignedChip', { name: assignee })) : null,
          overdue ? h('span', { class: 'chip chip-overdue' }, t('actions.overdue')) : null),
          ...recordConflicts(this.sync, item, this.app.error)),
        may.edit ? h('button', { type: 'button', class: 'button button-quiet', 'data-focus': `edit-${item.id}`,
          'aria-label': `${t('actions.edit')}: ${f.description}`, onclick: () => this.startEdit(item) }, t('actions.edit')) : null,
        may.edit ? confirmButton(t('actions.delete'), { 'data-focus': `del-${item.id}`, 'aria-label': `${t('actions.delete')}: ${f.description}` },
          () => this.remove(item)) : null);
    }) : [h('li', { class: 'muted empty-row' }, t('actions.empty'))])));
  }

  // Editing uses the same form: filled with the item, saving only what changed.
  startEdit(item) {
    this.editing = item;
    this.description.value = item.fields.description ?? '';
    this.owner.value = item.fields.owner ?? '';
    this.due.value = item.fields.due_date ?? '';
    this.priority.value = item.fields.priority && [...this.priority.options].some((o) => o.value === item.fields.priority) ? item.fields.priority : '';
    if (this.assign) this.assign.value = this.assignmentOf(item.fields);
    this.formHeading.textContent = t('actions.editHeading');
    this.submit.textContent = t('form.save');
    this.cancel.hidden = false;
    this.message.textContent = '';
    this.form.scrollIntoView({ block: 'start' });
    this.description.focus();
  }

  stopEdit() {
    this.editing = null;
    for (const input of [this.description, this.owner, this.due, this.priority, this.assign]) if (input) input.value = '';
    this.formHeading.textContent = t('actions.add');
    this.submit.textContent = t('actions.addButton');
    this.cancel.hidden = true;
  }

  async saveEdit(item, description) {
    const values = { description, owner: this.owner.value.trim() || null, due_date: this.due.value || null, priority: this.priority.value || null,
                     ...(this.assign ? this.assignmentFields() : {}) };
    const changed = {};
    for (const [k, v] of Object.entries(values)) if (v !== (item.fields[k] ?? null)) changed[k] = v;
    try {
      if (Object.keys(changed).length) await this.sync.setFields('action_item', item.id, changed);
    } catch (error) {
      this.message.textContent = t('error.notSaved', { message: error.message });
      return;
    }
    this.stopEdit();
    this.message.textContent = `✓ ${t('actions.saved')}`;
  }

  async add() {
    const description = this.description.value.trim();
    if (!description) { this.message.textContent = t('actions.descriptionRequired'); this.description.focus(); return; }
    if (this.editing) { await this.saveEdit(this.editing, description); return; }
    const fields = { meeting: this.meeting.id, description, done: false };
    if (this.owner.value.trim()) fields.owner = this.owner.value.trim();
    if (this.due.value) fields.due_date = this.due.value;
    if (this.priority.value) fields.priority = this.priority.value;
    if (this.assign) for (const [k, v] of Object.entries(this.assignmentFields())) if (v) fields[k] = v;
    try {
      await this.sync.create('action_item', fields);
    } catch (error) {
      this.message.textContent = t('error.notSaved', { message: error.message });
      return;
    }
    this.description.value = '';
    this.owner.value = '';
    this.due.value = '';
    this.priority.value = '';
    if (this.assign) this.assign.value = '';
    this.message.textContent = `✓ ${t('actions.added')}`;
    this.description.focus();
  }

  async setDone(item, done) {
    try {
      await this.sync.setFields('action_item', item.id, { done });
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }

  async remove(item) {
    try {
      await this.sync.remove('action_item', item.id);
      this.app.toast(t('actions.deleted'));
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }
}
