// The agenda: items in order, each with a title and notes taken during the
// meeting; add, edit in place, move up or down, delete. The leaders'
// meeting's can be drafted from the city-wide roll-up (leaders-draft.js).
import { isCitywide } from '../../citywide.js';
import { t } from '../../i18n.js';
import { localDate } from '../../time.js';
import { h } from '../dom.js';
import { confirmButton, keepFocus, recordConflicts, row } from '../ui.js';
import { neighborhoodNames } from '../dashboard/data.js';
import { draftAgendaItems, draftedText } from './leaders-draft.js';

const MAX_ORDER = 1000;

export class AgendaSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
    this.editing = null;  // {id, element}
  }

  mount(container) {
    this.title = h('input', { id: 'agenda-title', type: 'text', maxlength: '200', autocomplete: 'off' });
    this.notes = h('textarea', { id: 'agenda-notes', rows: '2', maxlength: '4000' });
    this.message = h('p', { class: 'form-message', role: 'status' });
    const form = h('form', { class: 'card agenda-form', 'aria-labelledby': 'agenda-add-heading' },
      h('h2', { id: 'agenda-add-heading' }, t('agenda.add')),
      row('agenda-title', t('field.title'), this.title, { required: true }),
      row('agenda-notes', t('agenda.notes'), this.notes, { optional: true }),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('agenda.addButton')), this.message));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.add(); });
    this.list = h('ol', { class: 'agenda-list', 'aria-label': t('agenda.heading') });
    // Only a coordinator's device holds every neighborhood to draft from;
    // everyone else reads the meeting (the fieldset is disabled for them).
    const draft = isCitywide(this.meeting) && this.sync.session?.role === 'coordinator'
      ? h('div', { class: 'leaders-draft' },
        h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'draft-agenda', onclick: () => this.draft() }, t('leaders.draft')),
        h('p', { class: 'muted' }, t('leaders.draftHint')))
      : null;
    container.replaceChildren(h('fieldset', { class: 'capture' },
      h('section', { class: 'card' }, h('h2', {}, t('agenda.heading')), draft, this.list),
      form));
    this.update(this.meeting);
  }

  unmount() {}

  items() {
    return this.sync.list('agenda_item', 'meeting', this.meeting.id)
      .sort((a, b) => ((a.fields.order ?? 0) - (b.fields.order ?? 0)) || (a.id < b.id ? -1 : 1));
  }

  update(meeting) {
    this.meeting = meeting;
    const items = this.items();
    keepFocus(this.list, () => {
      if (items.length === 0) {
        this.list.replaceChildren(h('li', { class: 'muted empty-row' }, t('agenda.empty')));
        return;
      }
      this.list.replaceChildren(...items.map((item, index) => (this.editing?.id === item.id
        ? this.editing.element : this.itemRow(item, index, items))));
    });
  }

  itemRow(item, index, items) {
    const f = item.fields;
    return h('li', { class: 'agenda-item', 'data-id': item.id },
      h('span', { class: 'agenda-number', 'aria-hidden': 'true' }, String(index + 1)),
      h('div', { class: 'agenda-main' },
        h('h3', { class: 'agenda-title' }, f.title),
        f.notes ? h('p', { class: 'agenda-notes' }, f.notes) : null,
        ...recordConflicts(this.sync, item, this.app.error)),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button button-quiet icon-button', disabled: index === 0, 'data-focus': `up-${item.id}`,
          'aria-label': `${t('agenda.up')}: ${f.title}`, onclick: () => this.move(items, index, -1) }, '↑'),
        h('button', { type: 'button', class: 'button button-quiet icon-button', disabled: index === items.length - 1, 'data-focus': `down-${item.id}`,
          'aria-label': `${t('agenda.down')}: ${f.title}`, onclick: () => this.move(items, index, 1) }, '↓'),
        h('button', { type: 'button', class: 'button button-quiet', 'data-focus': `edit-${item.id}`,
          'aria-label': `${t('agenda.edit')}: ${f.title}`, onclick: () => this.startEdit(item) }, t('agenda.edit')),
        confirmButton(t('agenda.delete'), { 'data-focus': `del-${item.id}`, 'aria-label': `${t('agenda.delete')}: ${f.title}` },
          () => this.remove(item))));
  }

  startEdit(item) {
    const title = h('input', { id: 'agenda-edit-title', type: 'text', maxlength: '200', value: item.fields.title ?? '' });
    const notes = h('textarea', { id: 'agenda-edit-notes', rows: '3', maxlength: '4000', value: item.fields.notes ?? '' });
    const form = h('form', { class: 'agenda-edit' },
      row('agenda-edit-title', t('field.title'), title, { required: true }),
      row('agenda-edit-notes', t('agenda.notes'), notes, { optional: true }),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('form.save')),
        h('button', { type: 'button', class: 'button button-quiet', onclick: () => { this.editing = null; this.update(this.meeting); } }, t('agenda.cancel'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = { title: title.value.trim(), notes: notes.value.trim() || null };
      if (!values.title) { title.focus(); return; }
      const changed = {};
      if (values.title !== item.fields.title) changed.title = values.title;
      if (values.notes !== (item.fields.notes ?? null)) changed.notes = values.notes;
      try {
        if (Object.keys(changed).length) await this.sync.setFields('agenda_item', item.id, changed);
        this.editing = null;
        this.update(this.meeting);
      } catch (error) {
        this.app.error(t('error.notSaved', { message: error.message }));
      }
    });
    this.editing = { id: item.id, element: h('li', { class: 'agenda-item is-editing', 'data-id': item.id }, form) };
    this.update(this.meeting);
    title.focus();
  }

  async add() {
    const title = this.title.value.trim();
    if (!title) {
      this.message.textContent = t('agenda.titleRequired');
      this.title.focus();
      return;
    }
    const items = this.items();
    let order = items.length ? Math.max(...items.map((i) => i.fields.order ?? 0)) + 1 : 1;
    try {
      if (order > MAX_ORDER) {
        await this.renumber(items);
        order = items.length + 1;
      }
      const fields = { meeting: this.meeting.id, order, title };
      const notes = this.notes.value.trim();
      if (notes) fields.notes = notes;
      await this.sync.create('agenda_item', fields);
      this.title.value = '';
      this.notes.value = '';
      this.message.textContent = `✓ ${t('agenda.added', { title })}`;
      this.title.focus();
    } catch (error) {
      this.message.textContent = t('error.notSaved', { message: error.message });
    }
  }

  // Appends the roll-up's items after the existing ones.
  async draft() {
    const items = draftAgendaItems(this.sync.replica.leadersAgenda({}, localDate()), neighborhoodNames(this.sync));
    const existing = this.items();
    let order = existing.length ? Math.max(...existing.map((i) => i.fields.order ?? 0)) : 0;
    try {
      if (order + items.length > MAX_ORDER) {
        await this.renumber(existing);
        order = existing.length;
      }
      for (const item of items) {
        const fields = { meeting: this.meeting.id, order: ++order, title: item.title };
        if (item.notes) fields.notes = item.notes;
        await this.sync.create('agenda_item', fields);
      }
      this.app.toast(draftedText(items.length));
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }

  // Swaps an item with its neighbour; writes 1..n where the order changed
  // (concurrent additions may share a number; this straightens them out).
  async move(items, index, delta) {
    const next = [...items];
    [next[index], next[index + delta]] = [next[index + delta], next[index]];
    try {
      await this.renumber(next);
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }

  async renumber(items) {
    for (const [i, item] of items.entries()) {
      if (item.fields.order !== i + 1) await this.sync.setFields('agenda_item', item.id, { order: i + 1 });
    }
  }

  async remove(item) {
    try {
      await this.sync.remove('agenda_item', item.id);
      this.app.toast(t('agenda.deleted', { title: item.fields.title }));
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }
}
