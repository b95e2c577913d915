// Department scorecards (department_scorecard.hpp) as a table: how each
// city department is answering the neighborhoods' priorities. Departments
// with nothing addressed to them are named in one line below, so the table
// stays about the ones with work.
import { t, tCount } from '../../i18n.js';
import { h } from '../dom.js';
import { departmentName, medianText } from './data.js';

export function hasWork(card) { return card.priorities > 0 || card.commitments > 0; }

// A count cell; overdue ones are marked by a sign and words, not by colour alone.
function overdueCell(n) {
  return n > 0
    ? h('td', { class: 'num is-overdue' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), String(n))
    : h('td', { class: 'num' }, '0');
}

export function scorecardTable(cards, { testid = 'scorecards' } = {}) {
  const active = cards.filter(hasWork);
  const idle = cards.filter((c) => !hasWork(c));
  const num = (n) => h('td', { class: 'num' }, String(n));
  return h('div', { class: 'scorecards' },
    active.length === 0 ? h('p', { class: 'muted' }, t('dash.score.none')) : h('div', { class: 'table-scroll', tabindex: '0' },
      h('table', { class: 'data-table scorecard-table', 'data-testid': testid },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('dash.score.department')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.priorities')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.awaiting')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.open')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.overdue')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.done')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.declined')),
          h('th', { scope: 'col', class: 'num' }, t('outcome.col.confirmed')),
          h('th', { scope: 'col', class: 'num' }, t('outcome.col.reopened')),
          h('th', { scope: 'col', class: 'num' }, t('dash.score.median')))),
        h('tbody', {}, active.map((c) => h('tr', { 'data-department': c.department },
          h('th', { scope: 'row' }, departmentName(c.department)),
          num(c.priorities),
          c.awaiting_response > 0 ? h('td', { class: 'num is-awaiting' }, String(c.awaiting_response)) : num(0),
          num(c.open),
          overdueCell(c.overdue),
          num(c.done),
          num(c.declined),
          num(c.confirmed ?? 0),
          (c.reopened ?? 0) > 0 ? h('td', { class: 'num is-reopened' }, String(c.reopened)) : num(0),
          h('td', { class: 'num' }, medianText(c),
            c.responses_measured ? h('span', { class: 'cell-sub muted' }, tCount('dash.score.measured', c.responses_measured)) : null)))))),
    idle.length ? h('p', { class: 'muted scorecards-idle' },
      t('dash.score.idle', { list: idle.map((c) => departmentName(c.department)).join(', ') })) : null);
}
