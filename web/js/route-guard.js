// Which screens each role is offered (access.js says what it may change).
// A typed or bookmarked URL to a screen the account may not use leads to
// the nearest one it may: a department liaison to its department's list
// (priorities open read-only), a viewer from a form to what the form edits.
import { canEditNeighborhood, readsOnly, seesConflictQueue } from './access.js';
import { CITYWIDE, LEADERS_HREF, isCitywide } from './citywide.js';

// route: app.js's parsed route. Returns the hash to go to instead, or null.
export function guardRoute(sync, route) {
  const session = sync.session;
  const slug = encodeURIComponent(route.neighborhood ?? '');
  if (session?.role === 'liaison') {
    if (route.name === 'edit' || route.name === 'handoff' || route.name === 'account') return null;  // the priority read-only; the device's hand-off files; the password
    if (route.name === 'department' && (!route.department || route.department === session.department)) return null;
    // The leaders' meeting is every liaison's too (its action items assigned to the department).
    if (route.name === 'leaders') return null;
    if (route.name === 'meeting' && isCitywide(sync.live('meeting', route.id)))
      return route.section === 'details' || route.section === 'kiosk' ? `#/m/${encodeURIComponent(route.id)}/summary` : null;
    return '#/department';
  }
  switch (route.name) {
    case 'department':
      return session?.role === 'coordinator' ? null : '#/';
    case 'conflicts':
      return seesConflictQueue(session) ? null : '#/';
    case 'new':
      return canEditNeighborhood(session, route.neighborhood) ? null : `#/n/${slug}`;
    case 'new-meeting':
      return canEditNeighborhood(session, route.neighborhood) ? null : `#/n/${slug}/meetings`;
    case 'new-leaders-meeting':
      return canEditNeighborhood(session, CITYWIDE) ? null : LEADERS_HREF;
    case 'meeting': {
      // Details and kiosk set-up only change things: a reader gets the summary.
      if (route.section !== 'details' && route.section !== 'kiosk') return null;
      const meeting = sync.live('meeting', route.id);
      if (!meeting || (!readsOnly(session) && canEditNeighborhood(session, meeting.fields.neighborhood))) return null;
      return `#/m/${encodeURIComponent(route.id)}/summary`;
    }
    default:
      return null;
  }
}
