// Shared wording for who wrote what, where and when.
import { hlcMillis } from '../core.js';
import { enumLabel, formatTime, t } from '../i18n.js';

export function actorName(actor) { return actor ? actor : t('who.noName'); }

export function deviceName(device, ownDeviceId) {
  return device === ownDeviceId ? `${t('who.thisDevice')} (${device})` : device;
}

// A field value as words: enumeration labels, "(empty)" for nothing.
export function displayValue(field, value, spec) {
  if (value === null || value === undefined || value === '') return t('conflict.empty');
  if (spec?.kind === 'enumeration') return enumLabel(field, value);
  return String(value);
}

// "by Maria on web-1a2b…, 2:14 PM" for one leaf or one field's meta.
export function byline(entry, ownDeviceId) {
  return t('conflict.by', {
    actor: actorName(entry.actor),
    device: deviceName(entry.device, ownDeviceId),
    time: formatTime(hlcMillis(entry.hlc)),
  });
}
