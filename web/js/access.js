// What the signed-in account may change, as the UI needs to know it before
// offering a control. The server decides (shared/src/authorization.cpp) and
// refuses anything else; this mirrors it so nobody is offered an edit that
// would only come back as "refused".
//
//   coordinator  everything
//   organizer    records of their own neighborhood
//   liaison      commitments of their own department
//   viewer       nothing
//   kiosk        (its own screens only; never reaches these views)

// May `session` change records of `neighborhood`? (Anything but commitments.)
export function canEditNeighborhood(session, neighborhood) {
  if (session?.role === 'coordinator') return true;
  return session?.role === 'organizer' && Boolean(neighborhood) && session.neighborhood === neighborhood;
}

// May `session` record or update a commitment of `department` to a priority
// of `neighborhood`?
export function canEditCommitment(session, department, neighborhood) {
  if (session?.role === 'liaison') return Boolean(department) && session.department === department;
  return canEditNeighborhood(session, neighborhood);
}

// May `session` change this record? (A commitment belongs to its department
// for liaisons and to its priority's neighborhood for the others.)
export function canEditRecord(session, type, fields, neighborhood) {
  if (type === 'commitment') return canEditCommitment(session, fields?.department, neighborhood);
  return session?.role !== 'liaison' && canEditNeighborhood(session, neighborhood);
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
