// What the city-wide screens ask of the core, and small shared wording.
// The numbers are the core's (dashboard.hpp, report_back.hpp): computed from
// this device's replica, offline too, identical on every device. "Today" is
// the device's local calendar day.
import { enumLabel, t } from '../../i18n.js';
import { localDate } from '../../time.js';
import { h } from '../dom.js';

export function dashboardData(sync, filter) { return sync.replica.dashboard(filter, localDate()); }
export function reportBackData(sync, slug) { return sync.replica.reportBack(slug, localDate()); }

// slug -> name of every neighborhood the device knows.
export function neighborhoodNames(sync) {
  const names = new Map();
  for (const n of sync.list('neighborhood')) names.set(n.id, n.fields.name ?? n.id);
  return (slug) => names.get(slug) ?? slug;
}

export function departmentName(slug) { return enumLabel('department', slug); }
export function commitmentStatus(status) { return t(`commitment.status.${status}`); }

// Who may see the city-wide views: coordinators; viewers read-only.
export function mayViewCityWide(session) { return session?.role === 'coordinator' || session?.role === 'viewer'; }

// The "Print" button of a printable page (not printed itself).
export function printButton() {
  return h('button', { type: 'button', class: 'button button-secondary', onclick: () => window.print() }, t('dash.print'));
}

export function medianText(card) {
  if (card.median_days_to_first_response === null || card.median_days_to_first_response === undefined) return '—';
  const days = Math.round(card.median_days_to_first_response * 10) / 10;
  return t('dash.score.days', { n: days.toLocaleString() });
}
