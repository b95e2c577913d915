// Shared wording for who wrote what, where and when.
import { hlcMillis } from '../core.js';
import { deviceLabel } from '../device-names.js';
import { enumLabel, formatTime, t } from '../i18n.js';
import { formatDate, formatDatetime } from '../time.js';

export function actorName(actor) { return actor ? actor : t('who.noName'); }

// A device as people know it: its name where it has one (device-names.js),
// else its id; "this device (…)" for the one in the reader's hands.
export function deviceName(device, ownDeviceId) {
  return device === ownDeviceId ? `${t('who.thisDevice')} (${deviceLabel(device)})` : deviceLabel(device);
}

// A field value as words: enumeration labels, dates and times as people
// read them, yes/no, "(empty)" for nothing.
export function displayValue(field, value, spec) {
  if (value === null || value === undefined || value === '') return t('conflict.empty');
  if (spec?.kind === 'enumeration') return enumLabel(field, value);
  if (spec?.kind === 'date') return formatDate(value) || String(value);
  if (spec?.kind === 'datetime') return formatDatetime(value) || String(value);
  if (spec?.kind === 'boolean') return value ? t('value.yes') : t('value.no');
  return String(value);
}

// "by Maria on Frog Hollow tablet 2, 2:14 PM" for one leaf or one field's meta.
export function byline(entry, ownDeviceId) {
  return t('conflict.by', {
    actor: actorName(entry.actor),
    device: deviceName(entry.device, ownDeviceId),
    time: formatTime(hlcMillis(entry.hlc)),
  });
}
