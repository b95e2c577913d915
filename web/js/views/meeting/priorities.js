// Problems raised at this meeting, captured as priorities of the
// neighborhood (raised at this meeting, status "proposed" until the PSC
// adopts them); the neighborhood's other open priorities for reference.
import { enumLabel, t } from '../../i18n.js';
import { h } from '../dom.js';
import { offeredValues } from '../../reference-lists.js';
import { limitField } from '../field-limit.js';
import { byName, enumOptions, keepFocus, row } from '../ui.js';

const OPEN = new Set(['proposed', 'adopted', 'in_progress']);

export class PrioritiesSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
  }

  mount(container) {
    const categories = offeredValues(this.sync, 'priority', 'category');
    const max = (field) => this.sync.core.fieldSpec('priority', field)?.max_length;  // the schema's limits, shown
    this.title = h('input', { id: 'raise-title', name: 'title', type: 'text', autocomplete: 'off' });
    this.category = h('select', { id: 'raise-category', value: '' }, enumOptions('category', categories, { blank: t('field.choose') }));
    this.address = h('input', { id: 'raise-address', name: 'address', type: 'text', autocomplete: 'off' });
    this.description = h('textarea', { id: 'raise-description', name: 'description', rows: '2' });
    this.counts = [limitField(this.title, max('title')), limitField(this.address, max('address')), limitField(this.description, max('description'))];
    this.message = h('p', { class: 'form-message', role: 'status' });
    const form = h('form', { class: 'card raise-form', 'aria-labelledby': 'raise-heading' },
      h('h2', { id: 'raise-heading' }, t('raise.heading')),
      h('div', { class: 'two-col' },
        row('raise-title', t('field.title'), this.title, { required: true, className: 'span-2', after: this.counts[0] }),
        row('raise-category', t('field.category'), this.category, { required: true }),
        row('raise-address', t('field.address'), this.address, { optional: true, after: this.counts[1] }),
        row('raise-description', t('field.description'), this.description, { optional: true, className: 'span-2', after: this.counts[2] })),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('raise.submit')), this.message));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.raise(); });

    this.raisedHeading = h('h2', { id: 'raised-heading' });
    this.raised = h('ul', { class: 'raised-list', 'aria-labelledby': 'raised-heading' });
    this.othersHeading = h('h2', { id: 'others-heading' });
    this.others = h('ul', { class: 'others-list', 'aria-labelledby': 'others-heading' });
    container.replaceChildren(h('fieldset', { class: 'capture' },
      form,
      h('section', { class: 'card' }, this.raisedHeading, this.raised),
      h('section', { class: 'card' }, this.othersHeading, this.others)));
    this.update(this.meeting);
  }

  unmount() {}

  update(meeting) {
    this.meeting = meeting;
    const slug = meeting.fields.neighborhood;
    const all = this.sync.list('priority', 'neighborhood', slug).sort((a, b) => byName(a.fields.title, b.fields.title));
    const raised = all.filter((p) => p.fields.meeting === meeting.id);
    const others = all.filter((p) => p.fields.meeting !== meeting.id && OPEN.has(p.fields.status));
    this.raisedHeading.textContent = `${t('raise.raisedHeading')} (${raised.length})`;
    this.othersHeading.textContent = t('raise.othersHeading', { n: others.length });
    keepFocus(this.raised, () => this.raised.replaceChildren(...(raised.length
      ? raised.map((p) => this.item(p, true)) : [h('li', { class: 'muted empty-row' }, t('raise.empty'))])));
    this.others.replaceChildren(...(others.length
      ? others.map((p) => this.item(p, false)) : [h('li', { class: 'muted empty-row' }, t('raise.noOthers'))]));
  }

  item(p, editable) {
    const f = p.fields;
    const back = encodeURIComponent(this.meeting.id);
    const statuses = this.sync.core.allowed('priority', 'status');
    const statusSelect = editable ? h('select', {
      class: 'compact-select', 'aria-label': `${t('field.status')}: ${f.title}`, 'data-focus': `status-${p.id}`, value: f.status,
      onchange: (event) => this.setStatus(p, event.target.value),
    }, enumOptions('status', statuses)) : null;
    return h('li', { class: `raised-item${Object.keys(p.conflicts ?? {}).length ? ' has-conflict' : ''}`, 'data-id': p.id },
      h('div', { class: 'raised-main' },
        h('a', { class: 'raised-title', href: `#/p/${encodeURIComponent(p.id)}/m/${back}` }, f.title || t('list.noTitle')),
        h('div', { class: 'priority-tags' },
          editable ? null : h('span', { class: `chip chip-status chip-${f.status}` }, enumLabel('status', f.status)),
          f.category ? h('span', { class: 'chip' }, enumLabel('category', f.category)) : null,
          f.address ? h('span', { class: 'priority-address' }, f.address) : null,
          Object.keys(p.conflicts ?? {}).length ? h('span', { class: 'chip chip-conflict' }, `⚠ ${t('list.conflictBadge')}`) : null)),
      statusSelect);
  }

  // Adopting also records the day, once (the core's rule, via sync.setFields).
  async setStatus(p, status) {
    try {
      await this.sync.setFields('priority', p.id, { status });
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }

  async raise() {
    const title = this.title.value.trim();
    if (!title) { this.message.textContent = t('raise.titleRequired'); this.title.focus(); return; }
    if (!this.category.value) { this.message.textContent = t('raise.categoryRequired'); this.category.focus(); return; }
    const fields = {
      neighborhood: this.meeting.fields.neighborhood, meeting: this.meeting.id, title,
      category: this.category.value, status: 'proposed',
    };
    const address = this.address.value.trim();
    const description = this.description.value.trim();
    if (address) fields.address = address;
    if (description) fields.description = description;
    try {
      await this.sync.create('priority', fields);
    } catch (error) {
      this.message.textContent = t('error.notSaved', { message: error.message });
      return;
    }
    this.title.value = '';
    this.category.value = '';
    this.address.value = '';
    this.description.value = '';
    for (const counter of this.counts) counter.refresh();
    this.message.textContent = `✓ ${t('raise.done', { title })}`;
    this.title.focus();
  }
}
