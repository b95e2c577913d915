// The conflicts queue (#/conflicts): every field, in every record this
// device holds, that two devices set to different values, newest first
// (psc::conflict_queue, over the replica: a coordinator's device holds the
// city, an organizer's their neighborhood). Each item shows the record, the
// field and every value with who wrote it, on which device and when; the
// person keeps one, or enters another value (a merged text). Either is an
// ordinary edit whose base names every value, so the item leaves this queue
// at once and every other device's after its next sync.
import { canEditRecord } from '../access.js';
import { fieldLabel, t, tCount } from '../i18n.js';
import { h, fill } from './dom.js';
import { fieldEditor } from './field-editor.js';
import { byline, displayValue } from './format.js';
import { keepFocus } from './ui.js';

// Where each record type is edited, so an item can link to its screen.
const MEETING_SECTION = { meeting: 'details', agenda_item: 'agenda', attendance: 'signin', action_item: 'actions', tally: 'voting', vote: 'voting' };

export function recordHref(sync, type, id) {
  const fields = sync.record(type, id)?.fields ?? {};
  if (type === 'priority') return `#/p/${encodeURIComponent(id)}`;
  if (type === 'commitment' && fields.priority) return `#/p/${encodeURIComponent(fields.priority)}`;
  const meeting = type === 'meeting' ? id : fields.meeting;
  if (MEETING_SECTION[type] && meeting) return `#/m/${encodeURIComponent(meeting)}/${MEETING_SECTION[type]}`;
  return null;  // organizations and neighborhoods have no screen of their own
}

const keyOf = (item) => `${item.type}/${item.id}/${item.field}`;

export class ConflictsQueueView {
  // app: {toast(text), error(text)}
  constructor(sync, app) {
    this.sync = sync;
    this.app = app;
    this.forms = new Map();  // key -> the "another value" form, kept across redraws (typing survives sync)
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  unmount() {}

  // The whole screen (also after a language switch).
  render() {
    this.forms.clear();
    this.list = h('div', { class: 'queue-body' });
    this.summary = h('p', { class: 'muted', 'data-testid': 'queue-count' });
    this.container.replaceChildren(h('div', { class: 'list-header' },
      h('div', {}, h('h1', {}, t('queue.heading')), this.summary)), this.list);
    this.renderList();
  }

  // Only the list follows the replica; open "another value" forms keep their typing.
  update() { keepFocus(this.container, () => this.renderList()); }

  renderList() {
    const queue = this.sync.replica.conflictQueue();
    const keys = new Set(queue.map(keyOf));
    for (const key of this.forms.keys()) if (!keys.has(key)) this.forms.delete(key);
    this.summary.textContent = queue.length ? tCount('queue.count', queue.length) : '';
    if (queue.length === 0) {
      fill(this.list, h('div', { class: 'card empty-state', 'data-testid': 'queue-empty' },
        h('p', {}, t('queue.empty')), h('p', { class: 'muted' }, t('queue.emptyHint'))));
      return;
    }
    fill(this.list,
      h('p', { class: 'queue-help' }, t('queue.help')),
      h('ul', { class: 'queue-list', 'aria-label': t('queue.heading') }, queue.map((item) => this.item(item))));
  }

  item(item) {
    const spec = this.sync.core.fieldSpec(item.type, item.field);
    const record = this.sync.record(item.type, item.id);
    const neighborhood = this.sync.record('neighborhood', item.neighborhood)?.fields?.name ?? item.neighborhood;
    const href = recordHref(this.sync, item.type, item.id);
    const label = item.label || this.fallbackLabel(record) || t('list.noTitle');
    const editable = canEditRecord(this.sync.session, item.type, record?.fields, item.neighborhood);
    const resolve = (value) => this.resolve(item, value);
    return h('li', { class: 'card queue-item', 'data-type': item.type, 'data-id': item.id, 'data-field': item.field, 'data-testid': 'queue-item' },
      h('div', { class: 'queue-record' },
        h('span', { class: 'chip chip-type' }, t(`type.${item.type}`)),
        h('h2', { class: 'queue-label' }, href ? h('a', { href }, label) : label),
        neighborhood ? h('span', { class: 'muted queue-neighborhood' }, neighborhood) : null),
      h('p', { class: 'conflict-heading' }, `⚠ ${t('conflict.heading', { field: fieldLabel(item.field), n: item.values.length })}`),
      h('ul', { class: 'conflict-leaves' }, item.values.map((leaf, index) => h('li', { class: 'conflict-leaf', 'data-change': leaf.change },
        h('div', { class: 'conflict-text' },
          h('span', { class: 'conflict-value' }, `“${displayValue(item.field, leaf.value, spec)}”`),
          index === 0 ? h('span', { class: 'tag' }, t('conflict.shown')) : null,
          h('div', { class: 'byline' }, byline(leaf, this.sync.deviceId))),
        editable ? h('button', { type: 'button', class: 'button-secondary', 'data-focus': `keep-${keyOf(item)}-${index}`, onclick: () => resolve(leaf.value) },
          t('conflict.keep')) : null))),
      editable ? this.otherValueForm(item, spec, resolve) : h('p', { class: 'muted' }, t('queue.notYours')));
  }

  // A tally or vote has no words of its own: name it by its priority.
  fallbackLabel(record) {
    const priority = record?.fields?.priority ? this.sync.record('priority', record.fields.priority) : null;
    return priority?.fields?.title ?? '';
  }

  // "Or type a merged value": an editor fitting the field's kind, prefilled
  // with the value shown now. Kept per item so a redraw keeps the typing.
  otherValueForm(item, spec, resolve) {
    const key = keyOf(item);
    if (this.forms.has(key)) return this.forms.get(key);
    const id = `merge-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    const editor = fieldEditor(item.field, spec, item.values[0]?.value, id);
    if (!editor) return null;  // a reference: keep one of the values
    for (const input of editor.element.matches('input, select, textarea') ? [editor.element] : editor.element.querySelectorAll('input, select')) {
      input.dataset.focus = `${id}-${input.type}`;
    }
    const error = h('p', { class: 'form-error', role: 'alert' });
    const text = spec.kind === 'text';
    const form = h('form', { class: 'queue-merge' },
      h('label', { for: id }, text ? t('queue.mergeLabel') : t('queue.otherLabel')),
      h('div', { class: 'queue-merge-row' }, editor.element,
        h('button', { type: 'submit', class: 'button button-primary', 'data-focus': `${id}-save` }, t('queue.saveValue'))),
      error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const read = editor.read();
      error.textContent = read.error ?? '';
      if (!read.error) resolve(read.value);
    });
    this.forms.set(key, form);
    return form;
  }

  async resolve(item, value) {
    try {
      await this.sync.setFields(item.type, item.id, { [item.field]: value });
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
      return;
    }
    this.app.toast(t('conflict.resolved'));
  }
}
