// A neighborhood's meetings, newest first, and the way to start a new one;
// with the city as the neighborhood (citywide.js), the city-wide leaders'
// meetings.
import { canEditNeighborhood } from '../access.js';
import { CITYWIDE, LEADERS_HREF } from '../citywide.js';
import { enumLabel, t, tCount } from '../i18n.js';
import { formatDatetime } from '../time.js';
import { assignedActions } from './assigned-actions.js';
import { h } from './dom.js';
import { neighborhoodTabs } from './neighborhood-tabs.js';

export class MeetingListView {
  // app: {error(text)}
  constructor(sync, neighborhood, app) {
    this.sync = sync;
    this.neighborhood = neighborhood;
    this.app = app;
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  update() { this.render(); }
  unmount() {}

  render() {
    const slug = this.neighborhood.id;
    const name = this.neighborhood.fields.name ?? slug;
    const city = slug === CITYWIDE;
    const heading = city ? t('leaders.heading') : t('meetings.heading', { name });
    const newHref = city ? `${LEADERS_HREF}/new` : `#/n/${encodeURIComponent(slug)}/meetings/new`;
    const meetings = this.sync.list('meeting', 'neighborhood', slug)
      .sort((a, b) => String(b.fields.start ?? '').localeCompare(String(a.fields.start ?? '')));
    const attendance = this.sync.list('attendance');
    const signedIn = (id) => attendance.filter((a) => a.fields.meeting === id).length;

    const header = h('div', { class: 'list-header' },
      h('div', {},
        h('h1', {}, heading),
        city ? h('p', { class: 'muted' }, t('leaders.intro')) : null,
        meetings.length ? h('p', { class: 'muted' }, tCount('meetings.count', meetings.length)) : null),
      // A viewer reads the meetings; starting one is for those who may write.
      canEditNeighborhood(this.sync.session, slug)
        ? h('a', { class: 'button button-primary', href: newHref }, `+ ${t(city ? 'leaders.new' : 'meetings.new')}`) : null);

    const body = meetings.length === 0
      ? h('div', { class: 'card empty-state' },
        h('p', {}, city ? t('leaders.empty') : t('meetings.empty', { name })),
        h('p', { class: 'muted' }, city ? t('leaders.emptyHint') : t('meetings.emptyHint')))
      : h('ul', { class: 'meeting-list', 'aria-label': heading }, meetings.map((m) => {
        const f = m.fields;
        const n = signedIn(m.id);
        return h('li', { class: 'card meeting-card', 'data-id': m.id },
          h('div', { class: 'meeting-card-main' },
            h('h2', {}, h('a', { href: `#/m/${encodeURIComponent(m.id)}` }, f.title || t('list.noTitle'))),
            h('p', { class: 'meeting-when' }, [formatDatetime(f.start), f.location].filter(Boolean).join(' · ')),
            h('div', { class: 'priority-tags' },
              f.status ? h('span', { class: `chip chip-meeting-${f.status}` }, enumLabel('status', f.status)) : null,
              f.kind ? h('span', { class: 'chip' }, enumLabel('kind', f.kind)) : null,
              n ? h('span', { class: 'muted' }, tCount('meetings.signedIn', n)) : null,
              Object.keys(m.conflicts ?? {}).length ? h('span', { class: 'chip chip-conflict' }, `⚠ ${t('list.conflictBadge')}`) : null)),
          h('a', { class: 'button button-secondary', href: `#/m/${encodeURIComponent(m.id)}`, 'aria-label': `${t('meetings.open')}: ${f.title ?? ''}` }, t('meetings.open')));
      }));

    // A neighborhood's list ends with the way to the city's (every role reads them).
    // and what the leaders' meetings assigned to the neighborhood.
    const leaders = city ? null : assignedActions(this.sync, { neighborhood: slug }, (text) => this.app.error(text));
    this.container.replaceChildren(...[city ? null : neighborhoodTabs(slug, 'meetings'), header, body, leaders].filter(Boolean));
  }
}
