// Dates and times as the core stores them and as people read them.
//
// The core keeps datetimes as "YYYY-MM-DDTHH:MMZ" (UTC) and dates as
// "YYYY-MM-DD" (a calendar day, no zone). People type and read local time.
import { language } from './i18n.js';

const pad = (n) => String(n).padStart(2, '0');

function locale() { return language() === 'es' ? 'es-US' : 'en-US'; }

// Local date and time inputs ("2026-11-28", "18:30") -> "2026-11-28T23:30Z".
export function toUtcDatetime(date, time) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}/.test(time)) return '';
  const local = new Date(`${date}T${time.slice(0, 5)}:00`);
  if (Number.isNaN(local.getTime())) return '';
  return `${local.toISOString().slice(0, 16)}Z`;
}

// "2026-11-28T23:30Z" -> {date: "2026-11-28", time: "18:30"} in local time.
export function fromUtcDatetime(value) {
  const d = parseDatetime(value);
  if (!d) return { date: '', time: '' };
  return { date: localDate(d), time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

export function parseDatetime(value) {
  if (typeof value !== 'string' || !value) return null;
  const d = new Date(value.length === 17 ? `${value.slice(0, 16)}:00Z` : value);
  return Number.isNaN(d.getTime()) ? null : d;
}

// A Date's local calendar day as "YYYY-MM-DD".
export function localDate(d = new Date()) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// "Thu, Nov 28, 2026, 6:30 PM"
export function formatDatetime(value) {
  const d = parseDatetime(value);
  if (!d) return '';
  return d.toLocaleString(locale(), { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });
}

// "Dec 5, 2026" for "2026-12-05" (a calendar day: no zone shift).
export function formatDate(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return '';
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(locale(), { month: 'short', day: 'numeric', year: 'numeric' });
}
