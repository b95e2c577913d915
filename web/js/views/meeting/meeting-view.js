// One meeting, captured as it happens: a header (title, when, where,
// status), tabs for each part of the work, and the tab's section. Sections
// keep their forms across live updates (typing is never lost) and redraw
// only their lists.
//
//   #/m/<id>/<section>   section: signin | agenda | priorities | voting |
//                        ranking | actions | minutes | summary | kiosk | details
import { canEditNeighborhood } from '../../access.js';
import { isCitywide, meetingsHref } from '../../citywide.js';
import { enumLabel, t } from '../../i18n.js';
import { formatDatetime } from '../../time.js';
import { fill, h } from '../dom.js';
import { ActionsSection } from './actions.js';
import { AgendaSection } from './agenda.js';
import { DetailsSection } from './details.js';
import { KioskSetupSection } from './kiosk-setup.js';
import { MinutesSection } from './minutes.js';
import { PrioritiesSection } from './priorities.js';
import { RankingSection } from './ranking.js';
import { SignInSection } from './signin.js';
import { SummarySection } from './summary.js';
import { VotingSection } from './voting.js';

export const SECTIONS = {
  signin: SignInSection,
  agenda: AgendaSection,
  priorities: PrioritiesSection,
  voting: VotingSection,
  ranking: RankingSection,
  actions: ActionsSection,
  minutes: MinutesSection,
  summary: SummarySection,
  kiosk: KioskSetupSection,
  details: DetailsSection,
};

// Sections that capture data; a closed meeting shows them read-only.
const CAPTURE = new Set(['signin', 'agenda', 'priorities', 'voting', 'actions', 'minutes']);
// The leaders' meeting raises, dots and ranks nothing (its priorities are
// the neighborhoods'), and no kiosk signs anyone in to it.
const NOT_CITYWIDE = new Set(['priorities', 'voting', 'ranking', 'kiosk']);

export class MeetingView {
  // app: {toast(text, opts), error(text), go(hash), enterKiosk(settings)}
  constructor(sync, meetingId, sectionName, app) {
    this.sync = sync;
    this.meetingId = meetingId;
    this.sectionName = SECTIONS[sectionName] ? sectionName : 'signin';
    this.app = app;
  }

  meeting() { return this.sync.live('meeting', this.meetingId); }

  mount(container) {
    this.container = container;
    this.render();
  }

  unmount() { this.section?.unmount?.(); }

  render() {
    const meeting = this.meeting();
    if (!meeting) {
      this.section?.unmount?.();
      this.section = null;
      this.container.replaceChildren(h('section', { class: 'card empty-state' },
        h('p', {}, t('meeting.notFound')),
        h('a', { class: 'button button-secondary', href: '#/' }, t('meeting.backHome'))));
      return;
    }
    this.header = h('div', { class: 'meeting-header' });
    this.banner = h('div', { class: 'meeting-banner-slot' });
    this.tabs = h('nav', { class: 'tabs meeting-tabs', 'aria-label': t('meeting.sections') });
    this.body = h('div', { class: 'meeting-body' });
    this.container.replaceChildren(this.header, this.tabs, this.banner, this.body);
    if (isCitywide(meeting) && NOT_CITYWIDE.has(this.sectionName)) this.sectionName = 'agenda';
    this.renderChrome(meeting);
    const Section = SECTIONS[this.sectionName];
    this.section = new Section(this.sync, meeting, this.app);
    this.section.mount(this.body);
    this.applyClosed(meeting);
  }

  update() {
    const meeting = this.meeting();
    if (!meeting || !this.section) {
      this.render();
      return;
    }
    this.renderChrome(meeting);
    this.section.update(meeting);
    this.applyClosed(meeting);
  }

