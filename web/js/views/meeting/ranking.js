// The live ranking at this meeting (dots + paper tallies, from the core, so
// every device shows the same order), and the neighborhood's ranking over
// all its meetings.
import { enumLabel, t } from '../../i18n.js';
import { h } from '../dom.js';

export function rankingTable(ranking, { caption, testid }) {
  if (ranking.length === 0) return h('p', { class: 'muted', 'data-testid': testid }, t('ranking.empty'));
  return h('table', { class: 'ranking', 'data-testid': testid },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num' }, t('ranking.rank')),
      h('th', { scope: 'col' }, t('ranking.priority')),
      h('th', { scope: 'col', class: 'num' }, t('ranking.dots')),
      h('th', { scope: 'col', class: 'num' }, t('ranking.paper')),
      h('th', { scope: 'col', class: 'num' }, t('ranking.total')))),
    h('tbody', {}, ranking.map((r) => h('tr', { 'data-id': r.priority },
      h('td', { class: 'num rank' }, String(r.rank)),
      h('td', {}, h('span', { class: 'ranking-title' }, r.title),
        h('span', { class: 'ranking-sub muted' }, `${enumLabel('category', r.category)} · ${enumLabel('status', r.status)}`)),
      h('td', { class: 'num' }, String(r.dots)),
      h('td', { class: 'num' }, String(r.tallied)),
      h('td', { class: 'num total' }, String(r.score))))));
}

export class RankingSection {
  constructor(sync, meeting) {
    this.sync = sync;
    this.meeting = meeting;
  }

  mount(container) {
    this.container = container;
    this.update(this.meeting);
  }

  unmount() {}

  update(meeting) {
    this.meeting = meeting;
    const slug = meeting.fields.neighborhood;
    const name = this.sync.record('neighborhood', slug)?.fields?.name ?? slug;
    this.container.replaceChildren(
      h('section', { class: 'card' }, h('h2', {}, t('ranking.heading')), h('p', { class: 'muted' }, t('ranking.help')),
        rankingTable(this.sync.meetingRanking(meeting.id), { testid: 'meeting-ranking' })),
      h('section', { class: 'card' }, h('h2', {}, t('ranking.neighborhoodHeading', { name })),
        rankingTable(this.sync.neighborhoodRanking(slug), { testid: 'neighborhood-ranking' })));
  }
}
