// What a city-wide screen shows an account that is not meant to see it
// (the server would not send it the other neighborhoods' records anyway).
import { t } from '../../i18n.js';
import { h } from '../dom.js';

export function notForRole() {
  return h('section', { class: 'card empty-state', 'data-testid': 'not-for-role' },
    h('p', {}, t('dash.notForRole')),
    h('a', { class: 'button button-secondary', href: '#/' }, t('dash.back')));
}
