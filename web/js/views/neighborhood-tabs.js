// The tabs at the top of a neighborhood's screens: its priorities, its
// meetings, the report-back agenda for its next meeting, its organizations.
import { t } from '../i18n.js';
import { h } from './dom.js';

export function neighborhoodTabs(neighborhoodId, active) {
  const base = `#/n/${encodeURIComponent(neighborhoodId)}`;
  const tab = (key, href, label) => h('a', {
    class: `tab${active === key ? ' is-active' : ''}`, href, 'aria-current': active === key ? 'page' : null,
  }, label);
  return h('nav', { class: 'tabs neighborhood-tabs', 'aria-label': t('nav.neighborhood') },
    tab('priorities', base, t('nav.priorities')),
    tab('meetings', `${base}/meetings`, t('nav.meetings')),
    tab('report-back', `${base}/report-back`, t('nav.reportBack')),
    tab('organizations', `${base}/organizations`, t('orgs.tab')));
}
