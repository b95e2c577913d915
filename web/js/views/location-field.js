// A priority's location in its form: a text field holding "latitude,
// longitude", and "Use this tablet's location", which asks the browser
// (navigator.geolocation: the tablet's GPS, so it works at a meeting with no
// connection) and fills the field in. What the core stores is the compact
// form "41.7637,-72.6851" (shared/include/psc/coordinates.hpp); people may
// type it with a space after the comma.
import { t } from '../i18n.js';
import { h } from './dom.js';

const DECIMALS = 6;  // about 0.1 m; the core accepts at most 6

function degrees(value) {
  // toFixed keeps 6 decimals; the trailing zeros (and a lone dot) go.
  return Number(value).toFixed(DECIMALS).replace(/\.?0+$/, '') || '0';
}

// "41.7637, -72.6851" (or with only spaces between) as the core's form;
// '' for an empty text; null when it is not a position.
export function normalizeLocation(text) {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const m = /^(-?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(trimmed);
  if (!m) return null;
  const [latitude, longitude] = [Number(m[1]), Number(m[2])];
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return `${degrees(latitude)},${degrees(longitude)}`;
}

// How a stored location reads: "41.7637, -72.6851".
export function locationText(value) {
  return typeof value === 'string' ? value.replace(',', ', ') : '';
}

// The field's extra controls under `input` (the form's text input): the
// button and a line that says what happened. `onFilled` runs after the
// tablet's position was put in the field.
export function locationControls(input, { onFilled = () => {} } = {}) {
  const said = h('p', { class: 'location-status', 'data-testid': 'location-status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button button-secondary', 'data-testid': 'use-location' },
    t('place.useDevice'));
  button.addEventListener('click', () => {
    if (!navigator.geolocation) {
      said.textContent = t('place.unsupported');
      return;
    }
    said.textContent = t('place.locating');
    button.disabled = true;
    navigator.geolocation.getCurrentPosition((position) => {
      button.disabled = false;
      const { latitude, longitude, accuracy } = position.coords;
      input.value = locationText(`${degrees(latitude)},${degrees(longitude)}`);
      said.textContent = t('place.found', { m: Math.max(1, Math.round(accuracy)) });
      onFilled();
    }, (error) => {
      button.disabled = false;
      said.textContent = error.code === error.PERMISSION_DENIED ? t('place.denied') : t('place.unavailable');
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
  return h('div', { class: 'location-controls' },
    h('p', { class: 'field-hint' }, t('place.hint')), button, said);
}