  renderChrome(meeting) {
    const f = meeting.fields;
    const slug = f.neighborhood;
    const city = isCitywide(meeting);
    const neighborhood = this.sync.record('neighborhood', slug);
    const counts = this.counts();
    fill(this.header,
      h('p', { class: 'breadcrumb' }, h('a', { href: meetingsHref(slug) },
        `← ${city ? t('leaders.heading') : t('meetings.heading', { name: neighborhood?.fields?.name ?? slug })}`)),
      h('div', { class: 'meeting-title-block' },
        h('div', { class: 'meeting-title-main' },
          h('div', { class: 'meeting-title-row' },
            h('h1', { id: 'meeting-heading' }, f.title || t('list.noTitle')),
            f.status ? h('span', { class: `chip chip-meeting-${f.status}`, 'data-testid': 'meeting-status' }, enumLabel('status', f.status)) : null),
          h('p', { class: 'meeting-when muted' }, [enumLabel('kind', f.kind), formatDatetime(f.start), f.location].filter(Boolean).join(' · '))),
        this.readOnly(meeting) ? null : h('span', { class: 'meeting-header-links' },
          this.headerLink(meeting, 'details', t('meeting.tab.details')),
          city ? null : this.headerLink(meeting, 'kiosk', t('meeting.tab.kiosk')))));

    const tab = (name, label, count) => h('a', {
      class: `tab${this.sectionName === name ? ' is-active' : ''}`,
      href: `#/m/${encodeURIComponent(meeting.id)}/${name}`,
      'aria-current': this.sectionName === name ? 'page' : null,
      'data-section': name,
    }, label, count !== undefined ? h('span', { class: 'tab-count' }, String(count)) : null);
    fill(this.tabs,
      tab('signin', t('meeting.tab.signin'), counts.attendance),
      tab('agenda', t('meeting.tab.agenda'), counts.agenda),
      city ? null : tab('priorities', t('meeting.tab.priorities'), counts.priorities),
      city ? null : tab('voting', t('meeting.tab.voting')),
      city ? null : tab('ranking', t('meeting.tab.ranking')),
      tab('actions', t('meeting.tab.actions'), counts.actions),
      tab('minutes', t('meeting.tab.minutes')),
      tab('summary', t('meeting.tab.summary')));
  }

  // Details and kiosk set-up are not part of the capture flow: links by the title.
  headerLink(meeting, name, label) {
    const active = this.sectionName === name;
    return h('a', {
      class: `button ${active ? 'button-primary' : 'button-secondary'} header-link`, href: `#/m/${encodeURIComponent(meeting.id)}/${name}`,
      'aria-current': active ? 'page' : null, 'data-section': name,
    }, label);
  }

  counts() {
    const of = (type) => this.sync.list(type, 'meeting', this.meetingId).length;
    return { attendance: of('attendance'), agenda: of('agenda_item'), priorities: of('priority'), actions: of('action_item') };
  }

  // Someone who may not change the neighborhood's records (a viewer) reads
  // the meeting as if it were closed, without "Reopen".
  readOnly(meeting) { return !canEditNeighborhood(this.sync.session, meeting.fields.neighborhood); }

  // A closed meeting: a banner with "Reopen", and capture forms disabled.
  applyClosed(meeting) {
    const readOnly = this.readOnly(meeting);
    const closed = meeting.fields.status === 'closed' || readOnly;
    this.body.classList.toggle('is-readonly', closed && CAPTURE.has(this.sectionName));
    for (const fieldset of this.body.querySelectorAll('fieldset.capture')) fieldset.disabled = closed;
    if (!closed) {
      this.banner.replaceChildren();
      return;
    }
    if (this.banner.childElementCount) return;
    if (readOnly) {
      this.banner.replaceChildren(h('div', { class: 'notice notice-info meeting-closed', role: 'status', 'data-testid': 'read-only' },
        h('span', {}, isCitywide(meeting) ? t('leaders.readOnly') : t('meeting.readOnly'))));
      return;
    }
    this.banner.replaceChildren(h('div', { class: 'notice notice-info meeting-closed', role: 'status' },
      h('span', {}, h('strong', {}, t('meeting.closedBanner')), ' ', t('meeting.closedHelp')),
      h('button', { type: 'button', class: 'button button-secondary', onclick: () => this.reopen() }, t('meeting.reopen'))));
  }

  async reopen() {
    try {
      await this.sync.setFields('meeting', this.meetingId, { status: 'held' });
      this.app.toast(t('meeting.reopened'));
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }
}
