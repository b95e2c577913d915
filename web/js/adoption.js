// A priority's adoption day (adopted_on) is recorded once, the first time its
// status moves past "proposed" to adopted, in progress or resolved: a
// priority the committee takes straight to "in progress" (or finds already
// fixed) was adopted that day too. The scorecards count the days from it to a
// department's first response. The device's local date, like every date the
// organizer enters.
import { localDate } from './time.js';

const ADOPTED_STATUSES = new Set(['adopted', 'in_progress', 'resolved']);

// The fields to add to a change of `status` for a priority whose current
// fields are `fields` (none for a new one): { adopted_on } or nothing.
export function adoptionFields(status, fields = {}) {
  return ADOPTED_STATUSES.has(status) && !fields?.adopted_on ? { adopted_on: localDate() } : {};
}
