// A department's work list (#/department), the liaison's home: every
// priority addressed to the department city-wide (psc::department_worklist:
// named on the priority, or answered by one of its commitments), those still
// awaiting a response first, then those with an overdue commitment. The
// liaison records a commitment or updates the department's own; everything
// else (the priority, other departments' answers) is shown read-only.
//
// A coordinator may open any department's list (#/department/<slug>).
// Below it, what the city-wide leaders' meetings assigned to the department.
import { canEditCommitment } from '../access.js';
import { assignedActions } from './assigned-actions.js';
import { offeredValues } from '../reference-lists.js';
import { enumLabel, t, tCount } from '../i18n.js';
import { formatDate, localDate } from '../time.js';
import { fill, h } from './dom.js';
import { CommitmentForm } from './commitment-form.js';
import { byName, keepFocus } from './ui.js';

const GROUPS = ['awaiting', 'overdue', 'open', 'closed'];

function groupOf(entry) {
  if (entry.awaiting_response) return 'awaiting';
  if (entry.overdue) return 'overdue';
  return entry.status === 'resolved' || entry.status === 'dropped' ? 'closed' : 'open';
}

export class DepartmentView {
  // department: the slug whose list this is; app: {toast(text), error(text), go(hash)}
  constructor(sync, department, app) {
    this.sync = sync;
    this.department = department;
    this.app = app;
    this.filter = { neighborhood: '', status: 'open' };
    this.forms = new Map();  // 'new:<priority>' | 'edit:<commitment>' -> CommitmentForm (kept across redraws)
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  // The whole screen (also after a language switch).
  render() {
    this.forms.clear();
    const container = this.container;
    this.summary = h('p', { class: 'dept-summary', 'data-testid': 'dept-summary' });
    this.list = h('div', { class: 'dept-body' });
    this.assigned = h('div', { class: 'dept-assigned' });
    container.replaceChildren(
      h('div', { class: 'list-header' },
        h('div', {},
          h('h1', {}, t('dept.heading', { department: enumLabel('department', this.department) })),
          h('p', { class: 'muted' }, t('dept.intro'))),
        this.sync.session?.role === 'coordinator' ? this.departmentPicker() : null),
      this.filters(), this.summary, this.list, this.assigned);
    this.renderList();
  }

  unmount() {}

  // Only the list follows the replica; open commitment forms keep their typing.
  update() { keepFocus(this.container, () => this.renderList()); }

  departmentPicker() {
    const select = h('select', { id: 'dept-department', class: 'compact-select', value: this.department,
      onchange: () => this.app.go(`#/department/${encodeURIComponent(select.value)}`) },
    offeredValues(this.sync, 'commitment', 'department', this.department).map((d) => h('option', { value: d }, enumLabel('department', d))));
    return h('div', { class: 'toolbar-field' }, h('label', { for: 'dept-department' }, t('dept.department')), select);
  }

  filters() {
    const place = h('select', { id: 'dept-neighborhood', class: 'compact-select',
      onchange: () => { this.filter.neighborhood = place.value; this.update(); } });
    this.place = place;
    this.fillNeighborhoods();
    const status = h('select', { id: 'dept-status', class: 'compact-select', value: this.filter.status,
      onchange: () => { this.filter.status = status.value; this.update(); } },
    h('option', { value: 'open' }, t('dept.statusOpen')), h('option', { value: '' }, t('dept.statusAll')));
    return h('div', { class: 'dept-filters', role: 'search' },
      h('div', { class: 'toolbar-field' }, h('label', { for: 'dept-neighborhood' }, t('field.neighborhood')), place),
      h('div', { class: 'toolbar-field' }, h('label', { for: 'dept-status' }, t('dept.show')), status));
  }

  // The neighborhoods arrive with the first sync: refill the filter then.
  fillNeighborhoods() {
    const neighborhoods = this.sync.list('neighborhood')
      .map((n) => ({ id: n.id, name: n.fields.name ?? n.id })).sort((a, b) => byName(a.name, b.name));
    if (this.place.options.length === neighborhoods.length + 1) return;
    fill(this.place, h('option', { value: '' }, t('dept.allNeighborhoods')), neighborhoods.map((n) => h('option', { value: n.id }, n.name)));
    this.place.value = this.filter.neighborhood;
  }

  renderList() {
    this.fillNeighborhoods();
    fill(this.assigned, assignedActions(this.sync, { department: this.department }, this.app.error));
    const entries = this.sync.replica.departmentWorklist(this.department, this.filter, localDate());
    const live = new Set();
    for (const e of entries) {
      live.add(`new:${e.priority}`);
      for (const c of e.commitments) live.add(`edit:${c.id}`);
    }
    for (const key of this.forms.keys()) if (!live.has(key)) this.forms.delete(key);

    const awaiting = entries.filter((e) => e.awaiting_response).length;
    const overdue = entries.filter((e) => e.overdue).length;
    this.summary.textContent = entries.length
      ? [tCount('dept.count', entries.length), awaiting ? tCount('dept.awaitingCount', awaiting) : null,
        overdue ? tCount('dept.overdueCount', overdue) : null].filter(Boolean).join(' · ')
      : '';
    if (entries.length === 0) {
      fill(this.list, h('div', { class: 'card empty-state', 'data-testid': 'dept-empty' },
        h('p', {}, t('dept.empty')), h('p', { class: 'muted' }, t('dept.emptyHint'))));
      return;
    }
    fill(this.list, GROUPS.map((group) => {
      const items = entries.filter((e) => groupOf(e) === group);
      if (!items.length) return null;
      return h('section', { class: `dept-group dept-group-${group}`, 'data-group': group },
        h('h2', {}, t(`dept.group.${group}`), h('span', { class: 'tab-count' }, String(items.length))),
        h('ul', { class: 'dept-list' }, items.map((e) => this.card(e))));
    }));
  }

  card(e) {
    const neighborhood = this.sync.record('neighborhood', e.neighborhood)?.fields?.name ?? e.neighborhood;
    const editable = canEditCommitment(this.sync.session, this.department, e.neighborhood);
    const newKey = `new:${e.priority}`;
    return h('li', { class: `card dept-item${e.awaiting_response ? ' is-awaiting' : ''}${e.overdue ? ' is-overdue' : ''}`, 'data-id': e.priority, 'data-testid': 'dept-item' },
      h('div', { class: 'dept-item-head' },
        h('h3', { class: 'priority-title' }, h('a', { href: `#/p/${encodeURIComponent(e.priority)}` }, e.title || t('list.noTitle'))),
        h('div', { class: 'priority-tags' },
          h('span', { class: 'chip chip-place' }, neighborhood),
          e.status ? h('span', { class: `chip chip-status chip-${e.status}` }, enumLabel('status', e.status)) : null,
          e.category ? h('span', { class: 'chip' }, enumLabel('category', e.category)) : null,
          e.awaiting_response ? h('span', { class: 'chip chip-awaiting', 'data-testid': 'flag-awaiting' }, t('dept.flagAwaiting')) : null,
          e.overdue ? h('span', { class: 'chip chip-overdue', 'data-testid': 'flag-overdue' }, t('dept.flagOverdue')) : null)),
      e.address ? h('p', { class: 'priority-address' }, e.address) : null,
      e.description ? h('p', { class: 'priority-description' }, e.description) : null,
      h('p', { class: 'muted dept-meta' }, [
        e.department ? t('dept.addressedTo', { department: enumLabel('department', e.department) }) : null,
        e.adopted_on ? t('dept.adoptedOn', { date: formatDate(e.adopted_on) }) : null,
        e.rank ? t('dept.rank', { rank: e.rank }) : null,
      ].filter(Boolean).join(' · ')),
      e.commitments.length ? h('ul', { class: 'commitment-list', 'aria-label': t('dept.ownHeading') },
        e.commitments.map((c) => this.commitment(e, c, editable))) : null,
      e.other_commitments.length ? h('div', { class: 'dept-others' },
        h('p', { class: 'dept-others-heading' }, t('dept.othersHeading')),
        h('ul', { class: 'plain-list' }, e.other_commitments.map((c) => h('li', {},
          h('strong', {}, enumLabel('department', c.department)), ': ',
          h('span', { class: `chip chip-commitment-${c.status}` }, enumLabel('status', c.status)), ' ', c.summary,
          c.expected_date ? h('span', { class: 'muted' }, ` · ${t('dept.expected', { date: formatDate(c.expected_date) })}`) : null)))) : null,
      editable ? (this.forms.get(newKey)?.element ?? h('div', { class: 'form-actions-inline' },
        h('button', { type: 'button', class: `button ${e.commitments.length ? 'button-secondary' : 'button-primary'}`, 'data-focus': `${newKey}-open`,
          onclick: () => this.openForm(newKey, { priority: e.priority }) },
        e.commitments.length ? t('dept.recordAnother') : t('dept.record')))) : null);
  }

  commitment(e, c, editable) {
    const key = `edit:${c.id}`;
    const form = this.forms.get(key);
    if (form) form.refresh();
    const conflicted = Object.keys(this.sync.record('commitment', c.id)?.conflicts ?? {}).length > 0;
    return h('li', { class: `commitment${c.overdue ? ' is-overdue' : ''}`, 'data-id': c.id, 'data-testid': 'commitment' },
      h('div', { class: 'commitment-main' },
        h('p', { class: 'commitment-summary' },
          h('span', { class: `chip chip-commitment-${c.status}`, 'data-testid': 'commitment-status' }, enumLabel('status', c.status)), ' ',
          h('span', {}, c.summary),
          conflicted ? h('span', { class: 'chip chip-conflict' }, `⚠ ${t('list.conflictBadge')}`) : null),
        h('p', { class: 'muted commitment-meta' }, [
          c.expected_date ? t('dept.expected', { date: formatDate(c.expected_date) }) : t('dept.noDate'),
          c.responder ? t('dept.responder', { name: c.responder }) : null,
        ].filter(Boolean).join(' · '), c.overdue ? h('span', { class: 'chip chip-overdue' }, t('dept.flagOverdue')) : null),
        c.status_notes ? h('p', { class: 'commitment-notes' }, c.status_notes) : null),
      form ? form.element : editable ? h('button', { type: 'button', class: 'button button-secondary', 'data-focus': `${key}-open`,
        'aria-label': `${t('dept.update')}: ${c.summary}`, onclick: () => this.openForm(key, { priority: e.priority, commitment: c.id }) },
      t('dept.update')) : null);
  }

  openForm(key, { priority, commitment = null }) {
    const close = () => { this.forms.delete(key); this.update(); };
    const form = new CommitmentForm(this.sync, {
      priority, commitment, department: this.department,
      onDone: (text) => { this.forms.delete(key); this.app.toast(text); this.update(); },
      onCancel: close,
      onError: (text) => this.app.error(text),
    });
    this.forms.set(key, form);
    this.update();
    form.inputs[commitment ? 'status' : 'summary'].focus();
  }
}
