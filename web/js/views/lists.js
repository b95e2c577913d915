// #/lists, coordinators only: the city's departments and agencies and the
// categories of problem (reference-lists.js). Records like any other: edited
// offline, synced, seen by every device. A new entry's id is a slug made
// from its English name, the value priorities and commitments then carry;
// an entry is retired (not offered any more, history kept), never deleted.
import { enumLabel, t } from '../i18n.js';
import { adminTabs } from './admin-tabs.js';
import { fill, h } from './dom.js';
import { keepFocus, recordConflicts, row } from './ui.js';

// What each list holds besides its name, and how its slugs are written (the
// seeded ones: public-works, public_safety).
const LISTS = {
  department: { separator: '-', kinds: true },
  category: { separator: '_', kinds: false },
};

export function slugOf(name, separator) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, separator).replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '').slice(0, 60);
}

export class ListsView {
  constructor(sync, app) {
    this.sync = sync;
    this.app = app;
    this.editing = null;  // {type, id}
  }

  mount(container) {
    this.container = container;
    this.sections = {};
    const parts = Object.keys(LISTS).map((type) => {
      const list = h('ul', { class: 'list-entries', 'aria-labelledby': `lists-${type}-h` });
      this.sections[type] = list;
      return h('section', { class: 'card list-editor', 'data-testid': `list-${type}` },
        h('h2', { id: `lists-${type}-h` }, t(`lists.${type}.heading`)),
        h('p', { class: 'muted' }, t(`lists.${type}.intro`)),
        list, this.addForm(type));
    });
    container.replaceChildren(adminTabs('lists'), h('h1', {}, t('lists.title')), h('p', {}, t('lists.intro')), ...parts);
    this.update();
  }

  unmount() {}

  entries(type) {
    return this.sync.list(type).filter((r) => !r.deleted)
      .sort((a, b) => Number(a.fields.active === false) - Number(b.fields.active === false)
        || enumLabel(type, a.id).localeCompare(enumLabel(type, b.id)));
  }

  update() {
    for (const type of Object.keys(LISTS)) {
      const list = this.sections[type];
      keepFocus(list, () => fill(list, ...this.entries(type).map((r) => (this.editing?.id === r.id && this.editing.type === type
        ? this.editing.element : this.entryRow(type, r)))));
    }
  }

  entryRow(type, record) {
    const f = record.fields;
    const retired = f.active === false;
    return h('li', { class: `list-entry${retired ? ' is-retired' : ''}`, 'data-id': record.id },
      h('div', { class: 'list-entry-main' },
        h('strong', {}, f.name ?? record.id),
        h('span', { class: 'muted' }, [f.name_es, LISTS[type].kinds && f.kind ? t(`lists.kind.${f.kind}`) : null, record.id]
          .filter(Boolean).join(' · ')),
        retired ? h('span', { class: 'chip' }, t('lists.retired')) : null,
        ...recordConflicts(this.sync, record, this.app.error)),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button button-quiet', 'data-focus': `edit-${record.id}`,
          'aria-label': `${t('lists.edit')}: ${f.name ?? record.id}`, onclick: () => this.startEdit(type, record) }, t('lists.edit')),
        h('button', { type: 'button', class: 'button button-quiet', 'data-focus': `active-${record.id}`,
          'aria-label': `${retired ? t('lists.restore') : t('lists.retire')}: ${f.name ?? record.id}`,
          onclick: () => this.save(type, record.id, { active: retired }) }, retired ? t('lists.restore') : t('lists.retire'))));
  }

  // The name, Spanish name and (departments) kind of a new or existing entry.
  inputs(type, prefix, fields = {}) {
    const inputs = {
      name: h('input', { id: `${prefix}-name`, type: 'text', maxlength: type === 'category' ? '100' : '200', autocomplete: 'off', value: fields.name ?? '' }),
      name_es: h('input', { id: `${prefix}-name-es`, type: 'text', lang: 'es', maxlength: type === 'category' ? '100' : '200', autocomplete: 'off', value: fields.name_es ?? '' }),
    };
    if (LISTS[type].kinds) {
      inputs.kind = h('select', { id: `${prefix}-kind`, value: fields.kind ?? 'city' },
        this.sync.core.allowed('department', 'kind').map((k) => h('option', { value: k }, t(`lists.kind.${k}`))));
    }
    const rows = [row(`${prefix}-name`, t('lists.name'), inputs.name, { required: true }),
      row(`${prefix}-name-es`, t('lists.nameEs'), inputs.name_es, { optional: true }),
      inputs.kind ? row(`${prefix}-kind`, t('lists.kind'), inputs.kind) : null];
    return { inputs, rows };
  }

  values({ inputs }) {
    const out = { name: inputs.name.value.trim(), name_es: inputs.name_es.value.trim() || null };
    if (inputs.kind) out.kind = inputs.kind.value;
    return out;
  }

  addForm(type) {
    const form = this.inputs(type, `new-${type}`);
    const message = h('p', { class: 'form-message', role: 'status' });
    const element = h('form', { class: 'list-add', 'aria-label': t(`lists.${type}.add`) },
      h('h3', {}, t(`lists.${type}.add`)),
      h('div', { class: 'two-col' }, ...form.rows),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t(`lists.${type}.addButton`)), message));
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = this.values(form);
      if (!values.name) { message.textContent = t('lists.nameRequired'); form.inputs.name.focus(); return; }
      const id = slugOf(values.name, LISTS[type].separator);
      if (!id) { message.textContent = t('lists.nameLetters'); form.inputs.name.focus(); return; }
      if (this.sync.record(type, id)) { message.textContent = t('lists.exists', { name: values.name }); return; }
      try {
        await this.sync.createListed(type, id, { ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)), active: true });
      } catch (error) {
        message.textContent = t('error.notSaved', { message: error.message });
        return;
      }
      for (const input of Object.values(form.inputs)) input.value = input.tagName === 'INPUT' ? '' : 'city';
      message.textContent = `✓ ${t('lists.added', { name: values.name })}`;
    });
    return element;
  }

  startEdit(type, record) {
    const form = this.inputs(type, `edit-${type}`, record.fields);
    const element = h('li', { class: 'list-entry is-editing', 'data-id': record.id });
    const edit = h('form', { class: 'list-edit' }, h('div', { class: 'two-col' }, ...form.rows),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('form.save')),
        h('button', { type: 'button', class: 'button button-quiet', onclick: () => { this.editing = null; this.update(); } }, t('agenda.cancel'))));
    edit.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = this.values(form);
      if (!values.name) { form.inputs.name.focus(); return; }
      const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== (record.fields[k] ?? null)));
      if (await this.save(type, record.id, changed)) {
        this.editing = null;
        this.update();
      }
    });
    element.append(edit);
    this.editing = { type, id: record.id, element };
    this.update();
    form.inputs.name.focus();
  }

  async save(type, id, changed) {
    if (!Object.keys(changed).length) return true;
    try {
      await this.sync.setFields(type, id, changed);
      return true;
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
      return false;
    }
  }
}
