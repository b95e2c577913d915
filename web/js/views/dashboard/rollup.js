// The city-wide roll-up for the monthly leaders' meeting (#/rollup),
// printable: one scorecard per department across all 17 neighborhoods (with
// where its priorities are), and the most common kinds of problem with how
// many each neighborhood has. The same core numbers as the dashboard
// (dashboard.hpp), over an optional date range kept in the URL.
import { LEADERS_HREF } from '../../citywide.js';
import { enumLabel, t, tCount } from '../../i18n.js';
import { formatDate, localDate } from '../../time.js';
import { fill, h } from '../dom.js';
import { exportMenu } from '../export-menu.js';
import { dashboardData, departmentName, mayViewCityWide, medianText, neighborhoodNames, printButton } from './data.js';
import { describeFilter, filterForm, readFilter, writeFilter } from './filters.js';
import { notForRole } from './not-for-role.js';
import { hasWork } from './scorecards.js';

const KEYS = ['from', 'to'];

export class RollupView {
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
    const stored = readFilter('rollup');
    this.filter = Object.fromEntries(KEYS.filter((k) => stored[k]).map((k) => [k, stored[k]]));
    writeFilter('rollup', this.filter);
    this.content = h('div', { class: 'rollup-content' });
    this.filterLine = h('p', { class: 'filter-line' });
    this.container.replaceChildren(h('div', { class: 'dash-page' },
      h('div', { class: 'report-header' },
        h('div', { class: 'report-title' },
          h('h1', {}, t('rollup.title')),
          h('p', { class: 'muted' }, t('dash.generated', { date: formatDate(localDate()) }))),
        h('div', { class: 'report-actions no-print' },
          h('a', { class: 'button button-secondary', href: '#/dashboard' }, t('nav.dashboard')),
          // The roll-up is read at the leaders' meeting, whose agenda it drafts.
          h('a', { class: 'button button-secondary', href: LEADERS_HREF, 'data-testid': 'leaders-link' }, t('leaders.link')),
          printButton(),
          exportMenu(this.sync, { kind: 'city', name: 'psc-city' }))),
      filterForm(this.sync, this.filter, { keys: KEYS, idPrefix: 'rollup', onChange: (filter) => this.setFilter(filter) }),
      this.filterLine,
      this.content));
    this.update();
  }

  setFilter(filter) {
    this.filter = filter;
    writeFilter('rollup', filter);
    this.update();
  }

  update() {
    if (!this.content) { this.render(); return; }
    const nameOf = neighborhoodNames(this.sync);
    const data = dashboardData(this.sync, this.filter);
    this.filterLine.textContent = describeFilter(this.filter, nameOf, formatDate);
    // Each department's numbers per neighborhood: the same core function with
    // the neighborhood filter, for the neighborhoods that have priorities.
    const active = data.neighborhoods.filter((n) => n.priorities > 0);
    const byNeighborhood = active.map((n) => ({ n, cards: dashboardData(this.sync, { ...this.filter, neighborhood: n.slug }).scorecards }));
    const departments = data.scorecards.filter(hasWork);
    const idle = data.scorecards.filter((c) => !hasWork(c));
    const tt = data.totals;
    fill(this.content,
      h('p', { class: 'rollup-totals', 'data-testid': 'rollup-totals' }, [
        tCount('rollup.count.neighborhoods', active.length),
        tCount('rb.count.open', tt.open_priorities),
        tCount('rb.count.commitments', tt.open_commitments),
        tt.overdue ? `⚠ ${tCount('rb.count.overdue', tt.overdue)}` : tCount('rb.count.overdue', 0),
      ].join(' · ')),
      h('section', { class: 'report-part', 'aria-labelledby': 'rollup-dept-h' },
        h('h2', { id: 'rollup-dept-h' }, t('rollup.departments')),
        departments.length === 0 ? h('p', { class: 'muted' }, t('dash.score.none'))
          : h('div', { class: 'dept-cards' }, departments.map((card) => departmentCard(card, byNeighborhood))),
        idle.length ? h('p', { class: 'muted' }, t('dash.score.idle', { list: idle.map((c) => departmentName(c.department)).join(', ') })) : null),
      h('section', { class: 'report-part', 'aria-labelledby': 'rollup-cat-h' },
        h('h2', { id: 'rollup-cat-h' }, t('rollup.categories')),
        categoryList(data.categories, nameOf)));
  }
}

function departmentCard(card, byNeighborhood) {
  const stat = (label, value, extra = '') => h('div', { class: `dept-stat${extra}` }, h('dt', {}, label), h('dd', {}, value));
  const rows = byNeighborhood
    .map(({ n, cards }) => ({ n, c: cards.find((x) => x.department === card.department) }))
    .filter(({ c }) => c && hasWork(c));
  return h('article', { class: 'card dept-card', 'data-department': card.department },
    h('h3', {}, departmentName(card.department)),
    h('dl', { class: 'dept-stats' },
      stat(t('dash.score.priorities'), String(card.priorities)),
      stat(t('dash.score.awaiting'), String(card.awaiting_response)),
      stat(t('dash.score.open'), String(card.open)),
      stat(t('dash.score.overdue'), card.overdue ? `⚠ ${card.overdue}` : '0', card.overdue ? ' is-overdue' : ''),
      stat(t('dash.score.done'), String(card.done)),
      stat(t('dash.score.declined'), String(card.declined)),
      stat(t('dash.score.median'), medianText(card), ' dept-stat-wide')),
    rows.length ? h('div', { class: 'table-scroll', tabindex: '0' }, h('table', { class: 'data-table dept-neighborhoods' },
      h('caption', {}, t('rollup.byNeighborhood')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('field.neighborhood')),
        h('th', { scope: 'col', class: 'num' }, t('rollup.col.addressed')),
        h('th', { scope: 'col', class: 'num' }, t('rollup.col.awaiting')),
        h('th', { scope: 'col', class: 'num' }, t('dash.score.open')),
        h('th', { scope: 'col', class: 'num' }, t('dash.score.overdue')))),
      h('tbody', {}, rows.map(({ n, c }) => h('tr', { 'data-neighborhood': n.slug },
        h('th', { scope: 'row' }, n.name),
        h('td', { class: 'num' }, String(c.priorities)),
        h('td', { class: 'num' }, String(c.awaiting_response)),
        h('td', { class: 'num' }, String(c.open)),
        c.overdue ? h('td', { class: 'num is-overdue' }, `⚠ ${c.overdue}`) : h('td', { class: 'num' }, '0')))))) : null);
}

function categoryList(categories, nameOf) {
  const common = categories.filter((c) => c.total > 0);
  if (common.length === 0) return h('p', { class: 'muted' }, t('dash.chart.empty'));
  return h('ol', { class: 'category-list', 'data-testid': 'rollup-categories' }, common.map((c) => {
    const places = Object.entries(c.neighborhoods).filter(([, n]) => n > 0)
      .sort(([a, x], [b, y]) => y - x || nameOf(a).localeCompare(nameOf(b)));
    return h('li', { 'data-category': c.category },
      h('strong', {}, enumLabel('category', c.category)), ' — ',
      t('rollup.categoryLine', { total: tCount('list.count', c.total), open: c.open, n: tCount('rollup.count.neighborhoods', c.neighborhood_count) }),
      h('span', { class: 'category-places' }, places.map(([slug, n]) => `${nameOf(slug)} ${n}`).join(' · ')));
  }));
}
