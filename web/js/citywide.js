// The city-wide leaders' meeting (shared/include/psc/scope.hpp kCitywide):
// a meeting that belongs to the city, not a neighborhood. Every organizer,
// liaison and viewer receives it; coordinators record it. Its screens are a
// neighborhood's meeting screens with the city standing in for the
// neighborhood: these helpers say where they differ.
import { CITYWIDE } from './core.js';
import { t } from './i18n.js';

export { CITYWIDE };
export const LEADERS_HREF = '#/leaders';

export function isCitywide(meeting) { return meeting?.fields?.neighborhood === CITYWIDE; }

// The city, shaped as the neighborhood record the meeting screens take.
export function cityScope() { return { id: CITYWIDE, fields: { name: t('leaders.city') } }; }

// The list a meeting of `slug` belongs to.
export function meetingsHref(slug) {
  return slug === CITYWIDE ? LEADERS_HREF : `#/n/${encodeURIComponent(slug)}/meetings`;
}
