// A neighborhood's organizations (#/n/<slug>/organizations): the block
// groups, businesses, churches, clubs and tenant groups of its PSC, with
// their kind, the group they are part of, when they joined and left, whether
// they are active and who represents them. A meeting's "absent" list counts
// the groups that were members on its day (representation.hpp). Organizers
// of the neighborhood and coordinators edit; everyone who reads the
// neighborhood sees the list.
import { canEditNeighborhood } from '../access.js';
import { enumLabel, t } from '../i18n.js';
import { formatDate } from '../time.js';
import { fill, h } from './dom.js';
import { neighborhoodTabs } from './neighborhood-tabs.js';
import { byName, enumOptions, keepFocus, recordConflicts, row } from './ui.js';

const FIELDS = ['name', 'kind', 'parent', 'joined_on', 'left_on', 'active', 'representative'];

export class OrganizationsView {
  // app: {toast(text), error(text)}
  constructor(sync, neighborhood, app) {
    this.sync = sync;
    this.neighborhood = neighborhood;
    this.app = app;
    this.editing = null;  // {id, element}
  }

  get slug() { return this.neighborhood.id; }

  mount(container) {
    const name = this.neighborhood.fields.name ?? this.slug;
    this.writes = canEditNeighborhood(this.sync.session, this.slug);
    this.list = h('ul', { class: 'list-entries org-list', 'aria-label': t('orgs.heading', { name }) });
    container.replaceChildren(
      neighborhoodTabs(this.slug, 'organizations'),
      h('div', { class: 'list-header' }, h('div', {}, h('h1', {}, t('orgs.heading', { name })), h('p', { class: 'muted' }, t('orgs.intro')))),
      h('section', { class: 'card' }, this.list),
      this.writes ? this.form(null) : null);
    this.update();
  }

  unmount() {}

  orgs() { return this.sync.list('organization', 'neighborhood', this.slug).filter((o) => !o.deleted).sort((a, b) => byName(a.fields.name, b.fields.name)); }

  update() {
    const orgs = this.orgs();
    // The add form's "Part of" follows the list (a group just added can be a parent).
    if (this.addParent) {
      const current = this.addParent.value;
      fill(this.addParent, h('option', { value: '' }, t('orgs.noParent')), orgs.map((o) => h('option', { value: o.id }, o.fields.name)));
      this.addParent.value = orgs.some((o) => o.id === current) ? current : '';
    }
    keepFocus(this.list, () => fill(this.list, ...(orgs.length ? orgs.map((o) => (this.editing?.id === o.id ? this.editing.element : this.entry(o)))
      : [h('li', { class: 'muted empty-row' }, t('orgs.empty'))])));
  }

