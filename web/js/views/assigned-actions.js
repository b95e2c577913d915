// What the city-wide leaders' meetings assigned to one department or one
// neighborhood and nobody has checked off yet, with its checkbox for whoever
// may check it off (psc::may_check_off: its liaisons or organizers, and
// coordinators). Shown on the department's work list and the neighborhood's
// meetings; the items themselves live in the leaders' meeting.
import { CITYWIDE, LEADERS_HREF } from '../citywide.js';
import { mayCheckOff } from '../core.js';
import { t } from '../i18n.js';
import { formatDate, localDate } from '../time.js';
import { h } from './dom.js';

// assignee: {department} or {neighborhood}; onError(text) when a check-off is refused.
export function assignedActions(sync, assignee, onError) {
  const leaders = new Map(sync.list('meeting', 'neighborhood', CITYWIDE).map((m) => [m.id, m]));
  const items = sync.list('action_item')
    .filter((a) => leaders.has(a.fields.meeting) && !a.fields.done
      && (assignee.department ? a.fields.department === assignee.department : a.fields.neighborhood === assignee.neighborhood))
    .sort((a, b) => (a.fields.due_date || '9999').localeCompare(b.fields.due_date || '9999') || (a.id < b.id ? -1 : 1));
  const today = localDate();
  return h('section', { class: 'card assigned-actions', 'data-testid': 'assigned-actions', 'aria-labelledby': 'assigned-actions-h' },
    h('h2', { id: 'assigned-actions-h' }, t('leaders.assignedItems'), h('span', { class: 'tab-count' }, String(items.length))),
    items.length === 0 ? h('p', { class: 'muted' }, t('leaders.assignedNone')) : h('ul', { class: 'action-list' }, items.map((item) => {
      const f = item.fields;
      const meeting = leaders.get(f.meeting);
      const id = `assigned-${item.id}`;
      const overdue = f.due_date && f.due_date < today;
      return h('li', { class: `action-item${overdue ? ' is-overdue' : ''}`, 'data-id': item.id },
        h('input', { type: 'checkbox', id, disabled: !mayCheckOff(sync.session, f.neighborhood, f.department),
          onchange: async (event) => {
            try { await sync.setFields('action_item', item.id, { done: event.target.checked }); } catch (error) {
              event.target.checked = false;
              onError(t('error.notSaved', { message: error.message }));
            }
          } }),
        h('div', { class: 'action-main' },
          h('label', { for: id, class: 'action-description' }, f.description),
          h('p', { class: 'action-meta muted' },
            h('a', { href: `#/m/${encodeURIComponent(meeting.id)}/actions` }, meeting.fields.title),
            f.due_date ? ` · ${t('actions.dueOn', { date: formatDate(f.due_date) })}` : null,
            overdue ? h('span', { class: 'chip chip-overdue' }, t('actions.overdue')) : null)));
    })),
    h('p', {}, h('a', { href: LEADERS_HREF }, `${t('leaders.link')} →`)));
}
