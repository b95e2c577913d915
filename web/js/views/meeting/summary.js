// Everything the meeting produced, drawn from the core's meeting summary
// (the same document on every device): who came and for which groups
// (representation), the agenda, the priorities raised, the ranking, action
// items and minutes. Closing the meeting happens here; the summary can be
// exported as JSON or printed.
import { canEditNeighborhood } from '../../access.js';
import { enumLabel, t } from '../../i18n.js';
import { formatDate, formatDatetime } from '../../time.js';
import { fill, h } from '../dom.js';
import { exportMenu } from '../export-menu.js';
import { rankingTable } from './ranking.js';

export class SummarySection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
  }

  mount(container) {
    this.content = h('div', { class: 'summary', 'data-testid': 'meeting-summary' });
    this.actions = h('div', { class: 'summary-actions no-print' });
    container.replaceChildren(this.actions, this.content);
    this.update(this.meeting);
  }

  unmount() {}

  update(meeting) {
    this.meeting = meeting;
    const summary = this.sync.meetingSummary(meeting.id);
    if (!summary) return;
    this.renderActions(meeting);
    const orgName = (id) => (id ? this.sync.live('organization', id)?.fields?.name ?? '' : '');
    const rep = summary.representation;
    const m = summary.meeting;
    const section = (title, ...children) => h('section', { class: 'card summary-part' }, h('h2', {}, title), ...children);

    this.content.replaceChildren(
      section(t('summary.heading'),
        h('dl', { class: 'facts' },
          fact(t('meeting.kind'), enumLabel('kind', m.kind)),
          fact(t('summary.when'), formatDatetime(m.start)),
          m.location ? fact(t('meeting.location'), m.location) : null,
          m.organization ? fact(t('meeting.organizer'), orgName(m.organization)) : null,
          fact(t('field.status'), enumLabel('status', m.status)),
          fact(t('summary.signedIn'), String(summary.signed_in)),
          fact(t('summary.headcount'), String(summary.headcount)),
          fact(t('summary.totalPresent'), String(summary.total_present)),
          fact(t('meeting.dots'), String(m.dots_per_attendee ?? '—')))),
      section(t('summary.representation'),
        rep.present.length ? h('ul', { class: 'plain-list' }, rep.present.map((o) => h('li', {},
          h('strong', {}, o.name), ` (${enumLabel('kind', o.kind)}): ${t('summary.attendees', { n: o.attendees })}`)))
          : h('p', { class: 'muted' }, t('summary.noGroups')),
        rep.unaffiliated ? h('p', {}, t('summary.unaffiliated', { n: rep.unaffiliated })) : null,
        Object.keys(rep.kinds_present).length ? h('p', {}, `${t('summary.kinds')}: `,
          Object.entries(rep.kinds_present).sort(([a], [b]) => a.localeCompare(b))
            .map(([kind, n]) => `${enumLabel('kind', kind)} ${n}`).join(', ')) : null,
        rep.absent.length ? h('p', { class: 'summary-absent' }, `${t('summary.absent')}: `, rep.absent.map((o) => o.name).join(', ')) : null,
        // The leaders' meeting: which PSCs came, and the departments at the table.
        rep.neighborhoods_present ? h('p', { 'data-testid': 'neighborhoods-present' }, t('leaders.present', {
          present: rep.neighborhoods_present.length, total: rep.neighborhoods_present.length + rep.neighborhoods_absent.length })) : null,
        rep.neighborhoods_absent?.length ? h('p', { class: 'summary-absent' },
          t('leaders.absent', { names: rep.neighborhoods_absent.map((n) => n.name).join(', ') })) : null,
        rep.departments_present && Object.keys(rep.departments_present).length ? h('p', {}, `${t('leaders.departments')}: `,
          Object.entries(rep.departments_present).map(([d, n]) => `${enumLabel('department', d)} ${n}`).join(', ')) : null),
      section(`${t('summary.attendance')} (${summary.attendance.length})`,
        summary.attendance.length ? h('ul', { class: 'plain-list columns' }, summary.attendance.map((a) => h('li', {},
          a.name, h('span', { class: 'muted' }, ` — ${[orgName(a.organization), enumLabel('role', a.role)].filter(Boolean).join(', ')}`))))
          : h('p', { class: 'muted' }, t('signin.empty'))),
      section(t('agenda.heading'),
        summary.agenda.length ? h('ol', { class: 'plain-list numbered' }, summary.agenda.map((i) => h('li', {},
          h('strong', {}, i.title), i.notes ? h('p', { class: 'agenda-notes' }, i.notes) : null)))
          : h('p', { class: 'muted' }, t('agenda.empty'))),
      section(`${t('raise.raisedHeading')} (${summary.priorities_raised.length})`,
        summary.priorities_raised.length ? h('ul', { class: 'plain-list' }, summary.priorities_raised.map((p) => h('li', {},
          h('strong', {}, p.title), ` — ${enumLabel('category', p.category)}, ${enumLabel('status', p.status)}`,
          p.address ? `, ${p.address}` : '', p.description ? h('p', { class: 'muted' }, p.description) : null)))
          : h('p', { class: 'muted' }, t('raise.empty'))),
      section(t('ranking.heading'), rankingTable(summary.ranking, { testid: 'summary-ranking' })),
      section(`${t('actions.heading')} (${summary.action_items.length})`,
        summary.action_items.length ? h('ul', { class: 'plain-list' }, summary.action_items.map((a) => h('li', {},
          a.done ? '☑ ' : '☐ ', h('strong', {}, a.description),
          ` — ${[a.owner ? t('actions.ownerIs', { owner: a.owner }) : t('actions.noOwner'),
            a.due_date ? t('actions.dueOn', { date: formatDate(a.due_date) }) : null].filter(Boolean).join(' · ')}`)))
          : h('p', { class: 'muted' }, t('actions.empty'))),
      section(t('minutes.heading'), m.minutes ? h('p', { class: 'minutes-text' }, m.minutes) : h('p', { class: 'muted' }, t('summary.noMinutes'))));
  }

  renderActions(meeting) {
    // Closing is for those who may change the meeting (not a viewer).
    const closed = meeting.fields.status === 'closed' || !canEditNeighborhood(this.sync.session, meeting.fields.neighborhood);
    const confirm = h('div', { class: 'close-confirm', hidden: true },
      h('span', {}, t('summary.closeConfirm')),
      h('button', { type: 'button', class: 'button button-primary', onclick: () => this.close() }, t('summary.closeYes')),
      h('button', { type: 'button', class: 'button button-quiet', onclick: () => { confirm.hidden = true; ask.hidden = false; } }, t('summary.closeNo')));
    const ask = h('button', { type: 'button', class: 'button button-primary', hidden: closed,
      onclick: () => { ask.hidden = true; confirm.hidden = false; } }, t('summary.close'));
    if (this.actions.dataset.closed === String(closed)) return;  // keep an open confirmation
    this.actions.dataset.closed = String(closed);
    fill(this.actions, closed ? null : ask, closed ? null : confirm,
      h('button', { type: 'button', class: 'button button-secondary', onclick: () => window.print() }, t('summary.print')),
      exportMenu(this.sync, { kind: 'meeting', id: meeting.id, name: `meeting-${meeting.fields.neighborhood}`, extra: [{
        label: t('summary.export'),
        file: `meeting-${meeting.fields.neighborhood}-${String(meeting.fields.start ?? '').slice(0, 10)}-summary.json`,
        text: () => `${JSON.stringify(this.sync.meetingSummary(meeting.id), null, 2)}\n`,
      }] }));
  }

  async close() {
    try {
      await this.sync.setFields('meeting', this.meeting.id, { status: 'closed' });
      this.app.toast(t('summary.closed'));
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }
}

function fact(term, value) {
  return h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, value));
}