  entry(org) {
    const f = org.fields;
    const parent = f.parent ? this.sync.live('organization', f.parent)?.fields?.name : '';
    const member = f.left_on || f.active === false ? false : true;
    return h('li', { class: `list-entry${member ? '' : ' is-retired'}`, 'data-id': org.id, 'data-testid': 'org' },
      h('div', { class: 'list-entry-main' },
        h('strong', {}, f.name),
        h('span', { class: 'muted' }, [enumLabel('kind', f.kind), parent,
          f.joined_on ? t('orgs.memberSince', { date: formatDate(f.joined_on) }) : null,
          f.left_on ? t('orgs.leftOn', { date: formatDate(f.left_on) }) : null,
          f.representative ? t('orgs.representedBy', { name: f.representative }) : null].filter(Boolean).join(' · ')),
        !f.left_on && f.active === false ? h('span', { class: 'chip' }, t('orgs.inactive')) : null,
        ...recordConflicts(this.sync, org, this.app.error)),
      this.writes ? h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button button-quiet', 'data-focus': `edit-${org.id}`,
          'aria-label': `${t('orgs.edit')}: ${f.name}`, onclick: () => this.startEdit(org) }, t('orgs.edit'))) : null);
  }

  // The add form (org null) or an organization's edit form.
  form(org) {
    const f = org?.fields ?? {};
    const prefix = org ? 'org-edit' : 'org-new';
    const others = this.orgs().filter((o) => o.id !== org?.id);
    const inputs = {
      name: h('input', { id: `${prefix}-name`, type: 'text', maxlength: '200', autocomplete: 'off', value: f.name ?? '' }),
      kind: h('select', { id: `${prefix}-kind`, value: f.kind ?? 'block_group' }, enumOptions('kind', this.sync.core.allowed('organization', 'kind'))),
      parent: h('select', { id: `${prefix}-parent`, value: f.parent ?? '' }, h('option', { value: '' }, t('orgs.noParent')),
        others.map((o) => h('option', { value: o.id }, o.fields.name))),
      joined_on: h('input', { id: `${prefix}-joined`, type: 'date', value: f.joined_on ?? '' }),
      left_on: h('input', { id: `${prefix}-left`, type: 'date', value: f.left_on ?? '' }),
      active: h('input', { id: `${prefix}-active`, type: 'checkbox', checked: f.active !== false }),
      representative: h('input', { id: `${prefix}-representative`, type: 'text', maxlength: '200', autocomplete: 'off', value: f.representative ?? '' }),
    };
    if (!org) this.addParent = inputs.parent;
    const message = h('p', { class: 'form-message', role: 'status' });
    const form = h('form', { class: org ? 'org-edit' : 'card org-add', 'aria-label': org ? `${t('orgs.edit')}: ${f.name}` : t('orgs.add') },
      org ? null : h('h2', {}, t('orgs.add')),
      h('div', { class: 'two-col' },
        row(`${prefix}-name`, t('orgs.name'), inputs.name, { required: true }),
        row(`${prefix}-kind`, t('orgs.kind'), inputs.kind),
        row(`${prefix}-parent`, t('orgs.parent'), inputs.parent, { optional: true }),
        row(`${prefix}-representative`, t('orgs.representative'), inputs.representative, { optional: true }),
        row(`${prefix}-joined`, t('orgs.joined'), inputs.joined_on, { optional: true }),
        row(`${prefix}-left`, t('orgs.left'), inputs.left_on, { optional: true }),
        h('div', { class: 'form-row checkbox-row' }, inputs.active, h('label', { for: `${prefix}-active` }, t('orgs.active')))),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, org ? t('form.save') : t('orgs.addButton')),
        org ? h('button', { type: 'button', class: 'button button-quiet', onclick: () => { this.editing = null; this.update(); } }, t('agenda.cancel')) : null,
        message));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = {
        name: inputs.name.value.trim(), kind: inputs.kind.value, parent: inputs.parent.value || null,
        joined_on: inputs.joined_on.value || null, left_on: inputs.left_on.value || null,
        active: inputs.active.checked, representative: inputs.representative.value.trim() || null,
      };
      if (!values.name) { message.textContent = t('orgs.nameRequired'); inputs.name.focus(); return; }
      if (values.joined_on && values.left_on && values.left_on < values.joined_on) {
        message.textContent = t('orgs.datesOrder');
        inputs.left_on.focus();
        return;
      }
      try {
        if (org) {
          const changed = Object.fromEntries(FIELDS.filter((k) => values[k] !== (org.fields[k] ?? (k === 'active' ? true : null)))
            .map((k) => [k, values[k]]));
          if (Object.keys(changed).length) await this.sync.setFields('organization', org.id, changed);
          this.editing = null;
          this.app.toast(t('orgs.saved', { name: values.name }));
          this.update();
        } else {
          await this.sync.create('organization', { ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)), neighborhood: this.slug });
          for (const key of ['name', 'joined_on', 'left_on', 'representative']) inputs[key].value = '';
          inputs.parent.value = '';
          inputs.active.checked = true;
          message.textContent = `✓ ${t('orgs.added', { name: values.name })}`;
          inputs.name.focus();
        }
      } catch (error) {
        message.textContent = t('error.notSaved', { message: error.message });
      }
    });
    return form;
  }

  startEdit(org) {
    const element = h('li', { class: 'list-entry is-editing', 'data-id': org.id });
    const form = this.form(org);
    element.append(form);
    this.editing = { id: org.id, element };
    this.update();
    form.querySelector('input').focus();
  }
}
