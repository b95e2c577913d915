// What the city departments answered to one priority (its commitments), as
// the neighborhood reads it under the priority. Read-only here: a department
// records and updates its answers from its own list (#/department).
import { canEditCommitment } from '../access.js';
import { enumLabel, t } from '../i18n.js';
import { formatDate } from '../time.js';
import { h } from './dom.js';

// A section for the priority `record`, or null when it has no commitments
// and is addressed to no department.
export function priorityCommitments(sync, record) {
  const commitments = sync.list('commitment', 'priority', record.id)
    .sort((a, b) => String(a.fields.department).localeCompare(String(b.fields.department)));
  const addressed = record.fields.department;
  if (!commitments.length && !addressed) return null;
  const session = sync.session;
  const mine = session?.role === 'liaison' && canEditCommitment(session, session.department, record.fields.neighborhood);
  return h('section', { class: 'card priority-commitments', 'data-testid': 'priority-commitments' },
    h('h2', {}, t('dept.responsesHeading')),
    commitments.length === 0
      ? h('p', { class: 'muted' }, t('dept.noResponse', { department: enumLabel('department', addressed) }))
      : h('ul', { class: 'commitment-list' }, commitments.map((c) => {
        const f = c.fields;
        return h('li', { class: 'commitment', 'data-id': c.id, 'data-testid': 'commitment' },
          h('div', { class: 'commitment-main' },
            h('p', { class: 'commitment-summary' },
              h('strong', {}, enumLabel('department', f.department)), ' ',
              h('span', { class: `chip chip-commitment-${f.status}`, 'data-testid': 'commitment-status' }, enumLabel('status', f.status)), ' ',
              h('span', {}, f.summary),
              Object.keys(c.conflicts ?? {}).length ? h('span', { class: 'chip chip-conflict' }, `⚠ ${t('list.conflictBadge')}`) : null),
            h('p', { class: 'muted commitment-meta' }, [
              f.expected_date ? t('dept.expected', { date: formatDate(f.expected_date) }) : t('dept.noDate'),
              f.responder ? t('dept.responder', { name: f.responder }) : null,
            ].filter(Boolean).join(' · ')),
            f.status_notes ? h('p', { class: 'commitment-notes' }, f.status_notes) : null));
      })),
    mine ? h('p', {}, h('a', { class: 'button button-secondary', href: '#/department' }, t('dept.answerThere'))) : null);
}
