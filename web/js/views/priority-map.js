// A neighborhood's located priorities drawn as points (issue 14, places):
// an SVG made on the device from the priorities' coordinates, so it works
// at a meeting with no connection (no tile server is reachable there). No
// streets are drawn: the points keep their true distances and directions
// from each other, with north up and a scale bar, and each is numbered as
// in the list under it, which links to the priority.
import { t, tCount } from '../i18n.js';
import { h, svg } from './dom.js';

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = 28;            // keeps the outermost points and their numbers inside
const MIN_EXTENT_M = 300;     // one point, or points a few steps apart, still get a readable scale
const M_PER_DEGREE_LAT = 110_574;
const M_PER_DEGREE_LON_EQUATOR = 111_320;

// "41.7637,-72.6851" -> {lat, lon}; null for anything else.
function parse(value) {
  if (typeof value !== 'string') return null;
  const [lat, lon] = value.split(',').map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;
}

// A round length near a quarter of the drawing: 50 m, 100 m, 200 m, 500 m, 1 km...
function scaleLength(metersAcross) {
  const target = metersAcross / 4;
  const steps = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
  return steps.reduce((best, step) => (Math.abs(step - target) < Math.abs(best - target) ? step : best), steps[0]);
}

// records: the neighborhood's priorities (summaries), in the list's order.
export function priorityMap(records) {
  const located = records
    .map((record) => ({ record, at: parse(record.fields?.coordinates) }))
    .filter(({ record, at }) => at && !record.deleted);
  if (located.length === 0) return h('p', { class: 'muted', 'data-testid': 'map-empty' }, t('map.none'));

  // Metres east and north of the points' mean latitude: an equirectangular
  // projection, exact enough across a neighborhood.
  const lat0 = located.reduce((sum, p) => sum + p.at.lat, 0) / located.length;
  const xPerDegree = M_PER_DEGREE_LON_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
  const points = located.map((p) => ({ ...p, x: p.at.lon * xPerDegree, y: p.at.lat * M_PER_DEGREE_LAT }));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const spanX = Math.max(Math.max(...xs) - Math.min(...xs), MIN_EXTENT_M);
  const spanY = Math.max(Math.max(...ys) - Math.min(...ys), MIN_EXTENT_M);
  const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, (HEIGHT - 2 * MARGIN) / spanY);  // px per metre
  const midX = (Math.max(...xs) + Math.min(...xs)) / 2;
  const midY = (Math.max(...ys) + Math.min(...ys)) / 2;
  const toScreen = (p) => ({ sx: WIDTH / 2 + (p.x - midX) * scale, sy: HEIGHT / 2 - (p.y - midY) * scale });

  const bar = scaleLength(WIDTH / scale);
  const barPx = bar * scale;
  const barLabel = bar >= 1000 ? `${bar / 1000} km` : `${bar} m`;
  const drawing = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'priority-map-drawing', role: 'img',
    'aria-label': tCount('map.label', points.length),
  },
  svg('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: 'map-ground' }),
  svg('g', { class: 'map-north', transform: `translate(${WIDTH - 24} 30)` },
    svg('path', { d: 'M0 -14 L6 4 L0 0 L-6 4 Z' }),
    svg('text', { x: 0, y: 18, 'text-anchor': 'middle' }, t('map.north'))),
  svg('g', { class: 'map-scale', transform: `translate(16 ${HEIGHT - 16})` },
    svg('path', { d: `M0 -6 V0 H${barPx.toFixed(1)} V-6` }),
    svg('text', { x: barPx / 2, y: -9, 'text-anchor': 'middle' }, barLabel)),
  ...points.map((p, i) => {
    const { sx, sy } = toScreen(p);
    return svg('a', { href: `#/p/${encodeURIComponent(p.record.id)}`, class: 'map-point', 'data-priority': p.record.id },
      svg('title', {}, String(p.record.fields.title ?? '')),
      svg('circle', { cx: sx.toFixed(1), cy: sy.toFixed(1), r: 14 }),
      svg('text', { x: sx.toFixed(1), y: (sy + 5).toFixed(1), 'text-anchor': 'middle' }, String(i + 1)));
  }));
  return h('div', { class: 'priority-map-body' },
    drawing,
    h('ol', { class: 'map-legend', 'data-testid': 'map-legend' }, points.map((p) => h('li', {},
      h('a', { href: `#/p/${encodeURIComponent(p.record.id)}` }, p.record.fields.title ?? p.record.id),
      p.record.fields.police_beat ? h('span', { class: 'muted' }, ` · ${p.record.fields.police_beat}`) : null))),
    h('p', { class: 'muted map-note' }, t('map.note')));
}
