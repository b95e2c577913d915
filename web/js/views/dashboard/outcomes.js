// The residents' verdicts on resolved priorities (shared/include/psc/
// outcomes.hpp): the report-back's "Did it stay solved?" part, where the
// meeting answers for each resolved priority it has not confirmed, and the
// line that shows a priority's latest verdict wherever it is listed.
//
// A verdict is recorded at the meeting held today, or else the next planned
// one (the core derives the record's id from meeting + priority, so two
// tablets recording it make one record). "Not solved" and "It came back"
// also move the priority back to in progress: it is open again, on the
// report-back's list of open priorities, with the verdict beside it.
import { canEditNeighborhood } from '../../access.js';
import { t, tCount } from '../../i18n.js';
import { formatDate, formatDatetime, localDate, parseDatetime } from '../../time.js';
import { h } from '../dom.js';

const VERDICTS = [
  ['confirmed', 'outcome.confirm'],
  ['not_solved', 'outcome.notSolved'],
  ['came_back', 'outcome.cameBack'],
];

export function verdictWords(verdict) { return t(`outcome.verdict.${verdict}`); }

// "Residents, Jun 17, 2026: not solved", or null without a verdict.
export function verdictLine(outcome) {
  if (!outcome) return null;
  return h('p', { class: `outcome-line outcome-${outcome.verdict}`, 'data-testid': 'outcome-line' },
    t('outcome.badge', { date: formatDate(outcome.decided_on), verdict: verdictWords(outcome.verdict) }));
}

export function awaitingCount(data) {
  return data.to_confirm.length ? tCount('outcome.count.awaiting', data.to_confirm.length) : null;
}

// The meeting a verdict given now belongs to: one held today, else the next planned.
function meetingNow(data) {
  const today = localDate();
  const last = data.last_meeting;
  if (last && localDate(parseDatetime(last.start) ?? new Date(0)) === today) return last;
  return data.next_meeting;
}

// `onDone(text)` says what was recorded (a toast).
export function verdictSection(sync, data, { onDone = () => {}, onError = () => {} } = {}) {
  const meeting = meetingNow(data);
  const mayRecord = canEditNeighborhood(sync.session, data.neighborhood);
  const record = async (p, verdict) => {
    try {
      await sync.create('outcome', {
        meeting: meeting.id, priority: p.priority, verdict,
        decided_on: localDate(parseDatetime(meeting.start) ?? new Date()),
      });
      if (verdict !== 'confirmed') await sync.setFields('priority', p.priority, { status: 'in_progress' });
    } catch (error) {
      onError(t('error.notSaved', { message: error.message }));
      return;
    }
    onDone(t(verdict === 'confirmed' ? 'outcome.recorded' : 'outcome.reopened', { verdict: verdictWords(verdict) }));
  };
  const note = !mayRecord ? t('outcome.readOnly')
    : meeting ? t('outcome.at', { meeting: meeting.title || formatDatetime(meeting.start) }) : t('outcome.noMeeting');
  return h('section', { class: 'card report-part', 'aria-labelledby': 'rb-outcome-h', 'data-testid': 'rb-to-confirm' },
    h('h2', { id: 'rb-outcome-h' }, t('outcome.title')),
    data.to_confirm.length === 0 ? h('p', { class: 'muted' }, t('outcome.none')) : [
      h('p', {}, t('outcome.intro'), ' ', h('span', { class: 'muted', 'data-testid': 'outcome-note' }, note)),
      h('ul', { class: 'outcome-list' }, data.to_confirm.map((p) => h('li', { 'data-priority': p.priority },
        h('h3', { class: 'rb-title' }, h('a', { href: `#/p/${encodeURIComponent(p.priority)}` }, p.title)),
        p.address ? h('p', { class: 'rb-meta muted' }, p.address) : null,
        verdictLine(p.outcome),
        mayRecord && meeting ? h('div', { class: 'outcome-actions no-print', role: 'group', 'aria-label': p.title },
          VERDICTS.map(([verdict, label]) => h('button', {
            type: 'button', class: verdict === 'confirmed' ? 'button button-primary' : 'button button-secondary',
            'data-verdict': verdict, onclick: () => record(p, verdict),
          }, t(label)))) : null))),
    ]);
}

// The dashboard's four counts (OutcomeCounts).
export function outcomeFacts(counts) {
  return h('section', { class: 'card', 'aria-labelledby': 'dash-outcome-h', 'data-testid': 'dash-outcomes' },
    h('h2', { id: 'dash-outcome-h' }, t('outcome.dash.title')),
    h('dl', { class: 'facts outcome-facts' }, [
      ['resolved', 'outcome.dash.resolved'], ['confirmed', 'outcome.dash.confirmed'],
      ['awaiting_verdict', 'outcome.dash.awaiting'], ['reopened', 'outcome.dash.reopened'],
    ].map(([key, label]) => h('div', { class: 'fact', 'data-count': key },
      h('dt', {}, t(label)), h('dd', {}, String(counts[key]))))));
}
