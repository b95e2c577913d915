// The coordinator's dashboard (#/dashboard): every neighborhood's records
// this device holds, merged by the core: totals, each neighborhood's top
// priorities, priorities by category by neighborhood, the department
// scorecards and recent meetings, under filters kept in the URL. Computed in
// the browser, so it works offline and redraws as changes arrive.
import { enumLabel, t, tCount } from '../../i18n.js';
import { formatDate, formatDatetime, localDate } from '../../time.js';
import { fill, h } from '../dom.js';
import { exportMenu } from '../export-menu.js';
import { categoryChart } from './category-chart.js';
import { dashboardData, mayViewCityWide, neighborhoodNames, printButton } from './data.js';
import { describeFilter, filterForm, readFilter, writeFilter } from './filters.js';
import { notForRole } from './not-for-role.js';
import { outcomeFacts } from './outcomes.js';
import { scorecardTable } from './scorecards.js';

export class DashboardView {
  constructor(sync) {
    this.sync = sync;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  unmount() {}

  render() {
    if (!mayViewCityWide(this.sync.session)) {
      this.container.replaceChildren(notForRole());
      return;
    }
    this.filter = readFilter('dashboard');
    writeFilter('dashboard', this.filter);
    this.content = h('div', { class: 'dashboard-content' });
    this.filterLine = h('p', { class: 'filter-line' });
    this.container.replaceChildren(h('div', { class: 'dash-page' },
      h('div', { class: 'report-header' },
        h('div', { class: 'report-title' },
          h('h1', {}, t('dash.title')),
          h('p', { class: 'muted' }, t('dash.generated', { date: formatDate(localDate()) }))),
        h('div', { class: 'report-actions no-print' },
          h('a', { class: 'button button-secondary', href: '#/rollup' }, t('nav.rollup')),
          printButton(),
          exportMenu(this.sync, { kind: 'city', name: 'psc-city' }))),
      filterForm(this.sync, this.filter, { onChange: (filter) => this.setFilter(filter) }),
      this.filterLine,
      this.content));
    this.update();
  }

  setFilter(filter) {
    this.filter = filter;
    writeFilter('dashboard', filter);
    this.update();
  }

  update() {
    if (!this.content) { this.render(); return; }
    const data = dashboardData(this.sync, this.filter);
    const nameOf = neighborhoodNames(this.sync);
    this.filterLine.textContent = describeFilter(this.filter, nameOf, formatDate);
    const section = (key, title, ...children) => h('section', { class: `card dash-section dash-${key}`, 'aria-labelledby': `dash-${key}-h` },
      h('h2', { id: `dash-${key}-h` }, title), ...children);
    fill(this.content,
      totals(data.totals),
      outcomeFacts(data.outcomes),
      section('top', t('dash.top.title'), topTable(data.neighborhoods)),
      section('chart', t('dash.chart.title'), categoryChart(data.categories, nameOf)),
      section('scorecards', t('dash.score.title'), h('p', { class: 'muted section-note' }, t('dash.score.note')),
        scorecardTable(data.scorecards)),
      section('meetings', t('dash.meetings.title'), meetingsTable(data.recent_meetings, nameOf)));
  }
}

function totals(totals) {
  const tile = (key, n, label, extra = '') => h('div', { class: `total-tile${extra}`, 'data-total': key },
    h('span', { class: 'total-number' }, n > 0 && key === 'overdue' ? `⚠ ${n}` : String(n)),
    h('span', { class: 'total-label' }, label));
  return h('div', { class: 'totals', 'data-testid': 'totals', role: 'group', 'aria-label': t('dash.totals') },
    tile('priorities', totals.priorities, t('dash.total.priorities')),
    tile('open_priorities', totals.open_priorities, t('dash.total.open')),
    tile('meetings', totals.meetings, t('dash.total.meetings')),
    tile('open_commitments', totals.open_commitments, t('dash.total.commitments')),
    tile('overdue', totals.overdue, t('dash.total.overdue'), totals.overdue > 0 ? ' is-overdue' : ''),
    tile('conflicts', totals.conflicts, t('dash.total.conflicts'), totals.conflicts > 0 ? ' is-conflict' : ''));
}

// One row per neighborhood with priorities (under the filter); the others
// are named in one line so 17 rows of zeros do not bury the ones with work.
function topTable(neighborhoods) {
  const active = neighborhoods.filter((n) => n.priorities > 0);
  const idle = neighborhoods.filter((n) => n.priorities === 0);
  const link = (n, suffix, label) => h('a', { href: `#/n/${encodeURIComponent(n.slug)}${suffix}` }, label);
  return h('div', {},
    active.length === 0 ? h('p', { class: 'muted' }, t('dash.top.none')) : h('div', { class: 'table-scroll', tabindex: '0' },
      h('table', { class: 'data-table top-table', 'data-testid': 'top-priorities' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('field.neighborhood')),
          h('th', { scope: 'col', class: 'num' }, t('dash.top.priorities')),
          h('th', { scope: 'col', class: 'num' }, t('dash.top.open')),
          h('th', { scope: 'col', class: 'num' }, t('dash.top.overdue')),
          h('th', { scope: 'col' }, t('dash.top.top')))),
        h('tbody', {}, active.map((n) => h('tr', { 'data-neighborhood': n.slug },
          h('th', { scope: 'row' }, link(n, '', n.name),
            h('span', { class: 'cell-sub no-print' }, link(n, '/report-back', t('nav.reportBack')))),
          h('td', { class: 'num' }, String(n.priorities)),
          h('td', { class: 'num' }, String(n.open_priorities)),
          n.overdue > 0 ? h('td', { class: 'num is-overdue' }, `⚠ ${n.overdue}`) : h('td', { class: 'num' }, '0'),
          h('td', {}, n.top.length === 0 ? h('span', { class: 'muted' }, t('dash.top.noneOpen'))
            : h('ol', { class: 'top-list' }, n.top.map((p) => h('li', { 'data-priority': p.priority },
              // Before any vote every priority ties at rank 1: no badge then.
              p.score > 0 ? h('span', { class: 'rank-badge', title: t('rb.rank', { n: p.rank }) }, `#${p.rank}`) : null, ' ',
              h('a', { href: `#/p/${encodeURIComponent(p.priority)}` }, p.title), ' ',
              h('span', { class: 'muted' }, `${enumLabel('category', p.category)} · ${t('dash.top.score', { n: p.score })}`)))))))))),
    idle.length ? h('p', { class: 'muted' }, t('dash.top.idle', { list: idle.map((n) => n.name).join(', ') })) : null);
}

