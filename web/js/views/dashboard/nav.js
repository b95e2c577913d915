// The city-wide screens in the app's toolbar, for the accounts that may see
// them (coordinators; viewers read-only).
import { t } from '../../i18n.js';
import { h } from '../dom.js';
import { mayViewCityWide } from './data.js';

export function cityWideLinks(session) {
  if (!mayViewCityWide(session)) return null;
  return h('nav', { class: 'toolbar-field toolbar-citywide', 'aria-label': t('nav.cityWide') },
    h('div', { class: 'toolbar-links' },
      h('a', { class: 'button button-secondary button-small', href: '#/dashboard', 'data-testid': 'nav-dashboard' }, t('nav.dashboard')),
      h('a', { class: 'button button-secondary button-small', href: '#/rollup', 'data-testid': 'nav-rollup' }, t('nav.rollupShort'))));
}
