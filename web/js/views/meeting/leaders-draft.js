// The leaders' meeting's agenda drafted from the roll-up: the core picks
// what belongs on it (leaders_agenda.hpp); this words each part as an agenda
// item (title and notes) in the device's language. The items are ordinary
// agenda items afterwards: the coordinator edits, reorders or deletes them.
import { enumLabel, t, tCount } from '../../i18n.js';
import { formatDate } from '../../time.js';

const NOTES_MAX = 4000;  // agenda_item.notes (schema.cpp)

function lines(list) {
  const text = list.join('\n');
  return text.length <= NOTES_MAX ? text : `${text.slice(0, NOTES_MAX - 1)}…`;
}

// parts: the core's leaders_agenda; nameOf(slug): a neighborhood's name.
export function draftAgendaItems(parts, nameOf) {
  return parts.map((part) => {
    switch (part.kind) {
      case 'neighborhood_priorities':
        return {
          title: t('leaders.item.neighborhood', { name: part.name }),
          notes: lines(part.priorities.map((p, i) => `${i + 1}. ${p.title} (${enumLabel('category', p.category)})`)),
        };
      case 'shared_category':
        return {
          title: t('leaders.item.shared', { category: enumLabel('category', part.category), n: part.neighborhoods.length }),
          notes: t('leaders.item.sharedNotes', { open: part.open, names: part.neighborhoods.map(nameOf).join(', ') }),
        };
      case 'scorecards':
        return {
          title: t('leaders.item.scorecards'),
          notes: lines(part.departments.map((d) => t('leaders.item.scorecardLine', {
            department: enumLabel('department', d.department), open: d.open, overdue: d.overdue, awaiting: d.awaiting_response,
          }))),
        };
      case 'overdue_commitments':
        return {
          title: t('leaders.item.overdue', { n: part.commitments.length }),
          notes: lines(part.commitments.map((c) => t('leaders.item.overdueLine', {
            department: enumLabel('department', c.department), title: c.title, neighborhood: nameOf(c.neighborhood),
            date: formatDate(c.expected_date), days: c.days_overdue,
          }))),
        };
      default:
        return null;
    }
  }).filter(Boolean).map((item) => ({ ...item, title: item.title.slice(0, 200) }));
}

export function draftedText(n) { return n ? tCount('leaders.drafted', n) : t('leaders.draftEmpty'); }