function meetingsTable(meetings, nameOf) {
  if (meetings.length === 0) return h('p', { class: 'muted' }, t('dash.meetings.none'));
  const kinds = (m) => Object.entries(m.kinds_present).sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${enumLabel('kind', kind)} ${n}`).join(', ');
  return h('div', { class: 'table-scroll', tabindex: '0' }, h('table', { class: 'data-table meetings-table', 'data-testid': 'recent-meetings' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('dash.meetings.when')),
      h('th', { scope: 'col' }, t('field.neighborhood')),
      h('th', { scope: 'col' }, t('field.meeting')),
      h('th', { scope: 'col' }, t('field.status')),
      h('th', { scope: 'col', class: 'num' }, t('dash.meetings.signedIn')),
      h('th', { scope: 'col', class: 'num' }, t('dash.meetings.present')),
      h('th', { scope: 'col' }, t('dash.meetings.groups')))),
    h('tbody', {}, meetings.map((m) => h('tr', { 'data-meeting': m.id },
      h('td', {}, formatDatetime(m.start)),
      h('td', {}, nameOf(m.neighborhood)),
      h('td', {}, h('a', { href: `#/m/${encodeURIComponent(m.id)}/summary` }, m.title || t('list.noTitle'))),
      h('td', {}, enumLabel('status', m.status)),
      h('td', { class: 'num' }, String(m.signed_in)),
      h('td', { class: 'num' }, String(m.total_present)),
      h('td', {}, m.organizations ? tCount('dash.meetings.orgs', m.organizations) : h('span', { class: 'muted' }, t('dash.meetings.noOrgs')),
        kinds(m) ? h('span', { class: 'cell-sub muted' }, kinds(m)) : null))))));
}
