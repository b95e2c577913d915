// The report-back agenda (#/n/<slug>/report-back): the "progress since the
// last meeting" item of the neighborhood's next PSC meeting, printable. The
// core (report_back.hpp) decides what is open, overdue, unanswered and
// resolved; this page only lays it out so it reads aloud and prints well.
// Overdue commitments are flagged with a sign and words, never colour alone.
import { enumLabel, t, tCount } from '../../i18n.js';
import { formatDate, formatDatetime, localDate } from '../../time.js';
import { h } from '../dom.js';
import { exportMenu } from '../export-menu.js';
import { neighborhoodTabs } from '../neighborhood-tabs.js';
import { commitmentStatus, departmentName, printButton, reportBackData } from './data.js';
import { awaitingCount, verdictLine, verdictSection } from './outcomes.js';

export class ReportBackView {
  // options: {onSaved(text), onError(text)}: what recording a verdict says (toasts).
  constructor(sync, neighborhood, options = {}) {
    this.sync = sync;
    this.neighborhood = neighborhood;  // a neighborhood record
    this.options = options;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  unmount() {}
  update() { this.render(); }

  render() {
    const slug = this.neighborhood.id;
    const name = this.neighborhood.fields.name ?? slug;
    const data = reportBackData(this.sync, slug);
    this.container.replaceChildren(
      neighborhoodTabs(slug, 'report-back'),
      h('article', { class: 'report-back', 'data-testid': 'report-back' },
        header(this.sync, data, name),
        h('section', { class: 'card report-part', 'aria-labelledby': 'rb-open-h' },
          h('h2', { id: 'rb-open-h' }, t('rb.open.title')),
          data.items.length === 0 ? h('p', { class: 'muted' }, t('rb.open.none'))
            : h('ol', { class: 'rb-items', 'data-testid': 'rb-items' }, data.items.map(item))),
        verdictSection(this.sync, data, { onDone: this.options.onSaved, onError: this.options.onError }),
        actionItems(data.open_action_items),
        h('section', { class: 'card report-part', 'aria-labelledby': 'rb-resolved-h' },
          h('h2', { id: 'rb-resolved-h' }, t('rb.resolved.title')),
          data.resolved_since_last_meeting.length === 0 ? h('p', { class: 'muted' }, t('rb.resolved.none'))
            : h('ul', { class: 'rb-resolved', 'data-testid': 'rb-resolved' }, data.resolved_since_last_meeting.map((p) =>
              h('li', { 'data-priority': p.priority },
                h('span', { class: 'rb-done-mark', 'aria-hidden': 'true' }, p.status === 'resolved' ? '✓ ' : '– '),
                h('strong', {}, p.title), ` — ${enumLabel('status', p.status)} · ${enumLabel('category', p.category)}`,
                verdictLine(p.outcome)))))));
  }
}

function header(sync, data, name) {
  const next = data.next_meeting;
  const last = data.last_meeting;
  const c = data.counts;
  const counts = [
    tCount('rb.count.open', c.open_priorities),
    tCount('rb.count.commitments', c.open_commitments),
    c.overdue ? `⚠ ${tCount('rb.count.overdue', c.overdue)}` : null,
    c.awaiting_response ? tCount('rb.count.awaiting', c.awaiting_response) : null,
    c.open_action_items ? tCount('rb.count.actions', c.open_action_items) : null,
    tCount('rb.count.resolved', data.resolved_since_last_meeting.length),
    awaitingCount(data),
  ].filter(Boolean);
  return h('header', { class: 'card report-part rb-header' },
    h('div', { class: 'report-header' },
      h('div', { class: 'report-title' },
        h('p', { class: 'rb-kicker' }, t('rb.kicker', { name })),
        h('h1', {}, t('rb.title'))),
      h('div', { class: 'report-actions no-print' }, printButton(),
        exportMenu(sync, { kind: 'neighborhood', id: data.neighborhood, name: data.neighborhood, extra: [{
          label: t('export.agenda'), file: `report-back-${data.neighborhood}-${data.today}.json`,
          text: () => `${JSON.stringify(data, null, 2)}\n`,
        }] }))),
    h('dl', { class: 'facts rb-facts' },
      fact(t('rb.next'), next
        ? [formatDatetime(next.start), next.location ? h('span', { class: 'fact-sub' }, next.location) : null]
        : h('span', { class: 'muted' }, t('rb.noNext')), 'rb-next'),
      fact(t('rb.last'), last
        ? [formatDatetime(last.start), h('span', { class: 'fact-sub' }, last.title)]
        : h('span', { class: 'muted' }, t('rb.noLast')), 'rb-last'),
      fact(t('rb.generated'), formatDate(localDate()), 'rb-generated')),
    h('p', { class: 'rb-counts', 'data-testid': 'rb-counts' }, counts.join(' · ')));
}

// What earlier meetings took on and nobody has marked done, with who owns it
// and by when: the report-back is where they are asked about.
function actionItems(actions) {
  return h('section', { class: 'card report-part', 'aria-labelledby': 'rb-actions-h' },
    h('h2', { id: 'rb-actions-h' }, t('rb.actions.title')),
    actions.length === 0 ? h('p', { class: 'muted' }, t('rb.actions.none'))
      : h('ul', { class: 'rb-actions', 'data-testid': 'rb-actions' }, actions.map((a) =>
        h('li', { class: a.overdue ? 'is-overdue' : '', 'data-action': a.id },
          h('strong', {}, a.description),
          h('span', { class: 'cell-sub muted' }, [
            a.owner ? t('rb.actions.owner', { owner: a.owner }) : t('rb.actions.noOwner'),
            a.due_date ? t('rb.actions.due', { date: formatDate(a.due_date) }) : null,
            t('rb.actions.from', { meeting: a.meeting.title || formatDatetime(a.meeting.start) }),
          ].filter(Boolean).join(' · ')),
          a.priority ? h('span', { class: 'cell-sub' },
            h('a', { href: `#/p/${encodeURIComponent(a.priority.id)}` }, a.priority.title)) : null,
          a.overdue ? h('strong', { class: 'cell-sub flag-overdue-text' },
            `⚠ ${tCount('rb.overdueBy', a.days_overdue)}`) : null))));
}

function fact(term, value, testid) {
  return h('div', { class: 'fact', 'data-testid': testid }, h('dt', {}, term), h('dd', {}, value));
}

function item(p) {
  const meta = [enumLabel('category', p.category), enumLabel('status', p.status), p.address].filter(Boolean).join(' · ');
  return h('li', { class: `rb-item${p.overdue ? ' is-overdue' : ''}`, 'data-priority': p.priority, 'data-rank': p.rank },
    h('div', { class: 'rb-rank', 'aria-hidden': 'true' }, String(p.rank)),
    h('div', { class: 'rb-body' },
      h('h3', { class: 'rb-title' },
        h('span', { class: 'visually-hidden' }, `${t('rb.rank', { n: p.rank })}: `),
        h('a', { href: `#/p/${encodeURIComponent(p.priority)}` }, p.title)),
      h('p', { class: 'rb-meta muted' }, meta, p.score ? ` · ${t('dash.top.score', { n: p.score })}` : ''),
      h('p', { class: 'rb-flags' },
        p.overdue ? h('span', { class: 'flag flag-overdue' }, `⚠ ${t('rb.flag.overdue')}`) : null,
        p.changed_since_last_meeting ? h('span', { class: 'flag flag-updated' }, t('rb.flag.updated')) : null),
      p.commitments.length ? commitmentsTable(p.commitments, p.changed_since_last_meeting) : null,
      p.awaiting.length ? h('p', { class: 'rb-awaiting' },
        h('span', { class: 'flag flag-awaiting' }, t('rb.awaiting')), ' ', p.awaiting.map(departmentName).join(', ')) : null,
      !p.commitments.length && !p.awaiting.length ? h('p', { class: 'muted' }, t('rb.noDepartment')) : null,
      verdictLine(p.outcome)));
}

// itemUpdated: the priority already says "updated since the last meeting";
// each commitment says it only when there are several to tell apart.
function commitmentsTable(commitments, itemUpdated) {
  const perLine = !itemUpdated || commitments.length > 1;
  return h('table', { class: 'data-table rb-commitments' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('rb.col.department')),
      h('th', { scope: 'col' }, t('rb.col.commitment')),
      h('th', { scope: 'col' }, t('field.status')),
      h('th', { scope: 'col' }, t('rb.col.expected')))),
    h('tbody', {}, commitments.map((c) => h('tr', { class: c.overdue ? 'is-overdue' : '', 'data-commitment': c.id },
      h('th', { scope: 'row' }, departmentName(c.department),
        c.responder ? h('span', { class: 'cell-sub muted' }, c.responder) : null),
      h('td', {}, c.summary,
        c.status_notes ? h('span', { class: 'cell-sub' }, c.status_notes) : null),
      h('td', { class: 'cell-word' }, commitmentStatus(c.status),
        perLine && c.updated_since_last_meeting ? h('span', { class: 'cell-sub muted' }, t('rb.flag.updated')) : null),
      h('td', { class: 'cell-word' }, c.expected_date ? formatDate(c.expected_date) : h('span', { class: 'muted' }, '—'),
        c.overdue ? h('strong', { class: 'cell-sub flag-overdue-text', 'data-testid': 'overdue-flag' },
          `⚠ ${tCount('rb.overdueBy', c.days_overdue)}`) : null)))));
}
