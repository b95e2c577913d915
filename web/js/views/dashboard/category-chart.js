// Priorities by category by neighborhood as a grid of bars: one row per
// neighborhood, one column per category (most common first), each cell a bar
// as long as its count with the count written beside it. Every number is
// written out, so the chart reads the same printed in black and white; the
// same numbers are offered as a table for screen readers and anyone who
// prefers one.
//
// The SVG is built here (no library). The CSP forbids inline styles, so the
// geometry is in SVG attributes and the colours in app.css classes.
import { enumLabel, t } from '../../i18n.js';
import { h, svg } from '../dom.js';

const WIDTH = 1000;            // viewBox units; the SVG scales to its box
const LABEL_WIDTH = 190;       // neighborhood names
const ROW_HEIGHT = 28;
const BAR_HEIGHT = 14;
const LINE_HEIGHT = 15;
const FONT_CHARS = 9.2;        // character width of a bold header at 15px (printed), with room to spare

// Splits a label into lines of at most `max` characters (at spaces).
function wrap(text, max) {
  const lines = [];
  for (const word of text.split(/\s+/)) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= max) lines[last] = `${lines[last]} ${word}`;
    else lines.push(word);
  }
  return lines;
}

// categories: the core's category_breakdown; nameOf(slug) -> neighborhood name.
// Returns an element (the chart and its table), or an empty-state paragraph.
export function categoryChart(categories, nameOf, { id = 'category-chart' } = {}) {
  const columns = categories.filter((c) => c.total > 0);
  const slugs = [...new Set(columns.flatMap((c) => Object.keys(c.neighborhoods)))]
    .filter((slug) => columns.some((c) => (c.neighborhoods[slug] ?? 0) > 0))
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  if (columns.length === 0 || slugs.length === 0) return h('p', { class: 'muted' }, t('dash.chart.empty'));

  const max = Math.max(1, ...columns.flatMap((c) => Object.values(c.neighborhoods)));
  const columnWidth = (WIDTH - LABEL_WIDTH) / columns.length;
  const headers = columns.map((c) => [...wrap(enumLabel('category', c.category), Math.floor((columnWidth - 8) / FONT_CHARS)),
    t('dash.chart.total', { n: c.total })]);
  const headerHeight = Math.max(...headers.map((lines) => lines.length)) * LINE_HEIGHT + 10;
  const height = headerHeight + slugs.length * ROW_HEIGHT + 6;

  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const chart = svg('svg', {
    class: 'chart', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
    preserveAspectRatio: 'xMinYMin meet', 'data-testid': 'category-chart',
  });
  chart.append(svg('title', { id: titleId }, t('dash.chart.title')),
    svg('desc', { id: descId }, t('dash.chart.desc', { categories: columns.length, neighborhoods: slugs.length })));

  columns.forEach((c, col) => {
    const x = LABEL_WIDTH + col * columnWidth;
    const text = svg('text', { class: 'chart-head', x: x + 4, y: 0 });
    headers[col].forEach((line, i) => text.append(svg('tspan', {
      x: x + 4, y: headerHeight - 6 - (headers[col].length - 1 - i) * LINE_HEIGHT,
      ...(i === headers[col].length - 1 ? { class: 'chart-head-total' } : {}),
    }, line)));
    chart.append(text);
    if (col > 0) chart.append(svg('line', { class: 'chart-rule', x1: x, x2: x, y1: headerHeight - 4, y2: height }));
  });
  chart.append(svg('line', { class: 'chart-axis', x1: 0, x2: WIDTH, y1: headerHeight, y2: headerHeight }));

  slugs.forEach((slug, row) => {
    const y = headerHeight + row * ROW_HEIGHT;
    if (row % 2 === 1) chart.append(svg('rect', { class: 'chart-band', x: 0, y, width: WIDTH, height: ROW_HEIGHT }));
    chart.append(svg('text', { class: 'chart-label', x: 4, y: y + ROW_HEIGHT / 2 + 5 }, nameOf(slug)));
    columns.forEach((c, col) => {
      const n = c.neighborhoods[slug] ?? 0;
      if (n === 0) return;
      const x = LABEL_WIDTH + col * columnWidth + 4;
      const room = columnWidth - 40;  // space left for the count
      const width = Math.max(3, (room * n) / max);
      const label = `${nameOf(slug)}, ${enumLabel('category', c.category)}: ${n}`;
      chart.append(
        svg('rect', {
          class: 'chart-bar', x, y: y + (ROW_HEIGHT - BAR_HEIGHT) / 2, width, height: BAR_HEIGHT,
          'data-neighborhood': slug, 'data-category': c.category, 'data-count': n,
        }, svg('title', {}, label)),
        svg('text', { class: 'chart-count', x: x + width + 5, y: y + ROW_HEIGHT / 2 + 5 }, String(n)));
    });
  });

  return h('figure', { class: 'chart-figure' },
    h('div', { class: 'chart-box' }, chart),
    h('figcaption', { class: 'muted' }, t('dash.chart.caption')),
    h('details', { class: 'chart-table' },
      h('summary', {}, t('dash.chart.asTable')),
      chartTable(columns, slugs, nameOf)));
}

function chartTable(columns, slugs, nameOf) {
  return h('div', { class: 'table-scroll', tabindex: '0' }, h('table', { class: 'data-table', 'data-testid': 'category-table' },
    h('caption', {}, t('dash.chart.title')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('field.neighborhood')),
      columns.map((c) => h('th', { scope: 'col', class: 'num' }, enumLabel('category', c.category))))),
    h('tbody', {}, slugs.map((slug) => h('tr', {},
      h('th', { scope: 'row' }, nameOf(slug)),
      columns.map((c) => h('td', { class: 'num' }, String(c.neighborhoods[slug] ?? 0)))))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('dash.chart.allNeighborhoods')),
      columns.map((c) => h('td', { class: 'num' }, String(c.total)))))));
}
