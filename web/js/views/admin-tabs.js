// The tabs of a coordinator's administration screens: the accounts that
// sign in (views/accounts.js) and the devices they sign in on (views/devices.js).
import { t } from '../i18n.js';
import { h } from './dom.js';

export function adminTabs(active) {
  const tab = (key, label) => h('a', {
    class: `tab${active === key ? ' is-active' : ''}`, href: `#/${key}`, 'aria-current': active === key ? 'page' : null,
  }, label);
  return h('nav', { class: 'tabs neighborhood-tabs', 'aria-label': t('nav.admin') },
    tab('accounts', t('accounts.title')), tab('devices', t('devices.title')), tab('lists', t('lists.tab')));
}
