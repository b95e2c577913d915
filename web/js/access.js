// What the signed-in account may change, as the UI needs to know it before
// offering a control. The rule is the core's (psc::may_edit in
// shared/src/authorization.cpp), the one the server applies to every change
// it accepts, so nobody is offered an edit that would come back "refused"
// and the two cannot drift apart (tests/core/authorization_test.cpp checks
// may_edit against authorize_batch for every role, type and scope).
//
//   coordinator  everything
//   organizer    records of their own neighborhood
//   liaison      commitments of their own department
//   viewer       nothing
//   kiosk        (its own screens only; never reaches these views)
import { mayEdit } from './core.js';

// May `session` change records of `neighborhood`? (Anything but commitments.)
export function canEditNeighborhood(session, neighborhood) {
  return mayEdit(session, 'priority', neighborhood);
}

// May `session` record or update a commitment of `department` to a priority
// of `neighborhood`?
export function canEditCommitment(session, department, neighborhood) {
  return mayEdit(session, 'commitment', neighborhood, department);
}

// May `session` change this record? (A commitment belongs to its department
// for liaisons and to its priority's neighborhood for the others.)
export function canEditRecord(session, type, fields, neighborhood) {
  return mayEdit(session, type, neighborhood, type === 'commitment' ? fields?.department : '');
}

// Roles that change nothing outside commitments: every neighborhood screen is
// read-only for them.
export function readsOnly(session) {
  return session?.role === 'viewer' || session?.role === 'liaison';
}

// Who works the conflicts queue: the accounts that may resolve what they hold.
export function seesConflictQueue(session) {
  return session?.role === 'coordinator' || session?.role === 'organizer';
}
